"""Graph routes for servicePrincipals, users (/me, /users/{id}), /organization and directoryObjects."""
# Route handlers share one signature: (service, request, **path groups).
# pylint: disable=unused-argument,too-many-positional-arguments
from . import graph_common as g
from .errors import ApiError
from . import graph_owners
from .graph_query import expansion, parse_filter, select_fields
from .routing import json_response
from .util import is_guid, public

SPS = r"/v1\.0/servicePrincipals"
SP_REFS = (r"/(?P<sp_id>[^/()]+)", r"\(appId='(?P<app_key>[^']*)'\)")
SP_FILTERS = {"appId": {"eq"}, "displayName": {"eq", "startswith"}, "servicePrincipalNames": {"any"},
              "tags": {"any"}}
# What Graph may answer a service principal create for a just-created app (azure-cli#28009).
LOCAL_TENANT_403 = ("When using this permission, the backing application of the service principal being created "
                    "must in the local tenant")
SP_WRITABLE = {"accountEnabled", "appRoleAssignmentRequired", "description", "notes", "tags", "homepage",
               "loginUrl", "logoutUrl", "notificationEmailAddresses", "preferredSingleSignOnMode", "replyUrls"}


def register(router):
    router.add("GET", SPS, list_sps)
    router.add("POST", SPS, create_sp)
    for ref in SP_REFS:
        router.add("GET", SPS + ref, get_sp)
        router.add("PATCH", SPS + ref, update_sp)
        router.add("DELETE", SPS + ref, delete_sp)
    router.add("GET", r"/v1\.0/me", get_me)
    router.add("GET", r"/v1\.0/users/(?P<user>[^/()]+)", get_user)
    router.add("GET", r"/v1\.0/organization", list_organization)
    router.add("POST", r"/v1\.0/directoryObjects/getByIds", get_by_ids)


def find_sp(svc, sp_id=None, app_key=None):
    directory = svc.state.directory
    if app_key is not None:
        sp = directory.sp_by_app_id(app_key)
        if sp is None:
            raise g.not_found(app_key)
        return sp
    if not is_guid(sp_id):
        raise g.bad_request(f"Invalid object identifier '{sp_id}'.")
    sp = directory.sps.get(sp_id.lower())
    if sp is None:
        raise g.not_found(sp_id)
    return sp


def list_sps(svc, request):
    svc.require(g.READ)
    sps = [s for s in svc.state.directory.sps.values() if svc.state.directory.is_listed(s)]
    if request.param("$filter"):
        keep = parse_filter(request.param("$filter"), SP_FILTERS, "ServicePrincipal")
        sps = [s for s in sps if keep(s)]
    return svc.collection(request, "servicePrincipals", [public(s) for s in sps])


def create_sp(svc, request):
    svc.require(g.WRITE)
    data = svc.body(request)
    svc.reject_unknown(data, SP_WRITABLE | {"appId"}, "servicePrincipal")
    app_id = data.get("appId")
    if not isinstance(app_id, str) or not app_id:
        raise g.bad_request("Invalid value specified for property 'appId' of resource 'ServicePrincipal'.")
    directory = svc.state.directory
    app = directory.backing_app(app_id)
    if app is None and svc.knobs.sp_create_forbidden_while_replicating and _replicating(directory, app_id):
        raise ApiError(403, "Authorization_RequestDenied", LOCAL_TENANT_403)
    if app is None:
        message = f"The appId '{app_id}' of the service principal does not reference a valid application object."
        raise g.bad_request(message, details=[{"code": "NoBackingApplicationObject", "message": message,
                                               "target": "appId"}])
    if app_id.lower() in directory.external_apps and svc.knobs.is_denied("graph.consent") \
            and directory.sp_by_app_id(app_id) is None:
        raise ApiError(403, "Authorization_RequestDenied", LOCAL_TENANT_403)
    if directory.sp_by_app_id(app_id) is not None:
        raise ApiError(409, "Request_MultipleObjectsWithSameKeyValue",  # message text unverified
                       "The service principal cannot be created, updated, or restored because the service "
                       f"principal name {app_id} is already in use.")
    sp = directory.create_service_principal(app, visible_after=svc.knobs.principal_replication_delay,
                                            listed_after=svc.knobs.graph_list_lag)
    sp.update({k: v for k, v in data.items() if k != "appId"})
    return svc.entity("servicePrincipals", public(sp), status=201)


def _replicating(directory, app_id):
    """A local application that exists but has not replicated yet."""
    return any(a["appId"].lower() == app_id.lower() and not directory.is_visible(a) for a in directory.apps.values())


def get_sp(svc, request, sp_id=None, app_key=None):
    svc.require(g.READ)
    sp = find_sp(svc, sp_id, app_key)
    body = public(sp)
    name, select = expansion(request, "servicePrincipal", ("owners",))
    if name == "owners":
        body[name] = [select_fields(o, select) for o in graph_owners.readable_owners(svc, sp)]
    return svc.entity("servicePrincipals", body, request=request)


def update_sp(svc, request, sp_id=None, app_key=None):
    svc.require(g.WRITE)
    sp = find_sp(svc, sp_id, app_key)
    data = svc.body(request)
    svc.reject_unknown(data, SP_WRITABLE, "servicePrincipal")
    sp.update(data)
    return svc.no_content()


def delete_sp(svc, request, sp_id=None, app_key=None):
    svc.require(g.WRITE)
    sp = find_sp(svc, sp_id, app_key)
    del svc.state.directory.sps[sp["id"]]
    return svc.no_content()


def get_me(svc, request):
    return svc.entity("users", dict(svc.state.user), request=request)


def get_user(svc, request, user):
    """By object id or userPrincipalName, as Graph allows."""
    record = svc.state.directory.user_by_key(user)
    if record is None:
        raise g.not_found(user)
    return svc.entity("users", dict(record), request=request)


def list_organization(svc, request):
    return svc.collection(request, "organization", [dict(svc.state.directory.organization)])


def get_by_ids(svc, request):
    data = svc.body(request)
    ids = data.get("ids")
    if not isinstance(ids, list):
        raise g.bad_request("Invalid value specified for property 'ids' of resource 'DirectoryObject'.")
    types = {t.lower() for t in data.get("types") or []}
    found = [svc.state.directory.directory_object(i) for i in ids if isinstance(i, str)]
    found = [o for o in found if o and (not types or o["@odata.type"].rsplit(".", 1)[-1].lower() in types)]
    return json_response(200, {"@odata.context": f"{g.ROOT}/$metadata#directoryObjects", "value": found})
