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


def assignments_of(session, scope, principal_id=None, assigned_to=None):
    """The assignments at, above and below scope, within its subscription (as the API documents), of one principal
    (principal_id), of one principal and the groups it is in (assigned_to), or of all, as plain dicts."""
    query = (f"principalId eq '{principal_id}'" if principal_id else
             f"assignedTo('{assigned_to}')" if assigned_to else None)
    return session.arm(lambda: [_plain(a) for a in session.authorization.role_assignments.list_for_scope(
        scope, filter=query)])


def _plain(assignment):
    return {'id': assignment.id, 'name': assignment.name, 'scope': assignment.scope,
            'roleDefinitionId': assignment.role_definition_id, 'principalId': assignment.principal_id,
            'description': getattr(assignment, 'description', None), 'condition': _condition(assignment)}


def assignments_everywhere(session, principal_id, subscriptions, pool):
    """(assignments, unreadable): the principal's assignments in every subscription the caller can list, read
    concurrently (a list covers one subscription only), and the subscriptions whose assignments the caller may
    not read, each as {id, displayName, reason}."""
    from azure.core.exceptions import HttpResponseError
    reads = {s['id']: pool.submit(assignments_of, session, f"/subscriptions/{s['id']}", principal_id)
             for s in subscriptions}
    found, unreadable = [], []
    for subscription in subscriptions:
        try:
            found += reads[subscription['id']].result()
        except HttpResponseError as ex:
            if ex.status_code != 403:
                raise
            unreadable.append(dict(subscription, reason=_first_line(ex.message)))
    return found, unreadable


def role_id_of(assignment):
    return assignment['roleDefinitionId'].rstrip('/').rsplit('/', 1)[-1].lower()


def find_equal(assignments, grant):
    """The assignment that grants exactly this role at exactly this scope, under any name."""
    return next((a for a in at_scope(assignments, grant.scope) if role_id_of(a) == grant.role_id.lower()), None)


def at_scope(assignments, scope):
    return [a for a in assignments if same_scope(a['scope'], scope)]


def within(assignments, scope):
    """The assignments at scope or below it."""
    return [a for a in assignments if at_or_above(scope, a['scope'])]


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
            session.arm(lambda: session.authorization.role_assignments.create(grant.scope, name, parameters))
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
        session.arm(lambda: session.authorization.role_assignments.delete(scope, name))
    except HttpResponseError as ex:
        if ex.status_code == 403:
            raise messages.cannot_assign_roles(scope, ex.message, action=messages.DELETE_ROLES) from ex
        if ex.status_code != 404:
            raise


def caller_permissions(session, account):
    """The caller's permission entries on the storage account (inherited ones included), each with its ABAC
    condition (None when unconditional)."""
    found = session.arm(lambda: list(session.authorization.permissions.list_for_resource(
        account.resource_group, 'Microsoft.Storage', '', 'storageAccounts', account.name)))
    return [Permission(list(p.actions or []), list(p.not_actions or []), _condition(p)) for p in found]


def _condition(entry):
    """The ABAC condition of a permission entry or role assignment, or None. azure-mgmt-authorization 3.0.0 (az 2.50)
    has no `condition` on the 2022-04-01 Permission model: its deserializer keeps it in additional_properties."""
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


def rights_with_conditions(session, account, permissions, caller_assignments, pool):
    """The caller's permission entries on the account. The permissions API shows a condition only in a preview
    version, and nothing documents that an assignment's condition appears there; role assignments document theirs.
    So when any of the caller's assignments at or above the account carries a condition, the entries are rebuilt
    from those assignments: each one's role definition, with its condition. Otherwise the API's entries stand."""
    if not caller_assignments or not any(a['condition'] for a in caller_assignments):
        return permissions
    definitions = {role: pool.submit(_role_permissions, session, account.id, role)
                   for role in {role_id_of(a) for a in caller_assignments}}
    return [Permission(actions, not_actions, a['condition'])
            for a in caller_assignments for actions, not_actions in definitions[role_id_of(a)].result()]


def _role_permissions(session, scope, role_id):
    """[(actions, notActions)] of a role definition."""
    definition = session.arm(lambda: session.authorization.role_definitions.get(scope, role_id))
    return [(list(p.actions or []), list(p.not_actions or [])) for p in definition.permissions or []]


def roles_conditions_allow(permissions, action):
    """The role ids that the conditions on action's grants name as allowed (for telling the user)."""
    found = []
    for entry in permissions:
        if entry.condition and entry.grants(action):
            found += [r for r in conditions.allowed_role_ids(entry.condition, action) if r not in found]
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


def _first_line(text):
    return (text or '').strip().splitlines()[0] if (text or '').strip() else ''


def error_code(ex):
    error = getattr(ex, 'error', None)
    return getattr(error, 'code', None)


def _matches_any(patterns, action):
    return any(re.match('(?i)^' + re.escape(p).replace(r'\*', '.*') + '$', action) for p in patterns)


def at_or_above(scope, inner):
    """Whether scope is inner itself or one of its ancestors (case-insensitive)."""
    scope, inner = scope.rstrip('/').lower(), inner.rstrip('/').lower()
    return inner == scope or inner.startswith(scope + '/')


def same_scope(left, right):
    return left.rstrip('/').lower() == right.rstrip('/').lower()
