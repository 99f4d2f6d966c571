"""Every error of az deeplake federate (issue step 9), with the real az in an emulated Cloud Shell.

Each test checks the exit code, that the message says what to do, and that nothing was created.
"""
import pytest

from azext_deeplake import deeplake

from .helpers import ACCOUNT, CONTAINER, GROUP, account_id, assert_fails, federate, owned_state, writes


@pytest.mark.parametrize('args, message', [
    (['--account', 'My_Storage'], "'My_Storage' is not a valid storage account name"),
    (['--account', ACCOUNT, '--container', 'Data--Sets'], "'Data--Sets' is not a valid container name"),
    (['--account', ACCOUNT, '--credential-name', 'deep lake'], "'deep lake' is not a valid federated credential"),
    (['--account', '/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/virtualMachines/vm'],
     'is not a storage account resource ID'),
    (['--account', ACCOUNT, '--issuer', 'http://example.com'], 'must be an https URL'),
])
def test_invalid_names_fail_before_any_request(shell, azure, args, message):
    assert_fails(federate(shell, *args), 1, message)
    assert azure.requests() == []


def test_unknown_account(shell, azure):
    before = owned_state(azure)
    assert_fails(federate(shell, '--account', 'nosuchaccount'), 3,
                 "Storage account 'nosuchaccount' was not found in subscription", 'az storage account list')
    assert writes(azure) == [] and owned_state(azure) == before


def test_unknown_account_in_resource_group(shell, azure):
    assert_fails(federate(shell, '--account', ACCOUNT, '-g', 'othergroup'), 3,
                 "was not found in resource group 'othergroup'")
    assert writes(azure) == []


def test_unknown_container(shell, azure):
    before = owned_state(azure)
    assert_fails(federate(shell, '--account', ACCOUNT, '--container', 'nosuchcontainer'), 3,
                 f"Container 'nosuchcontainer' does not exist in storage account '{ACCOUNT}'",
                 'leave out --container')
    assert writes(azure) == [] and owned_state(azure) == before


def test_no_right_to_read_applications(shell, azure):
    azure.deny('graph.applications.read')
    assert_fails(federate(shell, '--account', ACCOUNT), 1,
                 f"did not let you read app registrations in tenant '{azure.tenant_id}'",
                 "'Users can register applications'", 'Application Developer', 'Nothing was changed.')
    assert writes(azure) == []


def test_no_right_to_register_applications(shell, azure):
    before = owned_state(azure)
    azure.deny('graph.applications.write')
    assert_fails(federate(shell, '--account', ACCOUNT, '--container', CONTAINER), 1,
                 'did not let you register an application', 'Insufficient privileges to complete the operation.',
                 'Application Administrator', 'Nothing was changed.')
    assert [(w['method'], w['path'].split('(')[0]) for w in writes(azure)] == [('PATCH', '/v1.0/applications')]
    assert owned_state(azure) == before


def test_no_right_to_assign_roles_stops_before_the_first_write(shell, azure):
    before = owned_state(azure)
    azure.deny('arm.roleAssignments.write')
    assert_fails(federate(shell, '--account', ACCOUNT, '--container', CONTAINER), 1,
                 'You may not assign roles at', f'/storageAccounts/{ACCOUNT}',
                 'Owner, User Access Administrator or Role Based Access Control Administrator', 'Nothing was changed.')
    assert writes(azure) == [] and owned_state(azure) == before


def test_no_right_to_change_cors_stops_unless_skipped(shell, azure):
    azure.deny('arm.blobServices.write')
    assert_fails(federate(shell, '--account', ACCOUNT), 1, 'You may not change the CORS rules', '--skip-cors')
    assert writes(azure) == []
    assert federate(shell, '--account', ACCOUNT, '--skip-cors').returncode == 0


@pytest.mark.parametrize('command', [pytest.param(['show'], id='show'),
                                     pytest.param(['federate', '--dry-run'], id='dry-run')])
def test_show_and_dry_run_list_the_missing_rights(shell, azure, command):
    azure.deny('arm.roleAssignments.write', 'arm.blobServices.write')
    result = shell.az('deeplake', *command, '--account', ACCOUNT, '--container', CONTAINER)
    assert result.returncode == 0, result.stderr
    assert [blocker.split(' (')[0] for blocker in result.json['blockers']] == [
        f"You may not assign roles at '{account_id(azure)}'", f"You may not change the CORS rules of storage account "
        f"'{ACCOUNT}'"]
    assert 'It would stop first:\n  You may not assign roles' in result.stderr
    assert result.json['complete'] is False and writes(azure) == []


def test_several_applications_with_the_name(shell, azure):
    _, first = azure.add_application('deeplake-' + ACCOUNT)
    _, second = azure.add_application('deeplake-' + ACCOUNT)
    assert_fails(federate(shell, '--account', ACCOUNT), 1,
                 f"2 applications are named 'deeplake-{ACCOUNT}'", first, second, '--app-name')
    assert writes(azure) == []


def test_a_credential_with_other_values_is_never_changed(shell, azure):
    object_id, app_id = azure.add_application('deeplake-' + ACCOUNT)
    azure.add_federated_credential(object_id, 'deeplake', deeplake.ISSUER, 'us-east-1:someone-else',
                                   [deeplake.AUDIENCE])
    before = owned_state(azure)
    assert_fails(federate(shell, '--account', ACCOUNT), 1,
                 "federated credential 'deeplake' that does not match Deep Lake",
                 f"subject is 'us-east-1:someone-else', Deep Lake needs '{deeplake.SUBJECT}'", app_id)
    assert writes(azure) == [] and owned_state(azure) == before


def test_a_second_run_after_a_failure_finishes_without_duplicates(shell, azure):
    # The right to assign roles disappears once the preflight check has passed: the run fails half way.
    azure.on_request(lambda entry: azure.deny('arm.roleAssignments.write'), method='POST',
                     path_regex='/servicePrincipals')
    failed = federate(shell, '--account', ACCOUNT, '--container', CONTAINER)
    assert_fails(failed, 1, 'You may not assign roles', "does not have authorization to perform action "
                 "'Microsoft.Authorization/roleAssignments/write'", 'Run the same command again')
    azure.allow()
    finished = federate(shell, '--account', ACCOUNT, '--container', CONTAINER)
    assert finished.returncode == 0, finished.stderr
    output = finished.json
    assert output['application']['status'] == 'present' and output['servicePrincipal']['status'] == 'present'
    assert [a['status'] for a in output['roleAssignments']] == ['created', 'created']
    state = azure.snapshot()
    assert len(state['applications']) == 1 and len(state['servicePrincipals']) == 1
    assert len(state['applications'][0]['federatedIdentityCredentials']) == 1
    assert len(state['roleAssignments']) == 2
    assert len(state['storageAccounts'][0]['corsRules']) == 1
    assert GROUP in output['storageAccountId']
