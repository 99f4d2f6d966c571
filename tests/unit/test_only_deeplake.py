"""Who else can act as the identity, what else it holds, and whose application Deep Lake's ID names."""
from concurrent.futures import Future

import pytest

from azext_deeplake import deeplake, identity, only_deeplake, roles, storage
from azext_deeplake.plan_types import Plan

ACCOUNT = storage.Account(
    id='/subscriptions/s/resourceGroups/data/providers/Microsoft.Storage/storageAccounts/mystorage',
    name='mystorage', resource_group='data', subscription_id='s', hierarchical_namespace=True,
    sku_tier='Standard', kind='StorageV2')
CALLER, EVE = 'caller-id', 'eve-id'
GRAPH = 'https://graph.microsoft.com/v1.0'
APP = {'id': 'app-object', 'appId': 'client', 'displayName': 'deeplake-mystorage', 'tags': [deeplake.APP_TAG],
       'passwordCredentials': [], 'keyCredentials': [], 'federatedIdentityCredentials': [
           {'id': 'ours', 'name': 'deeplake', 'issuer': deeplake.ISSUER, 'subject': deeplake.SUBJECT,
            'audiences': [deeplake.AUDIENCE]}]}
PRINCIPAL = {'id': 'sp-object', 'appId': 'client', 'passwordCredentials': [], 'keyCredentials': []}
USER = {'@odata.type': '#microsoft.graph.user', 'id': EVE, 'displayName': 'Eve', 'userPrincipalName': 'eve@x.com'}
ME = {'@odata.type': '#microsoft.graph.user', 'id': CALLER, 'displayName': 'Me', 'userPrincipalName': 'me@x.com'}


def done(value):
    future = Future()
    future.set_result(value)
    return future


def planned(app=APP, principal=PRINCIPAL, accepted=()):
    request = deeplake.Request(account='mystorage', containers=('datasets',), resource_group=None,
                               app_name='deeplake-mystorage', accepted_owners=tuple(accepted))
    plan = Plan(request=request, tenant_id='t', account=ACCOUNT, identity=identity.of(request), application=app,
                application_status='present', service_principal=principal, credential=APP[
                    'federatedIdentityCredentials'][0])
    return plan


def facts(plan, app_owners=(ME,), principal_owners=(), grants=(), memberships=(), assignments=(), unreadable=()):
    found = only_deeplake.Facts(objects=plan.identity.actors(plan), caller=CALLER, graph_base=GRAPH,
                                assignments=list(assignments), unreadable=list(unreadable))
    owners = {'application': app_owners, 'servicePrincipal': principal_owners}
    found.owners = {kind: done(list(owners[kind]) if isinstance(owners[kind], tuple) else owners[kind])
                    for kind, _ in found.objects}
    found.app_role_assignments, found.memberships = done(list(grants)), done(list(memberships))
    return found


def checked(plan, found, removing=False):
    only_deeplake.check(plan, found, deeplake.grants_for(ACCOUNT.id, ('datasets',)), removing)
    return {c['name']: c for c in plan.checks}


def kinds(check):
    return [(f['kind'], f['on']) for f in check['findings']]


def test_an_application_only_deep_lake_and_the_caller_can_act_as_passes_both_checks():
    plan = planned()
    checks = checked(plan, facts(plan))
    assert [(c['name'], c['status']) for c in checks.values()] == [('onlyDeepLake', 'ok'), ('onlyThisAccess', 'ok')]
    assert not plan.blockers and not plan.warnings


@pytest.mark.parametrize('change, expected', [
    ({'app_owners': (ME, USER)}, [('owner', 'application')]),
    ({'principal_owners': (USER,)}, [('owner', 'servicePrincipal')]),
], ids=['application owner', 'service principal owner'])
def test_an_owner_other_than_the_caller_is_a_finding(change, expected):
    plan = planned()
    checks = checked(plan, facts(plan, **change))
    assert kinds(checks['onlyDeepLake']) == expected and checks['onlyDeepLake']['status'] == 'blocker'
    assert "owner 'eve@x.com' (Eve, can add secrets to it)" in str(plan.blockers[0])


def test_secrets_certificates_and_other_credentials_on_either_object_are_findings():
    secret = {'keyId': 'k1', 'displayName': 'ci', 'hint': 'abc', 'startDateTime': '2026-01-02T00:00:00Z',
              'endDateTime': '2027-01-02T00:00:00Z'}
    app = dict(APP, passwordCredentials=[secret],
               federatedIdentityCredentials=APP['federatedIdentityCredentials'] + [
                   {'id': 'gh', 'name': 'github', 'issuer': 'https://token.actions.githubusercontent.com',
                    'subject': 'repo:x/y:ref:refs/heads/main', 'audiences': ['api://AzureADTokenExchange']}])
    principal = dict(PRINCIPAL, keyCredentials=[{'keyId': 'k2', 'displayName': 'cert'}])
    plan = planned(app=app, principal=principal)
    found = checked(plan, facts(plan))['onlyDeepLake']['findings']
    assert [(f['kind'], f['on'], f['name'], f['detail']) for f in found] == [
        ('secret', 'application', "'ci'", "hint 'abc', added 2026-01-02, expires 2027-01-02"),
        ('federatedCredential', 'application', "'github'",
         'trusts issuer https://token.actions.githubusercontent.com, subject repo:x/y:ref:refs/heads/main'),
        ('certificate', 'servicePrincipal', "'cert'", '')]
    assert [f['fix'] for f in found] == [
        'az ad app credential delete --id client --key-id k1',
        'az ad app federated-credential delete --id client --federated-credential-id gh',
        'az ad sp credential delete --id client --key-id k2 --cert']


def test_an_accepted_owner_is_recorded_and_an_unknown_one_is_warned_about():
    plan = planned(accepted=('EVE@x.com', 'nobody@x.com'))
    checks = checked(plan, facts(plan, app_owners=(ME, USER)))
    assert checks['onlyDeepLake']['status'] == 'ok'
    assert plan.accepted_owners == [{'id': EVE, 'displayName': 'Eve', 'userPrincipalName': 'eve@x.com'}]
    assert plan.warnings == ['--accept-owner nobody@x.com: no such owner of the application or its service '
                             'principal; nothing accepted.']


def assignment(scope, role_id, ours=False):
    return {'id': scope + '/providers/Microsoft.Authorization/roleAssignments/n', 'name': 'n', 'scope': scope,
            'principalId': 'sp-object', 'roleDefinitionId': '/providers/x/roleDefinitions/' + role_id,
            'description': deeplake.ASSIGNMENT_DESCRIPTION if ours else None}


def test_other_access_is_found_but_ours_and_equal_grants_are_not():
    container = deeplake.container_scope(ACCOUNT.id, 'datasets')
    held = [assignment(container, deeplake.BLOB_DATA_CONTRIBUTOR[1]),  # equal to a needed grant, made by someone
            assignment('/subscriptions/other/resourceGroups/x/providers/Microsoft.Storage/storageAccounts/y',
                       deeplake.BLOB_DATA_CONTRIBUTOR[1], ours=True),  # ours, elsewhere
            assignment('/subscriptions/s/resourceGroups/ci', 'b24988ac-6180-42a0-ab88-20f7382dd24c')]
    grants = [{'id': 'g1', 'appRoleId': 'r1', 'resourceDisplayName': 'Microsoft Graph'}]
    memberships = [{'@odata.type': '#microsoft.graph.group', 'id': 'grp'},
                   {'@odata.type': '#microsoft.graph.directoryRole', 'id': 'dr', 'displayName': 'Global Reader'}]
    plan = planned()
    found = checked(plan, facts(plan, grants=grants, memberships=memberships, assignments=held))['onlyThisAccess']
    assert [(f['kind'], f['name']) for f in found['findings']] == [
        ('roleAssignment', "'Contributor'"), ('appRoleAssignment', "'r1' of Microsoft Graph"),
        ('directoryRole', "'Global Reader'")]
    assert found['findings'][2]['fix'] == \
        f"az rest --method DELETE --url '{GRAPH}/directoryRoles/dr/members/sp-object/$ref'"


def test_refused_reads_are_warnings_not_blockers():
    plan = planned()
    refused = only_deeplake.Refused(only_deeplake.ONLY_DEEPLAKE, 'the owners of the application',
                                    'Insufficient privileges')
    found = facts(plan, app_owners=refused,
                  unreadable=[{'id': 'x', 'displayName': 'X', 'reason': 'denied'}])
    checks = checked(plan, found)
    assert [c['status'] for c in checks.values()] == ['warning', 'warning']
    assert 'the owners of the application (Insufficient privileges)' in checks['onlyDeepLake']['message']
    assert "subscription 'X' (x) (denied)" in checks['onlyThisAccess']['message']
    assert not plan.blockers


def test_unfederate_reports_findings_but_is_not_blocked():
    plan = planned()
    checks = checked(plan, facts(plan, app_owners=(USER,)), removing=True)
    assert checks['onlyDeepLake']['status'] == 'blocker' and not plan.blockers and plan.warnings


# ---- whose application Deep Lake's ID names ---------------------------------------------------------------

def deep_lake_plan(principal=None, local=None):
    request = deeplake.Request(account='mystorage', containers=(), resource_group=None, app_name='x',
                               deeplake_app_id='dl-app')
    plan = Plan(request=request, tenant_id='our-tenant', account=ACCOUNT, identity=identity.of(request))
    plan.identity.plan(plan, None, {'principal': done(principal), 'local': done(local)})
    plan.identity.check(plan)
    return plan


def published_by(tenant, kind='Application'):
    return {'id': 'sp', 'appId': 'dl-app', 'appDisplayName': 'Deep Lake', 'appOwnerOrganizationId': tenant,
            'servicePrincipalType': kind, 'publisherName': 'Activeloop', 'verifiedPublisher': {}}


@pytest.mark.parametrize('principal, local, refusal', [
    (None, None, None),
    (published_by('activeloop-tenant'), None, None),
    (None, {'displayName': 'ci'}, "is application 'ci' registered in your own tenant"),
    (published_by('our-tenant'), None, 'is an application of your own tenant'),
    (published_by('f8cdef31-a31e-4b4a-93e4-5f571e91255a'), None, "is an application of Microsoft's tenant"),
    (published_by('activeloop-tenant', 'ManagedIdentity'), None, 'of type ManagedIdentity'),
    (published_by(None), None, 'is an application of no tenant'),
], ids=['not installed yet', 'another tenant', 'this tenant, registered', 'this tenant, installed', 'Microsoft',
        'managed identity', 'no owning tenant'])
def test_only_an_application_another_tenant_publishes_can_be_deep_lakes(principal, local, refusal):
    plan = deep_lake_plan(principal, local)
    check = next(c for c in plan.checks if c['name'] == identity.DEEPLAKE_APPLICATION)
    if refusal is None:
        assert check['status'] == 'ok' and not plan.blockers
    else:
        assert check['status'] == 'blocker' and refusal in str(plan.blockers[0])
        assert 'Nothing was changed.' in str(plan.blockers[0])


# ---- the caller's rights from its own role assignments ----------------------------------------------------

class Definitions:
    """An authorization client that knows two role definitions."""
    PERMISSIONS = {'contributor': [(['*'], ['Microsoft.Authorization/*/Write', 'Microsoft.Authorization/*/Delete'])],
                   'rbac-admin': [(['Microsoft.Authorization/roleAssignments/write'], [])]}

    def get(self, scope, role_id):  # pylint: disable=unused-argument
        from types import SimpleNamespace
        return SimpleNamespace(permissions=[SimpleNamespace(actions=a, not_actions=n)
                                            for a, n in self.PERMISSIONS[role_id]])


class Session:  # pylint: disable=too-few-public-methods
    def __init__(self):
        from types import SimpleNamespace
        self.authorization = SimpleNamespace(role_definitions=Definitions())

    @staticmethod
    def arm(call):
        return call()


class Pool:  # pylint: disable=too-few-public-methods
    @staticmethod
    def submit(function, *args):
        return done(function(*args))


def caller_assignment(role, condition=None):
    return {'scope': '/subscriptions/s', 'roleDefinitionId': '/x/roleDefinitions/' + role, 'condition': condition}


def test_without_conditions_on_the_callers_assignments_the_permissions_api_decides():
    permissions = [roles.Permission(['*'], [])]
    assert roles.rights_with_conditions(Session(), ACCOUNT, permissions, [caller_assignment('contributor')],
                                        Pool()) is permissions


def test_a_condition_on_an_assignment_replaces_what_the_permissions_api_shows():
    condition = ('@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals '
                 '{' + deeplake.BLOB_DATA_READER[1] + '}')
    assigned = [caller_assignment('contributor'), caller_assignment('rbac-admin', condition)]
    rights = roles.rights_with_conditions(Session(), ACCOUNT, [roles.Permission(['*'], [])], assigned, Pool())
    assert rights == [
        roles.Permission(['*'], ['Microsoft.Authorization/*/Write', 'Microsoft.Authorization/*/Delete']),
        roles.Permission(['Microsoft.Authorization/roleAssignments/write'], [], condition)]
    assert roles.assignment_verdicts(rights, 'Microsoft.Authorization/roleAssignments/write',
                                     [deeplake.BLOB_DELEGATOR[1]]) == {deeplake.BLOB_DELEGATOR[1]: False}
