"""The ABAC condition under which README's "Testing against real Azure" grants the live tests' identity Role Based
Access Control Administrator (.github/live-rbac-condition.txt): in the portal's "constrain roles and principal
types" form, it lets the identity write and delete assignments of exactly the three storage roles az deeplake
assigns, for service principals only, and az deeplake's own rights preflight reads it so."""
import os

import pytest

from azext_deeplake import conditions, deeplake
from tests.conftest import ROOT
from tests.e2e.test_real_azure import constrained_to

CONDITION = os.path.join(ROOT, '.github', 'live-rbac-condition.txt')
OUR_ROLES = [deeplake.BLOB_DATA_CONTRIBUTOR[1], deeplake.BLOB_DATA_READER[1], deeplake.BLOB_DELEGATOR[1]]
OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635'


@pytest.fixture(scope='module')
def condition():
    with open(CONDITION, encoding='utf-8') as f:
        return f.read()


def test_it_constrains_writes_as_the_portal_does_and_deletes_alike(condition):
    write = constrained_to(*OUR_ROLES, principal_types=['ServicePrincipal'])
    delete = write.replace('roleAssignments/write', 'roleAssignments/delete').replace('@Request[', '@Resource[')
    assert condition == f'{write}\nAND\n{delete}\n'


@pytest.mark.parametrize('action', [conditions.WRITE, conditions.DELETE])
def test_it_allows_our_roles_for_service_principals_and_nothing_else(condition, action):
    assert [conditions.evaluate(condition, action, role) for role in OUR_ROLES] == [True, True, True]
    assert conditions.evaluate(condition, action, OWNER) is False
    assert conditions.evaluate(condition, action, OUR_ROLES[0], principal_type='User') is False
    assert conditions.allowed_role_ids(condition) == OUR_ROLES
