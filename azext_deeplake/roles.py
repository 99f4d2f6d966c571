# --------------------------------------------------------------------------------------------
# Azure RBAC: the service principal's role assignments and the caller's right to make them.
# --------------------------------------------------------------------------------------------

import re
import uuid
from dataclasses import dataclass
from typing import Optional

from . import conditions, deeplake, messages
from .retry import until_replicated

# Names derived from (scope, principal, role) make a repeated PUT land on the same assignment.
_NAMESPACE = uuid.UUID('5f0d5c43-5b0e-4f6e-9a43-8d2b7c1e6a10')


def _derived_name(scope, principal_id, role_id):
    return uuid.uuid5(_NAMESPACE, '|'.join(part.lower() for part in (scope.rstrip('/'), principal_id, role_id)))


def _gen_guid(scope, principal_id, role_id):
    """The assignment's name. Recorded tests replace this seam with the test SDK's create_guid."""
    return _derived_name(scope, principal_id, role_id)


def assignment_name(grant, principal_id):
    return str(_gen_guid(grant.scope, principal_id, grant.role_id))


def role_definition_id(subscription_id, role_id):
    return f'/subscriptions/{subscription_id}/providers/Microsoft.Authorization/roleDefinitions/{role_id}'


def assignments_of(session, scope, principal_id=None):
    """The assignments at, above and below scope, of one principal or of all, as plain dicts."""
    found = session.authorization.role_assignments.list_for_scope(
        scope, filter=f"principalId eq '{principal_id}'" if principal_id else None)
    return [{'name': a.name, 'scope': a.scope, 'roleDefinitionId': a.role_definition_id,
             'principalId': a.principal_id, 'description': getattr(a, 'description', None)} for a in found]


def role_id_of(assignment):
    return assignment['roleDefinitionId'].rstrip('/').rsplit('/', 1)[-1].lower()


def find_equal(assignments, grant):
    """The assignment that grants exactly this role at exactly this scope, under any name."""
    return next((a for a in at_scope(assignments, grant.scope) if role_id_of(a) == grant.role_id.lower()), None)


def at_scope(assignments, scope):
    return [a for a in assignments if same_scope(a['scope'], scope)]


def within(assignments, scope):
    """The assignments at scope or below it."""
    prefix = scope.rstrip('/').lower()
    return [a for a in assignments if a['scope'].rstrip('/').lower() == prefix or
            a['scope'].lower().startswith(prefix + '/')]


def made_by_us(assignment):
    """Whether az deeplake made it: it carries our description, or the name we derive from its scope, principal and
    role (the description can be edited; the name cannot)."""
    derived = str(_derived_name(assignment['scope'], assignment['principalId'] or '', role_id_of(assignment)))
    return assignment.get('description') == deeplake.ASSIGNMENT_DESCRIPTION or assignment['name'].lower() == derived


def assign(session, grant, principal_id, name, deadline):
    """Create the assignment: ('created', name), or ('present', its name) when an equal one exists."""
    from azure.cli.core.profiles import ResourceType, get_sdk
    from azure.core.exceptions import HttpResponseError
    parameters_type = get_sdk(session.cli_ctx, ResourceType.MGMT_AUTHORIZATION, 'RoleAssignmentCreateParameters',
                              mod='models', operation_group='role_assignments')
    parameters = parameters_type(role_definition_id=role_definition_id(session.subscription_id, grant.role_id),
                                 principal_id=principal_id, principal_type='ServicePrincipal',
                                 description=deeplake.ASSIGNMENT_DESCRIPTION)

    def create():
        try:
            session.authorization.role_assignments.create(grant.scope, name, parameters)
            return 'created', name
        except HttpResponseError as ex:
            if error_code(ex) == 'RoleAssignmentExists':
                return 'present', _existing_assignment_name(ex) or name
            if ex.status_code == 403:
                raise messages.cannot_assign_roles(grant.scope, ex.message) from ex
            raise

    return until_replicated(create, lambda ex: error_code(ex) == 'PrincipalNotFound',
                            'the new service principal to reach Azure RBAC', deadline)


def unassign(session, scope, name):
    """Delete an assignment; one already gone is fine (a rerun after a kill)."""
    from azure.core.exceptions import HttpResponseError
    try:
        session.authorization.role_assignments.delete(scope, name)
    except HttpResponseError as ex:
        if ex.status_code == 403:
            raise messages.cannot_assign_roles(scope, ex.message, action=messages.DELETE_ROLES) from ex
        if ex.status_code != 404:
            raise


def caller_permissions(session, account):
    """The caller's permission entries on the storage account (inherited ones included), each with its ABAC
    condition (None when unconditional)."""
    found = session.authorization.permissions.list_for_resource(
        account.resource_group, 'Microsoft.Storage', '', 'storageAccounts', account.name)
    return [Permission(list(p.actions or []), list(p.not_actions or []), _condition(p)) for p in found]


def _condition(entry):
    """The entry's ABAC condition, or None. azure-mgmt-authorization 3.0.0 (az 2.50) has no `condition` on the
    2022-04-01 Permission model: its deserializer keeps it in additional_properties."""
    condition = getattr(entry, 'condition', None)
    if condition is None:
        condition = (getattr(entry, 'additional_properties', None) or {}).get('condition')
    return condition or None


def allows(permissions, action):
    """Whether an unconditional permission entry grants action without excluding it (Azure's wildcard rules)."""
    return any(entry.grants(action) and not entry.condition for entry in permissions)


def assignment_verdicts(permissions, action, role_ids):
    """{role id: True, False or None}: whether the caller may do action (write or delete) on assignments of that role
    for a service principal. An unconditional grant allows every role, a conditional one what its condition allows;
    None when only conditions we cannot evaluate might allow it."""
    granting = [entry for entry in permissions if entry.grants(action)]

    def verdict(role_id):
        results = [conditions.evaluate(entry.condition, action, role_id) if entry.condition else True
                   for entry in granting]
        if True in results:
            return True
        return None if None in results else False

    return {role_id: verdict(role_id) for role_id in role_ids}


def roles_conditions_allow(permissions, action):
    """The role ids that the conditions on action's grants name as allowed (for telling the user)."""
    found = []
    for entry in permissions:
        if entry.condition and entry.grants(action):
            found += [r for r in conditions.allowed_role_ids(entry.condition) if r not in found]
    return found


@dataclass(frozen=True)
class Permission:
    actions: list
    not_actions: list
    condition: Optional[str] = None

    def grants(self, action):
        return _matches_any(self.actions, action) and not _matches_any(self.not_actions, action)


def _existing_assignment_name(ex):
    """The name in "The ID of the existing role assignment is <32 hex digits>."."""
    match = re.search(r'existing role assignment is ([0-9a-fA-F]{32})', str(ex))
    return str(uuid.UUID(hex=match.group(1))) if match else None


def error_code(ex):
    error = getattr(ex, 'error', None)
    return getattr(error, 'code', None)


def _matches_any(patterns, action):
    return any(re.match('(?i)^' + re.escape(p).replace(r'\*', '.*') + '$', action) for p in patterns)


def same_scope(left, right):
    return left.rstrip('/').lower() == right.rstrip('/').lower()
