"""Graph routes for applications and their federatedIdentityCredentials."""
# Route handlers share one signature: (service, request, **path groups).
# pylint: disable=unused-argument,too-many-positional-arguments
import re

from . import graph_common as g
from . import credentials, graph_owners
from .directory import SIGN_IN_AUDIENCES, application_defaults
from .errors import ApiError
from .graph_query import expansion, parse_filter, select_fields
from .util import is_guid, public

APPS = r"/v1\.0/applications"
APP_REFS = (r"/(?P<app_id>[^/()]+)", r"\(appId='(?P<app_key>[^']*)'\)")
UNIQUE_REF = r"\(uniqueName='(?P<unique_name>[^']*)'\)"
FIC_REFS = (r"/(?P<fic>[^/()]+)", r"\(name='(?P<fic>[^']*)'\)")
APP_FILTERS = {"displayName": {"eq", "startswith"}, "appId": {"eq"}, "identifierUris": {"any"}, "tags": {"any"}}
FIC_FILTERS = {"name": {"eq", "startswith"}, "issuer": {"eq"}, "subject": {"eq"}}
READ_ONLY = {"id", "appId", "createdDateTime", "deletedDateTime", "publisherDomain"}
APP_FIELDS = set(application_defaults()) | {"displayName"}
FIC_MAX_LENGTH = 600  # issuer, subject and each audience
FIC_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$")
FIC_FIELDS = {"name", "issuer", "subject", "audiences", "description"}
MAX_FICS = 20


def register(router):
    router.add("GET", APPS, list_apps)
    router.add("POST", APPS, create_app)
    router.add("GET", APPS + UNIQUE_REF, get_app)
    router.add("PATCH", APPS + UNIQUE_REF, upsert_app)
    for ref in APP_REFS:
        router.add("GET", APPS + ref, get_app)
        router.add("PATCH", APPS + ref, update_app)
        router.add("DELETE", APPS + ref, delete_app)
        router.add("GET", APPS + ref + "/federatedIdentityCredentials", list_fics)
        router.add("POST", APPS + ref + "/federatedIdentityCredentials", create_fic)
        for fic_ref in FIC_REFS:
            path = APPS + ref + "/federatedIdentityCredentials" + fic_ref
            router.add("GET", path, get_fic)
            router.add("PATCH", path, update_fic)
            router.add("DELETE", path, delete_fic)


# ---- applications --------------------------------------------------------------------------------------
def find_app(svc, app_id=None, app_key=None, unique_name=None):
    if unique_name is not None:
        app = svc.state.directory.app_by_unique_name(unique_name)
        if app is None or not svc.state.directory.is_visible(app):
            raise g.not_found(unique_name)
        return app
    if app_key is not None:
        app = svc.state.directory.app_by_app_id(app_key)
        if app is None:
            raise g.not_found(app_key)
        return app
    if not is_guid(app_id):
        raise g.bad_request(f"Invalid object identifier '{app_id}'.")
    app = svc.state.directory.app(app_id)
    if app is None:
        raise g.not_found(app_id)
    return app


def _render(svc, app, request):
    body = public(app)
    name, select = expansion(request, "application", ("federatedIdentityCredentials", "owners"))
    if name == "federatedIdentityCredentials":
        body[name] = [select_fields(f, select) for f in _readable_fics(svc, app)]
    elif name == "owners":
        body[name] = [select_fields(o, select) for o in graph_owners.readable_owners(svc, app)]
    return body


def _readable_fics(svc, app):
    """An app's credentials as the caller may read them: a non-owner may be refused ('deny') or shown none
    ('empty'), the two pessimistic readings of "for applications they own" (knob non_owner_access)."""
    mode = svc.knobs.non_owner_access
    if mode and not svc.state.directory.is_owner(app):
        if mode == "deny":
            raise g.denied()
        return []
    return [dict(f) for f in app["_fics"]]


def _validate_app_fields(svc, data):
    svc.reject_unknown(data, APP_FIELDS | READ_ONLY, "application")
    for key in READ_ONLY & set(data):
        raise g.bad_request(f"Property '{key}' is read-only and cannot be set.")
    if "displayName" in data and not (isinstance(data["displayName"], str) and data["displayName"].strip()):
        raise g.bad_request("Invalid value specified for property 'displayName' of resource 'Application'.")
    if "signInAudience" in data and data["signInAudience"] not in SIGN_IN_AUDIENCES:
        raise g.bad_request("Invalid value specified for property 'signInAudience' of resource 'Application'.")


def list_apps(svc, request):
    svc.require(g.READ)
    apps = svc.state.directory.listed_apps()
    if request.param("$filter"):
        keep = parse_filter(request.param("$filter"), APP_FILTERS, "Application")
        apps = [a for a in apps if keep(a)]
    return svc.collection(request, "applications", [_render(svc, a, request) for a in apps])


def create_app(svc, request):
    svc.require(g.WRITE)
    data = svc.body(request)
    _validate_app_fields(svc, data)
    if "displayName" not in data:
        raise g.bad_request("Invalid value specified for property 'displayName' of resource 'Application'.")
    return svc.entity("applications", public(_create(svc, data)), status=201)


def _create(svc, data):
    return svc.state.directory.create_application(data, visible_after=svc.knobs.graph_replication_delay,
                                                  listed_after=svc.knobs.graph_list_lag)


def upsert_app(svc, request, unique_name):
    """PATCH /applications(uniqueName='X'): with Prefer: create-if-missing, 201 and the new app when none holds X,
    204 after updating the one that does; 404 without the header. A soft-deleted app keeps its uniqueName: 400."""
    svc.require(g.WRITE)
    directory = svc.state.directory
    data = svc.body(request)
    _validate_app_fields(svc, data)
    app = directory.app_by_unique_name(unique_name)  # writes see every app, replicated or not
    if app is not None:
        g.require_owner(svc, app)
        app.update(data)
        return svc.no_content()
    if directory.app_by_unique_name(unique_name, deleted=True) is not None:  # text seen in public reports
        raise g.bad_request("Another object with the same value for property uniqueName already exists.")
    if "create-if-missing" not in (request.header("Prefer") or "").lower():
        raise g.not_found(unique_name)
    if "displayName" not in data:
        raise g.bad_request("Invalid value specified for property 'displayName' of resource 'Application'.")
    return svc.entity("applications", public(_create(svc, dict(data, uniqueName=unique_name))), status=201)


def get_app(svc, request, app_id=None, app_key=None, unique_name=None):
    svc.require(g.READ)
    app = find_app(svc, app_id, app_key, unique_name)
    return svc.entity("applications", _render(svc, app, request), request=request)


def update_app(svc, request, app_id=None, app_key=None):
    svc.require(g.WRITE)
    app = find_app(svc, app_id, app_key)
    g.require_owner(svc, app)
    data = svc.body(request)
    _validate_app_fields(svc, data)
    app.update(data)
    if "keyCredentials" in data:  # stored without key values, as Graph keeps them
        app["keyCredentials"] = credentials.without_key_values(data["keyCredentials"], svc.state.new_id)
    return svc.no_content()


def delete_app(svc, request, app_id=None, app_key=None):
    svc.require(g.WRITE)
    app = find_app(svc, app_id, app_key)
    g.require_owner(svc, app)
    svc.state.directory.delete_application(app)
    return svc.no_content()


# ---- federated identity credentials --------------------------------------------------------------------
def _fic_context(app):
    return f"applications('{app['id']}')/federatedIdentityCredentials"


def _find_fic(svc, app, fic):
    found = svc.state.directory.fic(app, fic)
    if found is None:
        raise g.not_found(fic)
    return found


def _invalid(prop):  # code and text unverified against live Graph
    return g.bad_request(f"Invalid value specified for property '{prop}' of resource 'FederatedIdentityCredential'.")


def _validate_fic(svc, app, data, current=None):
    svc.reject_unknown(data, FIC_FIELDS | {"id"}, "federatedIdentityCredential")
    if "id" in data and (current is None or data["id"] != current["id"]):
        raise g.bad_request("Property 'id' is read-only and cannot be set.")
    merged = dict(current or {}, **data)
    if current is not None and merged["name"] != current["name"]:
        raise g.bad_request("Property 'name' is read-only and cannot be set.")
    for prop in ("name", "issuer", "subject"):
        if not isinstance(merged.get(prop), str) or not merged[prop]:
            raise _invalid(prop)
    for prop in ("issuer", "subject"):
        if len(merged[prop]) > FIC_MAX_LENGTH:
            raise _invalid(prop)
    if not FIC_NAME.match(merged["name"]):
        raise _invalid("name")
    audiences = merged.get("audiences")
    if not isinstance(audiences, list) or len(audiences) != 1 or not isinstance(audiences[0], str) \
            or not audiences[0] or len(audiences[0]) > FIC_MAX_LENGTH:
        raise _invalid("audiences")
    others = [f for f in app["_fics"] if f is not current]
    if current is None and any(f["name"] == merged["name"] for f in others):
        raise ApiError(409, "Request_MultipleObjectsWithSameKeyValue",
                       f"FederatedIdentityCredential with name {merged['name']} already exists.")
    if any(f["issuer"] == merged["issuer"] and f["subject"] == merged["subject"] for f in others):
        raise ApiError(400, "InvalidFederatedIdentityCredentialValue",
                       "The combination of issuer and subject must be unique for the application. "
                       f"A federated identity credential with issuer '{merged['issuer']}' and subject "
                       f"'{merged['subject']}' already exists.")
    if current is None and len(app["_fics"]) >= MAX_FICS:  # the limit is documented; the error text is a guess
        raise g.bad_request(f"The application already has the maximum of {MAX_FICS} federated identity "
                            "credentials.")
    return merged


def list_fics(svc, request, app_id=None, app_key=None):
    svc.require(g.READ)
    app = find_app(svc, app_id, app_key)
    fics = _readable_fics(svc, app)
    if request.param("$filter"):
        keep = parse_filter(request.param("$filter"), FIC_FILTERS, "FederatedIdentityCredential")
        fics = [f for f in fics if keep(f)]
    return svc.collection(request, _fic_context(app), fics)


def create_fic(svc, request, app_id=None, app_key=None):
    svc.require(g.WRITE)
    app = find_app(svc, app_id, app_key)
    g.require_owner(svc, app)
    data = _validate_fic(svc, app, svc.body(request))
    fic = svc.state.directory.add_fic(app, data["name"], data["issuer"], data["subject"], data["audiences"],
                                      data.get("description"))
    return svc.entity(_fic_context(app), dict(fic), status=201)


def get_fic(svc, request, fic, app_id=None, app_key=None):
    svc.require(g.READ)
    app = find_app(svc, app_id, app_key)
    if svc.knobs.non_owner_access and not svc.state.directory.is_owner(app):
        raise g.denied() if svc.knobs.non_owner_access == "deny" else g.not_found(fic)
    return svc.entity(_fic_context(app), dict(_find_fic(svc, app, fic)), request=request)


def update_fic(svc, request, fic, app_id=None, app_key=None):
    svc.require(g.WRITE)
    app = find_app(svc, app_id, app_key)
    g.require_owner(svc, app)
    current = _find_fic(svc, app, fic)
    current.update(_validate_fic(svc, app, svc.body(request), current))
    return svc.no_content()


def delete_fic(svc, request, fic, app_id=None, app_key=None):
    svc.require(g.WRITE)
    app = find_app(svc, app_id, app_key)
    g.require_owner(svc, app)
    app["_fics"].remove(_find_fic(svc, app, fic))
    return svc.no_content()
