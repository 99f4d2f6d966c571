"""Deep Lake's "Connect Azure Storage" wizard flow (--deeplake-app-id): the identity is the service principal of Deep
Lake's own multi-tenant application; with the real az in an emulated Cloud Shell."""
import time
import uuid

import pytest

from azext_deeplake import deeplake

from .helpers import ACCOUNT, CONTAINER, DEEPLAKE_APP_ID, GROUP, assert_fails, federate, held, writes


@pytest.fixture
def wizard(azure):
    """The emulator with Deep Lake's multi-tenant application published by another tenant."""
    azure.add_external_application(DEEPLAKE_APP_ID, 'Deep Lake')
    return azure


def connect(shell, *args):
    return federate(shell, '--account', ACCOUNT, '--deeplake-app-id', DEEPLAKE_APP_ID, *args)


def test_the_whole_account_for_deep_lakes_application(shell, wizard):
    azure = wizard
    result = connect(shell)
    assert result.returncode == 0, result.stderr
    output = result.json
    principal = azure.snapshot()['servicePrincipals']
    assert [p['appId'] for p in principal] == [DEEPLAKE_APP_ID]
    assert azure.snapshot()['applications'] == []  # no registration, no credential in this tenant
    assert held(azure) == [('Storage Blob Data Contributor', ACCOUNT)]
    assert output['deepLake'] == {
        'tenantId': azure.tenant_id, 'subscriptionId': azure.subscription_id, 'resourceGroup': GROUP,
        'storageAccount': ACCOUNT, 'containers': [], 'paths': [f'az://{ACCOUNT}/<container>'],
        'servicePrincipalObjectId': principal[0]['id']}
    assert (output['application']['status'], output['federatedCredential']['status']) == ('external', 'notNeeded')
    assert output['servicePrincipal']['status'] == 'created' and output['complete'] is True
    with azure.session() as graph:  # marked as ours (README)
        installed = graph.get(f"https://graph.microsoft.com/v1.0/servicePrincipals(appId='{DEEPLAKE_APP_ID}')")
    assert installed.json()['tags'] == [deeplake.APP_TAG]
    for line in ('"Connect Azure Storage" wizard', f'Tenant ID:        {azure.tenant_id}',
                 f'Subscription ID:  {azure.subscription_id}', f'Resource group:   {GROUP}',
                 f'Storage account:  {ACCOUNT}', 'Verify access'):
        assert line in result.stderr


def test_containers_for_deep_lakes_application_and_an_idempotent_rerun(shell, wizard):
    azure = wizard
    first = connect(shell, '-c', CONTAINER, '--role', 'reader')
    assert first.returncode == 0, first.stderr
    assert held(azure) == [('Storage Blob Data Reader', CONTAINER), ('Storage Blob Delegator', ACCOUNT)]
    assert first.json['deepLake']['containers'] == [CONTAINER]
    assert first.json['deepLake']['paths'] == [f'az://{ACCOUNT}/{CONTAINER}']
    azure.clear_requests()
    again = connect(shell, '-c', CONTAINER, '--role', 'reader')
    assert again.returncode == 0, again.stderr
    assert again.json['changes'] == [] and writes(azure) == []
    shown = shell.az('deeplake', 'show', '--account', ACCOUNT, '--deeplake-app-id', DEEPLAKE_APP_ID, '-c',
                     CONTAINER, '--role', 'reader', '-o', 'table')
    assert shown.returncode == 0 and 'notNeeded' in shown.stdout and 'external' in shown.stdout, shown.stderr


def test_dry_run_in_the_wizard_flow_lists_the_changes_and_writes_nothing(shell, wizard):
    result = connect(shell, '-c', CONTAINER, '--dry-run')
    assert result.returncode == 0, result.stderr
    assert result.json['changes'][0] == f"create the service principal of Deep Lake's application {DEEPLAKE_APP_ID}"
    assert len(result.json['changes']) == 4 and writes(wizard) == []


def test_the_rights_preflight_stops_the_wizard_flow_before_the_principal_is_installed(shell, wizard):
    wizard.deny('arm.roleAssignments.write')
    assert_fails(connect(shell, '-c', CONTAINER), 1, 'You may not assign roles at', 'Nothing was changed.')
    assert writes(wizard) == [] and wizard.snapshot()['servicePrincipals'] == []


def test_a_principal_the_user_installed_is_reused_and_never_deleted(shell, wizard):
    azure = wizard
    principal = azure.add_service_principal(DEEPLAKE_APP_ID)  # az ad sp create --id <APP_ID>
    result = connect(shell)
    assert result.returncode == 0, result.stderr
    assert result.json['servicePrincipal'] == {'objectId': principal, 'status': 'present'}
    assert 'POST' not in [r['method'] for r in azure.requests() if r['service'] == 'graph']
    azure.clear_requests()
    refused = shell.az('deeplake', 'unfederate', '--account', ACCOUNT, '--deeplake-app-id', DEEPLAKE_APP_ID,
                       '--delete-app', '--yes')
    assert_fails(refused, 1, 'was not created by az deeplake', 'Nothing was changed.')
    assert writes(azure) == []


def test_caller_without_consent_gets_the_admin_consent_url_and_nothing_is_written(shell, wizard):
    azure = wizard
    azure.deny('graph.consent')
    result = connect(shell, '-c', CONTAINER)
    assert_fails(result, 1, f"You may not install Deep Lake's application {DEEPLAKE_APP_ID}",
                 f'az ad sp create --id {DEEPLAKE_APP_ID}', 'or to run this same command',
                 f'https://login.microsoftonline.com/{azure.tenant_id}/adminconsent?client_id={DEEPLAKE_APP_ID}',
                 'Nothing was changed.')
    assert [(w['method'], w['path']) for w in writes(azure)] == [('POST', '/v1.0/servicePrincipals')]
    azure.allow()  # the administrator consented
    assert connect(shell, '-c', CONTAINER).returncode == 0


def test_an_unknown_application_id_stops_at_once(shell, wizard):
    unknown = str(uuid.UUID(int=7))
    started = time.monotonic()
    result = federate(shell, '--account', ACCOUNT, '--deeplake-app-id', unknown, '--timeout', '300')
    assert_fails(result, 1, f"'{unknown}' is not the ID of an application", 'Copy the application ID again',
                 'Nothing was changed.')
    assert time.monotonic() - started < 30
    assert [(w['method'], w['status']) for w in writes(wizard)] == [('POST', 400)]


@pytest.mark.parametrize('option', [['--app-name', 'mine'], ['--credential-name', 'x'],
                                    ['--issuer', 'https://issuer.example'], ['--subject', 's'], ['--audience', 'a']])
def test_the_app_id_excludes_the_options_of_an_own_application(shell, wizard, option):
    result = connect(shell, *option)
    assert_fails(result, 1, option[0], '--deeplake-app-id')
    assert wizard.requests() == []


def test_an_app_id_that_is_no_guid_fails_before_any_request(shell, wizard):
    assert_fails(federate(shell, '--account', ACCOUNT, '--deeplake-app-id', 'deeplake'), 1,
                 "'deeplake' is not an application ID")
    assert wizard.requests() == []


def test_unfederate_removes_our_access_and_with_delete_app_the_principal(shell, wizard):
    azure = wizard
    assert connect(shell, '-c', CONTAINER).returncode == 0
    kept = shell.az('deeplake', 'unfederate', '--account', ACCOUNT, '--deeplake-app-id', DEEPLAKE_APP_ID, '--yes')
    assert kept.returncode == 0, kept.stderr
    assert kept.json['servicePrincipal']['status'] == 'kept' and held(azure) == []
    assert azure.snapshot()['storageAccounts'][0]['corsRules'] == []
    removed = shell.az('deeplake', 'unfederate', '--account', ACCOUNT, '--deeplake-app-id', DEEPLAKE_APP_ID,
                       '--delete-app', '--yes')
    assert removed.returncode == 0, removed.stderr
    assert removed.json['servicePrincipal']['status'] == 'removed'
    assert azure.snapshot()['servicePrincipals'] == []


def test_delete_app_keeps_a_principal_with_our_access_elsewhere(shell, wizard):
    azure = wizard
    azure.add_storage_account(GROUP, 'dlstore02')
    assert connect(shell).returncode == 0
    assert federate(shell, '--account', 'dlstore02', '--deeplake-app-id', DEEPLAKE_APP_ID).returncode == 0
    azure.clear_requests()
    result = shell.az('deeplake', 'unfederate', '--account', ACCOUNT, '--deeplake-app-id', DEEPLAKE_APP_ID,
                      '--delete-app', '--yes')
    assert_fails(result, 1, 'still has az deeplake role assignments (in the subscriptions you can read) at',
                 '/storageAccounts/dlstore02')
    assert writes(azure) == []


# ---- --cors-origin ---------------------------------------------------------------------------------------------

OTHER_ORIGIN = 'https://deeplake.example.com'
EXISTING = {'allowedOrigins': [deeplake.APP_ORIGIN], 'allowedMethods': ['GET', 'HEAD', 'PUT'],
            'allowedHeaders': ['*'], 'exposedHeaders': ['*'], 'maxAgeInSeconds': 3600}


def test_cors_origins_already_allowed_are_not_added_again_and_one_rule_holds_the_rest(shell, azure, reseed):
    reseed(cors_rules=[EXISTING])
    result = federate(shell, '--account', ACCOUNT, '--cors-origin', deeplake.APP_ORIGIN, OTHER_ORIGIN)
    assert result.returncode == 0, result.stderr
    assert result.json['cors'] == {'status': 'created', 'allowedOrigins': [deeplake.APP_ORIGIN, OTHER_ORIGIN]}
    rules = azure.snapshot()['storageAccounts'][0]['corsRules']
    assert rules == [EXISTING, dict(deeplake.CORS_RULE, allowedOrigins=[OTHER_ORIGIN])]
    removal = shell.az('deeplake', 'unfederate', '--account', ACCOUNT, '--cors-origin', deeplake.APP_ORIGIN,
                       OTHER_ORIGIN, '--yes')
    assert removal.returncode == 0 and removal.json['cors']['status'] == 'removed', removal.stderr
    assert azure.snapshot()['storageAccounts'][0]['corsRules'] == [EXISTING]


def test_an_invalid_cors_origin_fails_before_any_request(shell, azure):
    assert_fails(federate(shell, '--account', ACCOUNT, '--cors-origin', 'app.activeloop.ai/x'), 1,
                 "'app.activeloop.ai/x' is not a valid CORS origin")
    assert azure.requests() == []
