import pytest
from azure.cli.core.azclierror import ValidationError

from azext_deeplake import cors, deeplake, identity, plan as planning, report, roles, storage
from azext_deeplake._format import table

ACCOUNT = storage.Account(
    id='/subscriptions/s/resourceGroups/data/providers/Microsoft.Storage/storageAccounts/mystorage',
    name='mystorage', resource_group='data', subscription_id='s', hierarchical_namespace=True,
    sku_tier='Standard', kind='StorageV2')


OWN = identity.OwnApplication()


def new_plan(*containers, credential_name='deeplake', data_role='contributor'):
    request = deeplake.Request(account='mystorage', containers=containers, resource_group=None,
                               app_name='deeplake-mystorage', credential_name=credential_name, data_role=data_role)
    return planning.Plan(request=request, tenant_id='t', account=ACCOUNT, identity=OWN)


def fic(name='deeplake', issuer=deeplake.ISSUER, subject=deeplake.SUBJECT, audience=deeplake.AUDIENCE):
    return {'id': 'fic-' + name, 'name': name, 'issuer': issuer, 'subject': subject, 'audiences': [audience]}


def app(*credentials, tags=(deeplake.APP_TAG,)):
    return {'id': 'object-id', 'appId': 'client-id', 'displayName': 'deeplake-mystorage', 'tags': list(tags),
            'federatedIdentityCredentials': list(credentials)}


def test_no_application_means_everything_is_missing():
    plan = new_plan()
    OWN.plan_application(plan, [])
    assert (plan.application_status, plan.credential_status) == (planning.MISSING, planning.MISSING)
    assert not plan.blockers and not plan.warnings


def test_several_applications_with_the_name_stop_with_their_client_ids():
    with pytest.raises(ValidationError, match=r"2 applications are named 'deeplake-mystorage' \(client IDs: a, b\)"):
        OWN.plan_application(new_plan(), [dict(app(), appId='b'), dict(app(), appId='a')])


def test_matching_credential_under_another_name_is_kept():
    plan = new_plan()
    OWN.plan_application(plan, [app(fic(name='deep_lake_credential'))])
    assert plan.credential_status == planning.PRESENT
    assert plan.credential['name'] == 'deep_lake_credential'
    assert not plan.blockers


def test_credential_with_our_name_but_other_subject_is_a_blocker_that_says_what_differs():
    plan = new_plan()
    OWN.plan_application(plan, [app(fic(subject='us-east-1:other'))])
    OWN.check(plan)
    assert plan.credential_status == planning.DIFFERENT
    assert plan.credential_differences == [
        "subject is 'us-east-1:other', Deep Lake needs '{}'".format(deeplake.SUBJECT)]
    message = str(plan.blockers[0])
    assert "federated credential 'deeplake' that does not match Deep Lake" in message
    assert 'never changes an existing trust' in message and '--credential-name' in message


def test_same_issuer_and_subject_with_other_audience_is_different():
    plan = new_plan()
    OWN.plan_application(plan, [app(fic(name='x', audience='api://AzureADTokenExchange'))])
    assert plan.credential_status == planning.DIFFERENT
    assert plan.credential_differences[0].startswith('audiences is')


def test_subject_matching_is_case_sensitive():
    plan = new_plan(credential_name='other')
    OWN.plan_application(plan, [app(fic(name='x', subject=deeplake.SUBJECT.upper()))])
    assert plan.credential_status == planning.MISSING


def test_twenty_credentials_block_adding_ours():
    plan = new_plan()
    OWN.plan_application(plan, [app(*[fic(name='c{}'.format(i), subject=str(i)) for i in range(20)])])
    OWN.check(plan)
    assert 'already has 20 federated credentials' in str(plan.blockers[0])


def test_reusing_an_application_we_did_not_create_warns():
    plan = new_plan()
    OWN.plan_application(plan, [app(tags=())])
    assert 'which az deeplake did not create' in plan.warnings[0]


def test_cors_limit_is_reported_with_the_fix():
    plan = new_plan()
    from azure.mgmt.storage.models import BlobServiceProperties, CorsRule, CorsRules
    rules = [CorsRule(allowed_origins=['https://{}.example'.format(i)], allowed_methods=['GET'], allowed_headers=[],
                      exposed_headers=[], max_age_in_seconds=0) for i in range(5)]
    planning._plan_cors(plan, BlobServiceProperties(cors=CorsRules(cors_rules=rules)))
    assert plan.cors_status == cors.LIMIT
    assert 'already has 5 CORS rules' in plan.warnings[0] and 'cors-rule list' in plan.warnings[0]
    assert not plan.complete


def test_premium_general_purpose_accounts_do_not_support_cors():
    plan = new_plan()
    plan.account = storage.Account(**dict(ACCOUNT.__dict__, sku_tier='Premium'))
    planning._plan_cors(plan, None)
    assert plan.cors_status == planning.UNSUPPORTED


def test_missing_rights_become_blockers_only_for_needed_writes():
    plan = new_plan('datasets')
    planning._plan_assignments(plan, [])
    plan.cors_status = planning.MISSING
    planning.check_rights(plan, [roles.Permission(['*/read'], [])])
    assert [type(b).__name__ for b in plan.blockers] == ['ForbiddenError', 'ForbiddenError']
    assert 'Microsoft.Authorization/roleAssignments/write' in str(plan.blockers[0])
    done = new_plan()
    planning.check_rights(done, [roles.Permission(['*/read'], [])])
    assert not done.blockers


def test_changes_list_every_write_in_order():
    plan = new_plan('datasets')
    planning._plan_assignments(plan, [])
    plan.cors_status = planning.MISSING
    assert [change.sentence() for change in plan.changes] == [
        "create application 'deeplake-mystorage'", "add federated credential 'deeplake'",
        'create its service principal',
        "assign Storage Blob Data Contributor at {}/blobServices/default/containers/datasets".format(ACCOUNT.id),
        "assign Storage Blob Delegator at {}".format(ACCOUNT.id),
        'add a CORS rule for https://app.activeloop.ai']


def test_the_summary_puts_one_change_a_line_with_short_scopes():
    plan = new_plan('datasets')
    planning._plan_assignments(plan, [])
    plan.cors_status = planning.MISSING
    output = report.result(plan, report.DRY_RUN)
    assert report.next_steps(plan, output, report.DRY_RUN).splitlines() == [
        'Dry run, nothing was changed. az deeplake federate would:',
        "  create application 'deeplake-mystorage'", "  add federated credential 'deeplake'",
        '  create its service principal', '  assign Storage Blob Data Contributor at mystorage/datasets',
        '  assign Storage Blob Delegator at mystorage', '  add a CORS rule for https://app.activeloop.ai']
    assert output['changes'][3].endswith('/storageAccounts/mystorage/blobServices/default/containers/datasets')


def test_result_and_table_describe_each_piece():
    plan = new_plan('datasets')
    OWN.plan_application(plan, [app(fic())])
    planning._plan_assignments(plan, [])
    plan.cors_status = planning.PRESENT
    output = report.result(plan, report.SHOW)
    assert output['deepLake'] == {'tenantId': 't', 'clientId': 'client-id',
                                  'credentialName': 'azure-mystorage-datasets', 'paths': ['az://mystorage/datasets']}
    assert output['containers'] == ['datasets'] and output['complete'] is False
    assert [r['Status'] for r in table(output)] == ['present', 'present', 'missing', 'missing', 'missing', 'present']
    assert table(output)[3]['Name'] == 'mystorage/datasets'


def test_subscriptions_that_cannot_be_listed_leave_the_accounts_own_and_a_warning():
    from azure.core.exceptions import HttpResponseError

    class Refusing:  # pylint: disable=too-few-public-methods
        @staticmethod
        def subscriptions():
            raise HttpResponseError(message='The client does not have authorization')
    plan = new_plan()
    assert planning._listed_subscriptions(Refusing(), plan) == []
    assert plan.warnings == ["Could not list your subscriptions (The client does not have authorization): role "
                             "assignments were read in the storage account's subscription only."]
