"""Graph routes for servicePrincipals, the signed-in user (/me), /organization and directoryObjects."""
# Route handlers share one signature: (service, request, **path groups).
# pylint: disable=unused-argument,too-many-positional-arguments
from . import graph_common as g
from .errors import ApiError
from .graph_query import parse_filter
from .routing import json_response
from .util import is_guid, public

SPS = r"/v1\.0/servicePrincipals"
SP_REFS = (r"/(?P<sp_id>[^/()]+)", r"\(appId='(?P<app_key>[^']*)'\)")
SP_FILTERS = {"appId": {"eq"}, "displayName": {"eq", "startswith"}, "servicePrincipalNames": {"any"},
              "tags": {"any"}}
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
    router.add("GET", r"/v1\.0/organization", list_organization)
    router.add("POST", r"/v1\.0/directoryObjects/getByIds", get_by_ids)


def _find_sp(svc, sp_id=None, app_key=None):
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
    sps = list(svc.state.directory.sps.values())
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
    if app is None:
        message = f"The appId '{app_id}' of the service principal does not reference a valid application object."
        raise g.bad_request(message, details=[{"code": "NoBackingApplicationObject", "message": message,
                                               "target": "appId"}])
    if directory.sp_by_app_id(app_id) is not None:
        raise ApiError(409, "Request_MultipleObjectsWithSameKeyValue",  # message text unverified
                       "The service principal cannot be created, updated, or restored because the service "
                       f"principal name {app_id} is already in use.")
    sp = directory.create_service_principal(app, visible_after=svc.knobs.principal_replication_delay)
    sp.update({k: v for k, v in data.items() if k != "appId"})
    return svc.entity("servicePrincipals", public(sp), status=201)


def get_sp(svc, request, sp_id=None, app_key=None):
    svc.require(g.READ)
    return svc.entity("servicePrincipals", public(_find_sp(svc, sp_id, app_key)), request=request)


def update_sp(svc, request, sp_id=None, app_key=None):
    svc.require(g.WRITE)
    sp = _find_sp(svc, sp_id, app_key)
    data = svc.body(request)
    svc.reject_unknown(data, SP_WRITABLE, "servicePrincipal")
    sp.update(data)
    return svc.no_content()


def delete_sp(svc, request, sp_id=None, app_key=None):
    svc.require(g.WRITE)
    sp = _find_sp(svc, sp_id, app_key)
    del svc.state.directory.sps[sp["id"]]
    return svc.no_content()


def get_me(svc, request):
    return svc.entity("users", dict(svc.state.user), request=request)


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
