import uuid

import pytest

from azext_deeplake import deeplake, messages, roles

ACCOUNT = ('/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/data/providers/'
           'Microsoft.Storage/storageAccounts/mystorage')
CONTAINER = ACCOUNT + '/blobServices/default/containers/datasets'
PRINCIPAL = '11111111-2222-3333-4444-555555555555'


def test_whole_account_gets_contributor_on_the_account_only():
    assert deeplake.grants_for(ACCOUNT) == [
        deeplake.Grant('Storage Blob Data Contributor', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe', ACCOUNT)]


def test_container_gets_contributor_on_container_and_delegator_on_account():
    assert deeplake.grants_for(ACCOUNT, ('datasets',)) == [
        deeplake.Grant('Storage Blob Data Contributor', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe', CONTAINER),
        deeplake.Grant('Storage Blob Delegator', 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a', ACCOUNT)]


def test_assignment_names_are_deterministic_guids():
    grant = deeplake.grants_for(ACCOUNT)[0]
    name = roles.assignment_name(grant, PRINCIPAL)
    assert uuid.UUID(name)
    assert name == roles.assignment_name(grant, PRINCIPAL)
    assert name == roles.assignment_name(deeplake.Grant(grant.role, grant.role_id, ACCOUNT.upper() + '/'),
                                         PRINCIPAL.upper())


def test_assignment_names_differ_by_scope_principal_and_role():
    account, container = deeplake.grants_for(ACCOUNT, ('datasets',))[1], deeplake.grants_for(ACCOUNT, ('datasets',))[0]
    names = {roles.assignment_name(account, PRINCIPAL), roles.assignment_name(container, PRINCIPAL),
             roles.assignment_name(deeplake.grants_for(ACCOUNT)[0], PRINCIPAL),
             roles.assignment_name(account, str(uuid.UUID(int=1)))}
    assert len(names) == 4


def test_role_definition_id():
    assert roles.role_definition_id('s', 'r') == '/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/r'


def assignment(scope, role_id, name='a'):
    return {'name': name, 'scope': scope,
            'roleDefinitionId': '/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/' + role_id}


def test_equal_assignment_matches_scope_case_insensitively_and_role_by_guid():
    grant = deeplake.grants_for(ACCOUNT, ('datasets',))[0]
    found = assignment(CONTAINER.upper(), grant.role_id.upper(), 'other-name')
    assert roles.find_equal([assignment(ACCOUNT, grant.role_id), found], grant) is found


def test_assignment_at_a_broader_scope_or_other_role_is_not_equal():
    grant = deeplake.grants_for(ACCOUNT, ('datasets',))[0]
    assert roles.find_equal([assignment(ACCOUNT, grant.role_id),
                             assignment(CONTAINER, deeplake.BLOB_DELEGATOR[1])], grant) is None


OWNER_RIGHTS = [roles.Permission(['*'], [])]
CONTRIBUTOR_RIGHTS = [roles.Permission(['*'], ['Microsoft.Authorization/*/Delete', 'Microsoft.Authorization/*/Write'])]
UAA_RIGHTS = [roles.Permission(['*/read', 'Microsoft.Authorization/*'], [])]
READER_RIGHTS = [roles.Permission(['*/read'], [])]


@pytest.mark.parametrize('permissions, action, allowed', [
    pytest.param(OWNER_RIGHTS, messages.ASSIGN_ROLES, True, id='owner-assigns'),
    pytest.param(CONTRIBUTOR_RIGHTS, messages.ASSIGN_ROLES, False, id='contributor-may-not-assign'),
    pytest.param(CONTRIBUTOR_RIGHTS, messages.WRITE_BLOB_SERVICE, True, id='contributor-writes-cors'),
    pytest.param(UAA_RIGHTS, messages.ASSIGN_ROLES, True, id='user-access-administrator-assigns'),
    pytest.param(UAA_RIGHTS, messages.WRITE_BLOB_SERVICE, False, id='user-access-administrator-may-not-write-cors'),
    pytest.param(READER_RIGHTS, messages.ASSIGN_ROLES, False, id='reader-may-not-assign'),
    pytest.param(CONTRIBUTOR_RIGHTS + UAA_RIGHTS, messages.ASSIGN_ROLES, True, id='contributor-and-uaa-assign'),
    pytest.param([], messages.ASSIGN_ROLES, False, id='no-permissions'),
])
def test_permissions_follow_azure_wildcards_and_not_actions(permissions, action, allowed):
    assert roles.allows(permissions, action) is allowed


def test_existing_assignment_name_is_read_from_the_conflict_message():
    class Conflict(Exception):
        pass
    ex = Conflict('The role assignment already exists. The ID of the existing role assignment is '
                  '0123456789abcdef0123456789abcdef.')
    assert roles._existing_assignment_name(ex) == '01234567-89ab-cdef-0123-456789abcdef'


CONTRIBUTOR_ID, DELEGATOR_ID = deeplake.BLOB_DATA_CONTRIBUTOR[1], deeplake.BLOB_DELEGATOR[1]
READER_ID = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'


def rbac_administrator(condition):
    """Contributor-like rights, plus role assignment writes under a condition (Role Based Access Control Admin)."""
    return CONTRIBUTOR_RIGHTS + [roles.Permission(['Microsoft.Authorization/roleAssignments/write'], [], condition)]


def constrained_to(*role_ids):
    return ("((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR "
            "(@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals "
            "{" + ', '.join(role_ids) + "}))")


def test_a_conditional_grant_is_not_an_unconditional_right():
    permissions = rbac_administrator(constrained_to(CONTRIBUTOR_ID, DELEGATOR_ID))
    assert not roles.allows(permissions, messages.ASSIGN_ROLES)
    assert roles.assignment_verdicts(permissions, messages.ASSIGN_ROLES, [CONTRIBUTOR_ID, DELEGATOR_ID]) == {
        CONTRIBUTOR_ID: True, DELEGATOR_ID: True}


def test_a_condition_that_excludes_a_role_refuses_it_and_names_what_it_allows():
    permissions = rbac_administrator(constrained_to(READER_ID, DELEGATOR_ID))
    assert roles.assignment_verdicts(permissions, messages.ASSIGN_ROLES, [CONTRIBUTOR_ID, DELEGATOR_ID]) == {
        CONTRIBUTOR_ID: False, DELEGATOR_ID: True}
    assert roles.roles_conditions_allow(permissions, messages.ASSIGN_ROLES) == [READER_ID, DELEGATOR_ID]


def test_an_unreadable_condition_is_unknown_and_an_unconditional_grant_wins():
    permissions = rbac_administrator('@Environment[isPrivateLink] BoolEquals true')
    assert roles.assignment_verdicts(permissions, messages.ASSIGN_ROLES, [CONTRIBUTOR_ID]) == {CONTRIBUTOR_ID: None}
    assert roles.assignment_verdicts(OWNER_RIGHTS + permissions, messages.ASSIGN_ROLES, [CONTRIBUTOR_ID]) == {
        CONTRIBUTOR_ID: True}
    assert roles.assignment_verdicts([], messages.ASSIGN_ROLES, [CONTRIBUTOR_ID]) == {CONTRIBUTOR_ID: False}
