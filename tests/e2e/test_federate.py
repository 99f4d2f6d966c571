"""az deeplake federate, --dry-run and show with the real az and the built wheel, in an emulated Cloud Shell."""
import os
import zipfile

import pytest

from azext_deeplake import deeplake
from tests.cloudshell import ROOT

from .helpers import ACCOUNT, CONTAINER, GROUP, account_id, assert_fails, federate, federated, token_requests, writes


def test_the_wheel_holds_only_the_extension_and_no_dependencies(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(next(n for n in names if n.endswith('.dist-info/METADATA'))).decode()
    assert {n.split('/')[0] for n in names if not n.split('/')[0].endswith('.dist-info')} == {'azext_deeplake'}
    assert 'azext_deeplake/azext_metadata.json' in names
    assert not any(n.startswith('tests/') for n in names)
    assert 'Requires-Dist' not in metadata


def test_federate_by_resource_id_with_a_query(shell, azure):
    result = federate(shell, '--account', account_id(azure), '--container', CONTAINER, '--query', 'deepLake')
    assert result.returncode == 0, result.stderr
    app = azure.snapshot()['applications'][0]
    assert result.json == {'tenantId': azure.tenant_id, 'clientId': app['appId'],
                           'credentialName': f'azure-{ACCOUNT}-{CONTAINER}', 'paths': [f'az://{ACCOUNT}/{CONTAINER}']}
    assert 'Next, in the Deep Lake app' in result.stderr and 'deeplake.open(' in result.stderr
    assert 'Next' not in result.stdout


def test_resource_group_must_match_the_resource_id(shell, azure):
    assert_fails(federate(shell, '--account', account_id(azure), '-g', 'other'), 1,
                 "--resource-group 'other' does not match the resource group in the account ID")
    assert azure.requests() == []


def test_table_output(shell, azure):
    result = federate(shell, '--account', ACCOUNT, '-o', 'table')
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ['Item', 'Name', 'Status']
    assert [line.split()[-1] for line in lines[2:]] == ['created'] * 5
    assert 'Storage Blob Data Contributor' in result.stdout and ACCOUNT in lines[5]


def test_dry_run_sends_no_write_request(shell, azure):
    before = azure.snapshot()
    result = federate(shell, '--account', ACCOUNT, '--container', CONTAINER, '--dry-run')
    assert result.returncode == 0, result.stderr
    assert result.json['dryRun'] is True and len(result.json['changes']) == 6
    assert 'Dry run, nothing was changed.' in result.stderr
    assert writes(azure) == [] and azure.snapshot() == before


def test_existing_matching_credential_and_application_are_reused(shell, azure):
    object_id, app_id = azure.add_application('deeplake-' + ACCOUNT)
    azure.add_federated_credential(object_id, 'deep_lake_credential', deeplake.ISSUER, deeplake.SUBJECT,
                                   [deeplake.AUDIENCE])
    result = federate(shell, '--account', ACCOUNT)
    assert result.returncode == 0, result.stderr
    output = result.json
    assert output['application'] == {'displayName': 'deeplake-' + ACCOUNT, 'clientId': app_id,
                                     'objectId': object_id, 'createdByAzDeeplake': False, 'status': 'present'}
    assert output['federatedCredential']['name'] == 'deep_lake_credential'
    assert output['federatedCredential']['status'] == 'present'
    assert output['servicePrincipal']['status'] == 'created'
    assert 'which az deeplake did not create' in result.stderr
    assert len(azure.snapshot()['applications'][0]['federatedIdentityCredentials']) == 1


def test_an_equal_assignment_under_another_name_counts_as_present(shell, azure):
    # Someone assigns the same role while federate runs: its PUT answers 409 RoleAssignmentExists.
    def assign_first(entry):
        principal = entry['body']['properties']['principalId']
        azure.add_role_assignment(account_id(azure), deeplake.BLOB_DATA_CONTRIBUTOR[1], principal)
    azure.on_request(assign_first, method='PUT', path_regex='/roleAssignments/')
    result = federate(shell, '--account', ACCOUNT)
    assert result.returncode == 0, result.stderr
    existing = [a['name'] for a in azure.snapshot()['roleAssignments']]
    assert result.json['roleAssignments'][0]['status'] == 'present'
    assert result.json['roleAssignments'][0]['name'] == existing[0] and len(existing) == 1


def test_show_then_federate_then_rerun(shell, azure):
    shown = shell.az('deeplake', 'show', '--account', ACCOUNT, '--container', CONTAINER)
    assert shown.returncode == 0 and shown.json['complete'] is False
    assert 'Deep Lake access is not complete' in shown.stderr
    assert writes(azure) == []
    assert federate(shell, '--account', ACCOUNT, '--container', CONTAINER).returncode == 0
    azure.clear_requests()
    rerun = federate(shell, '--account', ACCOUNT, '--container', CONTAINER)
    assert rerun.returncode == 0 and rerun.json['changes'] == [] and rerun.json['complete'] is True
    assert writes(azure) == []
    shown = shell.az('deeplake', 'show', '--account', ACCOUNT, '--container', CONTAINER)
    assert shown.json['complete'] is True


def test_federate_whole_account_leaves_exactly_this_state(shell, azure):
    result = federate(shell, '--account', ACCOUNT)
    assert result.returncode == 0, result.stderr
    state = azure.snapshot()
    [app] = state['applications']
    assert (app['displayName'], app['signInAudience'], app['tags'], app['notes']) == (
        'deeplake-' + ACCOUNT, 'AzureADMyOrg', [deeplake.APP_TAG], deeplake.APP_NOTES)
    assert [(f['name'], f['issuer'], f['subject'], f['audiences']) for f in app['federatedIdentityCredentials']] == [
        ('deeplake', deeplake.ISSUER, deeplake.SUBJECT, [deeplake.AUDIENCE])]
    [principal] = state['servicePrincipals']
    assert principal['appId'] == app['appId'] == result.json['deepLake']['clientId']
    assert [(a['roleName'], a['scope'], a['principalId'], a['principalType'], a['description'])
            for a in state['roleAssignments']] == [
        ('Storage Blob Data Contributor', account_id(azure), principal['id'], 'ServicePrincipal',
         deeplake.ASSIGNMENT_DESCRIPTION)]
    assert state['storageAccounts'][0]['corsRules'] == [deeplake.CORS_RULE]


def test_federate_one_container_leaves_exactly_this_state(shell, azure):
    result = federate(shell, '--account', ACCOUNT, '--container', CONTAINER, '-g', GROUP)
    assert result.returncode == 0, result.stderr
    state = azure.snapshot()
    principal = state['servicePrincipals'][0]['id']
    assert sorted((a['roleName'], a['scope'], a['principalId']) for a in state['roleAssignments']) == [
        ('Storage Blob Data Contributor', f'{account_id(azure)}/blobServices/default/containers/{CONTAINER}',
         principal),
        ('Storage Blob Delegator', account_id(azure), principal)]
    names = sorted(a['name'] for a in result.json['roleAssignments'])
    assert sorted(a['name'] for a in state['roleAssignments']) == names
    assert state['storageAccounts'][0]['corsRules'] == [deeplake.CORS_RULE]


def pinned_az_version():
    """The azure-cli version requirements-dev.txt pins: the newest tested, which the main run uses."""
    with open(os.path.join(ROOT, 'requirements-dev.txt'), encoding='utf-8') as pins:
        return next(line.split('==', 1)[1].strip() for line in pins if line.startswith('azure-cli=='))


def test_the_az_under_test_is_the_one_asked_for(az_version):
    """CI runs this suite on the pinned, newest tested azure-cli and again on the oldest supported one (named by
    DEEPLAKE_EXPECT_AZ_VERSION): prove which one ran. Another az (DEEPLAKE_TEST_AZ) must name its version too."""
    assert az_version == (os.environ.get('DEEPLAKE_EXPECT_AZ_VERSION') or pinned_az_version())


# az 2.50's Cloud Shell login (msrestazure's MSIAuthentication) fetches an ARM token when az makes the credential,
# and the extension fetches its own: one ARM token request more than README's "once per resource".
ARM_TOKEN_FETCHED_TWICE = ('2.50.0',)


def test_one_token_request_per_resource_per_command(shell, azure, az_version):
    """README, Speed: one login per command; Cloud Shell's token endpoint is asked once per resource (on az 2.50,
    which caches no Cloud Shell token, az itself asks for one ARM token more)."""
    federated(shell, '--container', CONTAINER)
    arm = ['https://management.core.windows.net/'] * (2 if az_version in ARM_TOKEN_FETCHED_TWICE else 1)
    assert sorted(token_requests(azure)) == ['https://graph.microsoft.com/'] + arm
