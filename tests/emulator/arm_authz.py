"""ARM routes for Microsoft.Authorization at any scope: roleAssignments, roleDefinitions, permissions."""
# Route handlers share one signature: (service, request, **path groups).
# pylint: disable=unused-argument,too-many-positional-arguments
import re

from . import arm_errors, arm_scope, roles, user_grants
from .errors import ApiError
from .routing import Response, json_response
from .util import is_guid

AUTHZ = r"(?P<scope>.*)/providers/Microsoft\.Authorization"
RA_WRITE, RA_DELETE = "Microsoft.Authorization/roleAssignments/write", "Microsoft.Authorization/roleAssignments/delete"
RA_READ = "Microsoft.Authorization/roleAssignments/read"
PRINCIPAL_TYPES = {"User", "Group", "ServicePrincipal", "ForeignGroup", "Device"}
_Q = r"'(?P<{0}>[^']*)'"
RA_FILTER = re.compile(r"^\s*(?P<at>atScope\(\))?\s*(?:and\s+)?(?:principalId\s+eq\s+" + _Q.format("pid") +
                       r"|assignedTo\(" + _Q.format("assigned") + r"\))?\s*$", re.IGNORECASE)
RD_FILTER = re.compile(r"^\s*(?:roleName\s+eq\s+" + _Q.format("name") + r"|type\s+eq\s+" + _Q.format("type") +
                       r")\s*$", re.IGNORECASE)


def register(router):
    router.add("GET", AUTHZ + r"/roleAssignments", list_assignments)
    router.add("GET", AUTHZ + r"/roleAssignments/(?P<name>[^/]+)", get_assignment)
    router.add("PUT", AUTHZ + r"/roleAssignments/(?P<name>[^/]+)", put_assignment)
    router.add("DELETE", AUTHZ + r"/roleAssignments/(?P<name>[^/]+)", delete_assignment)
    router.add("GET", AUTHZ + r"/roleDefinitions", list_definitions)
    router.add("GET", AUTHZ + r"/roleDefinitions/(?P<guid>[^/]+)", get_definition)
    router.add("GET", AUTHZ + r"/permissions", list_permissions)


# ---- role assignments ------------------------------------------------------------------------------------
def _hex(name):
    return name.replace("-", "").lower()


def _assignments(svc):
    """Every role assignment: the stored ones and the signed-in user's own grants (user_grants)."""
    return list(svc.state.resources.role_assignments.values()) + user_grants.user_role_assignments(svc.state,
                                                                                                   svc.knobs)


def _require_read(svc, scope):
    """Knob role_assignment_reads_denied: role assignment reads in those subscriptions answer 403."""
    if svc.knobs.role_assignment_reads_denied_in(arm_scope.subscription_of(scope)):
        raise arm_errors.authorization_failed(svc.state.user, RA_READ, scope)


def list_assignments(svc, request, scope):
    _require_read(svc, scope)
    scope = arm_scope.resolve(svc.state.resources, scope)
    text = request.param("$filter") or ""
    match = RA_FILTER.match(text)
    if not match or (match["at"] and match["pid"] is not None):  # error code unverified
        raise arm_errors.invalid("UnsupportedQuery", f"The filter '{text}' is not supported. Supported filters "
                                 "are: atScope(), principalId eq '{id}', assignedTo('{id}'), "
                                 "atScope() and assignedTo('{id}').")
    principal = match["pid"] if match["pid"] is not None else match["assigned"]
    relation = arm_scope.is_at_or_above if match["at"] else arm_scope.related
    subscription = arm_scope.subscription_of(scope)
    found = [dict(ra) for ra in _assignments(svc)
             if arm_scope.subscription_of(ra["properties"]["scope"]) == subscription  # documented, AZURE_FACTS §7
             and relation(ra["properties"]["scope"], scope)
             and (principal is None or ra["properties"]["principalId"].lower() == principal.lower())]
    return svc.listing(request, found)


def _find_assignment(svc, scope, name):
    ra = next((ra for ra in _assignments(svc) if ra["name"] == name.lower()
               and ra["properties"]["scope"].lower() == scope.rstrip("/").lower()), None)
    if ra is None:
        raise ApiError(404, "RoleAssignmentNotFound", f"The role assignment '{name}' is not found.")
    return ra


def get_assignment(svc, request, scope, name):
    _require_read(svc, scope)
    return json_response(200, _find_assignment(svc, arm_scope.resolve(svc.state.resources, scope), name))


def _validate_assignment(svc, name, props):
    if not is_guid(name):
        raise arm_errors.invalid("InvalidRoleAssignmentId", f"The role assignment ID '{name}' is not valid. "
                                 "The role assignment ID must be a GUID.")
    role_id, principal_id = props.get("roleDefinitionId"), props.get("principalId")
    if not isinstance(role_id, str) or not isinstance(principal_id, str):
        raise arm_errors.invalid("InvalidRequestContent",
                                 "The request content is missing properties.roleDefinitionId or "
                                 "properties.principalId.")
    guid = role_id.rstrip("/").rsplit("/", 1)[-1]
    if guid.lower() not in roles.BY_GUID:
        raise arm_errors.invalid("RoleDefinitionDoesNotExist",
                                 f"The specified role definition with ID '{guid}' does not exist.")
    directory = svc.state.directory
    if not directory.principal_known_to_arm(principal_id):
        raise arm_errors.invalid(
            "PrincipalNotFound",
            f"Principal {_hex(principal_id)} does not exist in the directory {directory.tenant_id}. Check that you "
            "have the correct principal ID. If you are creating this principal and then immediately assigning a "
            "role, this error might be related to a replication delay. In this case, set the role assignment "
            "principalType property to a value, such as ServicePrincipal, User, or Group.  See "
            "https://aka.ms/docs-principaltype")
    principal_type = props.get("principalType") or (
        "User" if principal_id.lower() == directory.user["id"] else "ServicePrincipal")
    if principal_type not in PRINCIPAL_TYPES:
        raise arm_errors.invalid("InvalidPrincipalType", f"The principal type '{principal_type}' is not valid.")
    return guid.lower(), principal_id.lower(), principal_type


def put_assignment(svc, request, scope, name):
    resources = svc.state.resources
    svc.require("arm.roleAssignments.write", RA_WRITE, scope)
    scope = arm_scope.resolve(resources, scope)
    props = svc.body(request).get("properties") or {}
    guid, principal_id, principal_type = _validate_assignment(svc, name, props)
    _require_condition(svc, RA_WRITE, scope, name, guid, principal_type)
    same_target = [ra for ra in _assignments(svc)
                   if ra["properties"]["scope"].lower() == scope.lower()
                   and ra["properties"]["principalId"].lower() == principal_id
                   and ra["properties"]["roleDefinitionId"].rsplit("/", 1)[-1].lower() == guid]
    existing = resources.role_assignments.get(name.lower())
    if existing is not None:
        if existing in same_target:
            return json_response(201, existing)
        raise arm_errors.invalid("RoleAssignmentUpdateNotPermitted",
                                 "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.")
    if same_target:
        raise ApiError(409, "RoleAssignmentExists", "The role assignment already exists. The ID of the existing "
                                                    f"role assignment is {_hex(same_target[0]['name'])}.")
    definition_id = roles.definition(roles.BY_GUID[guid], arm_scope.subscription_of(scope))["id"]
    record = resources.create_role_assignment(scope, name.lower(), definition_id, principal_id, principal_type,
                                              svc.state.user["id"], props.get("description"), props.get("condition"))
    return json_response(201, record)


def delete_assignment(svc, request, scope, name):
    svc.require("arm.roleAssignments.write", RA_DELETE, scope)
    scope = arm_scope.resolve(svc.state.resources, scope)
    ra = svc.state.resources.role_assignments.get(name.lower())
    if ra is None or ra["properties"]["scope"].lower() != scope.lower():
        return Response(204)
    _require_condition(svc, RA_DELETE, scope, name, ra["properties"]["roleDefinitionId"].rsplit("/", 1)[-1],
                       ra["properties"].get("principalType") or "ServicePrincipal")
    del svc.state.resources.role_assignments[name.lower()]
    return json_response(200, ra)


# ---- the signed-in user's ABAC condition (knob role_assignment_condition) ------------------------------
def _require_condition(svc, action, scope, name, role_guid, principal_type):
    condition = svc.knobs.role_assignment_condition
    if condition and not _condition_allows(condition, action, role_guid, principal_type):
        user = svc.state.user
        raise ApiError(403, "AuthorizationFailed",
                       f"The client '{user['userPrincipalName']}' with object id '{user['id']}' does not have "
                       f"authorization or an ABAC condition not fulfilled to perform action '{action}' over scope "
                       f"'{scope}/providers/Microsoft.Authorization/roleAssignments/{name}' or the scope is invalid. "
                       "If access was recently granted, please refresh your credentials.")


def _condition_allows(condition, action, role_guid, principal_type):
    """The emulator's own, deliberately simple reading of the portal's "Constrain roles (and principal types)"
    conditions: the role must be in the RoleDefinitionId GUID set and the principal type in the PrincipalType
    set, read from @Request for a write and @Resource for a delete. A condition without such a set allows."""
    source = "Request" if action == RA_WRITE else "Resource"
    roles_listed = _condition_set(condition, source, "RoleDefinitionId", "GuidEquals")
    types_listed = _condition_set(condition, source, "PrincipalType", "StringEqualsIgnoreCase")
    return ((roles_listed is None or role_guid.lower() in roles_listed)
            and (types_listed is None or principal_type.lower() in types_listed))


def _condition_set(condition, source, attribute, function):
    """The values in '@<source>[Microsoft.Authorization/roleAssignments:<attribute>] ForAnyOfAnyValues:<function>
    {a, b}', lowercase and unquoted, or None when the condition has no such test."""
    match = re.search(r"@" + source + r"\[\s*Microsoft\.Authorization/roleAssignments:" + attribute +
                      r"\s*\]\s*ForAnyOfAnyValues:" + function + r"\s*\{([^}]*)\}", condition, re.IGNORECASE)
    if match is None:
        return None
    return {value.strip().strip("'").lower() for value in match.group(1).split(",")}


# ---- role definitions and permissions ------------------------------------------------------------------
def _definition_scope(svc, scope):
    if not scope:
        return svc.state.subscription_id
    return arm_scope.subscription_of(arm_scope.resolve(svc.state.resources, scope))


def list_definitions(svc, request, scope):
    subscription = _definition_scope(svc, scope)
    text = request.param("$filter") or ""
    match = RD_FILTER.match(text) if text else None
    if text and not match:
        raise arm_errors.invalid("UnsupportedQuery", f"The filter '{text}' is not supported.")
    found = [r for r in roles.BUILT_INS
             if not match or (match["name"] is not None and r[0].lower() == match["name"].lower())
             or (match["type"] is not None and match["type"].lower() == "builtinrole")]
    return svc.listing(request, [roles.definition(r, subscription) for r in found])


def get_definition(svc, request, scope, guid):
    subscription = _definition_scope(svc, scope)
    role = roles.BY_GUID.get(guid.lower())
    if role is None:
        raise ApiError(404, "RoleDefinitionDoesNotExist", f"The specified role definition with ID '{guid}' does not "
                                                          "exist.")
    return json_response(200, roles.definition(role, subscription))


def list_permissions(svc, request, scope):
    """Owner-like, less the denied rights. With a role assignment condition, the right to write and delete role
    assignments comes only from a second entry that carries the condition (like Role Based Access Control
    Administrator granted with one); a denial wins over it."""
    arm_scope.resolve(svc.state.resources, scope)
    denied = svc.knobs.is_denied("arm.roleAssignments.write")
    condition = svc.knobs.role_assignment_condition
    not_actions = []
    if denied or condition:
        not_actions += ["Microsoft.Authorization/*/Write", "Microsoft.Authorization/*/Delete"]
    if svc.knobs.is_denied("arm.blobServices.write"):
        not_actions.append("Microsoft.Storage/storageAccounts/blobServices/write")
    value = [{"actions": ["*"], "notActions": not_actions, "dataActions": [], "notDataActions": []}]
    if condition and not denied:
        conditional = {"actions": [RA_WRITE, RA_DELETE], "notActions": [], "dataActions": [], "notDataActions": []}
        if not svc.knobs.permissions_hide_conditions:  # stable api-versions have no condition field
            conditional.update(condition=condition, conditionVersion="2.0")
        value.append(conditional)
    return json_response(200, {"value": value})
