"""Graph routes for what a service principal holds in Microsoft Graph itself: its appRoleAssignments (application
permissions granted to it) and memberOf (the directory roles it is a direct member of)."""
# Route handlers share one signature: (service, request, **path groups).
# pylint: disable=unused-argument
from . import graph_common as g
from .graph_principals import SP_REFS, SPS, find_sp


def register(router):
    for ref in SP_REFS:
        router.add("GET", SPS + ref + "/appRoleAssignments", list_app_role_assignments)
        router.add("GET", SPS + ref + "/memberOf", list_member_of)


def _readable_sp(svc, keys):
    svc.require(g.READ)
    svc.require(g.GRANTS_READ)
    return find_sp(svc, **keys)


def list_app_role_assignments(svc, request, **keys):
    sp = _readable_sp(svc, keys)
    return svc.collection(request, f"servicePrincipals('{sp['id']}')/appRoleAssignments",
                          [dict(a) for a in sp["_app_role_assignments"]])


def list_member_of(svc, request, **keys):
    sp = _readable_sp(svc, keys)
    return svc.collection(request, "directoryObjects", svc.state.directory.member_of(sp))
