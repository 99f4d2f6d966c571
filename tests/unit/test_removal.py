"""The removal plan: what unfederate removes, ours versus foreign, for each kind of object."""
import pytest
from azure.mgmt.storage.models import BlobServiceProperties, CorsRule, CorsRules

from azext_deeplake import deeplake, identity, removal, roles, storage
from azext_deeplake.plan_types import RemovalPlan
from azext_deeplake.status import PRESENT

ACCOUNT = storage.Account(
    id='/subscriptions/s/resourceGroups/data/providers/Microsoft.Storage/storageAccounts/mystorage',
    name='mystorage', resource_group='data', subscription_id='s', hierarchical_namespace=True,
    sku_tier='Standard', kind='StorageV2')
OTHER_ACCOUNT = ACCOUNT.id.replace('mystorage', 'otherstore')
PRINCIPAL, SOMEONE = '11111111-1111-1111-1111-111111111111', '22222222-2222-2222-2222-222222222222'
CONTRIBUTOR, DELEGATOR = deeplake.BLOB_DATA_CONTRIBUTOR[1], deeplake.BLOB_DELEGATOR[1]
READER = deeplake.BLOB_DATA_READER[1]
APP = {'id': 'app-object', 'appId': 'client', 'displayName': 'deeplake-mystorage', 'tags': [deeplake.APP_TAG]}


def scope(container=None):
    return deeplake.container_scope(ACCOUNT.id, container) if container else ACCOUNT.id


def assignment(where, role_id, principal=PRINCIPAL, ours=True, by_name=False):
    """ours: made by az deeplake, recognised by its description (or, by_name, by its derived name only)."""
    name = str(roles._derived_name(where, principal, role_id)) if ours and by_name else f'n-{where[-9:]}-{role_id[:4]}-{principal[:4]}'
    return {'name': name, 'scope': where, 'principalId': principal,
            'roleDefinitionId': '/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/' + role_id,
            'description': deeplake.ASSIGNMENT_DESCRIPTION if ours and not by_name else None}


def blob_service(*rules):
    return BlobServiceProperties(cors=CorsRules(cors_rules=[CorsRule(
        allowed_origins=r['allowedOrigins'], allowed_methods=r['allowedMethods'], allowed_headers=r['allowedHeaders'],
        exposed_headers=r['exposedHeaders'], max_age_in_seconds=r['maxAgeInSeconds']) for r in rules]))


def decide(held, everyone=(), containers=(), delete_app=False, app=APP, rules=(deeplake.CORS_RULE,)):
    request = deeplake.Request(account='mystorage', containers=tuple(containers), resource_group=None,
                               app_name='deeplake-mystorage', delete_app=delete_app)
    plan = RemovalPlan(request=request, tenant_id='t', account=ACCOUNT, identity=identity.of(request))
    plan.application = app
    plan.service_principal = {'id': PRINCIPAL} if app else None
    removal.decide(plan, list(held), list(everyone) + list(held), blob_service(*rules))
    return plan


def rows(plan):
    return sorted((a.grant.role, a.grant.scope.rsplit('/', 1)[-1], a.status, a.reason) for a in plan.assignments)


def test_the_account_federation_goes_with_its_cors_rule_and_the_app_stays():
    plan = decide([assignment(scope(), CONTRIBUTOR)])
    assert rows(plan) == [('Storage Blob Data Contributor', 'mystorage', PRESENT, None)]
    assert plan.cors_status == PRESENT and plan.cors_rules == []
    assert plan.application_status == removal.KEPT and plan.reasons['application'] == identity.WITHOUT_DELETE_APP
    assert [c.sentence() for c in plan.changes] == [f"remove Storage Blob Data Contributor at {ACCOUNT.id}",
                                                    'remove the CORS rule for https://app.activeloop.ai']


def test_an_assignment_is_ours_by_description_or_by_derived_name_and_foreign_otherwise():
    plan = decide([assignment(scope('a'), CONTRIBUTOR, by_name=True), assignment(scope('b'), READER, ours=False),
                   assignment(scope(), DELEGATOR)])
    assert rows(plan) == [('Storage Blob Data Contributor', 'a', PRESENT, None),
                          ('Storage Blob Data Reader', 'b', removal.KEPT, identity.NOT_OURS),
                          ('Storage Blob Delegator', 'mystorage', PRESENT, None)]


def test_one_container_leaves_the_delegator_and_cors_to_the_others():
    held = [assignment(scope('a'), CONTRIBUTOR), assignment(scope('b'), CONTRIBUTOR), assignment(scope(), DELEGATOR)]
    plan = decide(held, containers=['a'])
    assert rows(plan) == [('Storage Blob Data Contributor', 'a', PRESENT, None),
                          ('Storage Blob Delegator', 'mystorage', removal.KEPT, 'still needed for container(s) b')]
    assert plan.cors_status == removal.KEPT and 'container b' in plan.reasons['cors']


def test_the_last_container_takes_the_delegator_and_cors_with_it():
    plan = decide([assignment(scope('b'), READER), assignment(scope(), DELEGATOR)], containers=['b'])
    assert [r[2] for r in rows(plan)] == [PRESENT, PRESENT] and plan.cors_status == PRESENT


def test_a_foreign_delegator_is_kept():
    plan = decide([assignment(scope('b'), READER), assignment(scope(), DELEGATOR, ours=False)], containers=['b'])
    assert rows(plan)[1] == ('Storage Blob Delegator', 'mystorage', removal.KEPT, identity.NOT_OURS)


def test_a_second_run_finds_everything_absent():
    plan = decide([], containers=['a'], delete_app=True, app=None, rules=())
    assert rows(plan) == [('Storage Blob Data Contributor', 'a', removal.ABSENT, None),
                          ('Storage Blob Delegator', 'mystorage', removal.ABSENT, None)]
    assert (plan.cors_status, plan.application_status) == (removal.ABSENT, removal.ABSENT)
    assert plan.changes == [] and plan.complete


def test_cors_stays_while_another_principal_holds_our_assignments_but_not_for_foreign_ones():
    others = [assignment(scope(), CONTRIBUTOR, principal=SOMEONE)]
    assert decide([assignment(scope(), CONTRIBUTOR)], everyone=others).cors_status == removal.KEPT
    foreign = [assignment(scope(), CONTRIBUTOR, principal=SOMEONE, ours=False)]
    assert decide([assignment(scope(), CONTRIBUTOR)], everyone=foreign).cors_status == PRESENT


def test_only_a_rule_equal_to_ours_in_all_five_fields_goes_and_the_others_keep_their_order():
    first = dict(deeplake.CORS_RULE, allowedOrigins=['https://a.example'])
    variant = dict(deeplake.CORS_RULE, maxAgeInSeconds=5)
    plan = decide([assignment(scope(), CONTRIBUTOR)], rules=(first, deeplake.CORS_RULE, variant))
    assert plan.cors_status == PRESENT and plan.cors_rules == [first, variant]
    assert decide([assignment(scope(), CONTRIBUTOR)], rules=(variant,)).cors_status == removal.ABSENT


MINE = [assignment(scope(), CONTRIBUTOR)]


@pytest.mark.parametrize('held, containers, app, stopped_by', [
    pytest.param(MINE, (), APP, None, id='ours-without-access-elsewhere'),
    pytest.param(MINE, (), dict(APP, tags=[]), 'was not created by az deeplake', id='not-ours'),
    pytest.param(MINE + [assignment(OTHER_ACCOUNT, CONTRIBUTOR)], (), APP, OTHER_ACCOUNT,
                 id='our-access-on-another-account'),
    pytest.param([assignment(scope('a'), CONTRIBUTOR), assignment(scope('b'), CONTRIBUTOR),
                  assignment(scope(), DELEGATOR)], ['a'], APP, scope('b'), id='our-access-on-another-container'),
    pytest.param(MINE + [assignment(OTHER_ACCOUNT, CONTRIBUTOR, ours=False)], (), APP, None,
                 id='foreign-access-elsewhere-does-not-count'),
])
def test_delete_app_goes_only_for_our_app_with_no_access_left_elsewhere(held, containers, app, stopped_by):
    plan = decide(held, containers=containers, delete_app=True, app=app)
    if stopped_by is None:
        assert not plan.blockers and plan.application_status == PRESENT
        assert plan.changes[-1].sentence().startswith('delete application')
    else:
        assert plan.application_status == removal.KEPT and stopped_by in str(plan.blockers[0])
