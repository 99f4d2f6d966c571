"""Where real Azure answers differently from the happy path (issue: hardening), with the real az in an emulated
Cloud Shell. Each test switches on the emulator's knob for that behaviour and fails without the product's fix."""
import time

import pytest

from azext_deeplake import deeplake

from .helpers import (ACCOUNT, APP_NAME, APP_UPSERT, CONTAINER, CONTRIBUTOR, DELEGATOR, FICS, GROUP, READER,
                      SERVICE_PRINCIPALS, assert_fails, assert_federated_once, constrained_to, federate, statuses,
                      writes)


def federate_container(shell, *args):
    return federate(shell, '--account', ACCOUNT, '--container', CONTAINER, *args)


# ---- 1. the CORS write keeps every other blob service setting --------------------------------------------------

BLOB_SETTINGS = {
    'deleteRetentionPolicy': {'enabled': True, 'days': 14, 'allowPermanentDelete': False},
    'containerDeleteRetentionPolicy': {'enabled': True, 'days': 9},
    'isVersioningEnabled': True,
    'changeFeed': {'enabled': True, 'retentionInDays': 30},
    'lastAccessTimeTrackingPolicy': {'enable': True, 'name': 'AccessTimeTracking', 'trackingGranularityInDays': 1,
                                     'blobType': ['blockBlob']},
    'restorePolicy': {'enabled': True, 'days': 7, 'lastEnabledTime': '2026-11-01T10:00:00.0000000Z',
                      'minRestoreTime': '2026-11-01T10:00:00.0000000Z'},
    'defaultServiceVersion': '2020-10-02',
}


def test_the_cors_write_keeps_every_other_blob_service_setting(shell, azure, reseed):
    reseed(blob_properties=BLOB_SETTINGS)
    azure.blob_put_resets_omitted = True  # the pessimistic reading of an undocumented ARM behaviour
    result = federate_container(shell)
    assert result.returncode == 0, result.stderr
    after = azure.blob_service_properties(GROUP, ACCOUNT)
    assert after.pop('cors')['corsRules'] == [deeplake.CORS_RULE]
    assert after == BLOB_SETTINGS


# ---- 2. a 400 from the federated credential create ------------------------------------------------------------

def test_an_invalid_audience_ends_the_command_at_once(shell, azure):
    started = time.monotonic()
    result = federate_container(shell, '--audience', 'x' * 700, '--timeout', '60', '--yes')
    assert_fails(result, 1, 'Microsoft Graph refused the federated credential', '--audience',
                 "Invalid value specified for property 'audiences'")
    assert statuses(azure, 'POST', FICS) == [400]
    assert time.monotonic() - started < 30


def test_the_credential_limit_reached_meanwhile_ends_the_command_at_once(shell, azure):
    object_id, _ = azure.add_application(APP_NAME, tags=[deeplake.APP_TAG])

    def fill_up(entry):  # someone adds twenty credentials between our read and our write
        for number in range(20):
            azure.add_federated_credential(object_id, f'other-{number}', 'https://issuer.example', f'subject-{number}')
    azure.on_request(fill_up, method='POST', path_regex=FICS)
    result = federate_container(shell, '--timeout', '60')
    assert_fails(result, 1, 'Microsoft Graph refused the federated credential', 'remove one it no longer needs')
    assert statuses(azure, 'POST', FICS) == [400]
    assert len(azure.snapshot()['applications'][0]['federatedIdentityCredentials']) == 20


def test_deep_lakes_trust_under_another_name_is_reported_present(shell, azure):
    object_id, _ = azure.add_application(APP_NAME, tags=[deeplake.APP_TAG])
    # It appears between our read and our write, under another name.
    azure.on_request(lambda entry: azure.add_federated_credential(object_id, 'legacy', deeplake.ISSUER,
                                                                  deeplake.SUBJECT, [deeplake.AUDIENCE]),
                     method='POST', path_regex=FICS)
    result = federate_container(shell, '--timeout', '60')
    assert result.returncode == 0, result.stderr
    assert result.json['federatedCredential']['status'] == 'present'
    assert result.json['federatedCredential']['name'] == 'legacy'
    assert statuses(azure, 'POST', FICS) == [400]
    assert [f['name'] for f in azure.snapshot()['applications'][0]['federatedIdentityCredentials']] == ['legacy']


# ---- 3. the service principal of a just-created application ---------------------------------------------------

def test_a_local_tenant_403_for_a_new_application_is_waited_out(shell, azure):
    azure.graph_replication_delay = 3
    azure.sp_create_forbidden_while_replicating = True
    result = federate_container(shell)
    assert result.returncode == 0, result.stderr
    assert 403 in statuses(azure, 'POST', SERVICE_PRINCIPALS)
    assert 'Waiting for the new application' in result.stderr
    assert_federated_once(azure)


def test_after_a_409_the_principal_is_read_by_key_while_lists_lag(shell, azure):
    azure.graph_list_lag = 60
    azure.fail(method='POST', host='graph', path_regex=SERVICE_PRINCIPALS, status='lost')
    result = federate_container(shell)
    assert result.returncode == 0, result.stderr
    assert statuses(azure, 'POST', SERVICE_PRINCIPALS) == ['drop', 409]
    assert_federated_once(azure)


# ---- 4. application creation is idempotent while Graph's lists lag ---------------------------------------------

def test_a_run_killed_after_the_application_create_and_rerun_at_once_leaves_one(shell, azure):
    azure.graph_list_lag = 60  # the new application stays out of every list for the whole test
    process = {}
    # Whichever way the application is created (an upsert, or a plain POST), the run dies as Azure creates it.
    hooks = [azure.on_request(lambda entry: process['az'].kill(), method=method, path_regex=path)
             for method, path in (('PATCH', APP_UPSERT), ('POST', r'^/v1\.0/applications$'))]
    process['az'] = shell.start('deeplake', 'federate', '--account', ACCOUNT, '--container', CONTAINER)
    process['az'].communicate(timeout=120)
    assert process['az'].returncode < 0  # killed
    for remove_hook in hooks:
        remove_hook()
    assert len(azure.snapshot()['applications']) == 1  # Azure did create it
    rerun = federate_container(shell)
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.json['application']['status'] == 'present'
    assert statuses(azure, 'PATCH', APP_UPSERT) == [201]  # the rerun read the application by its key
    assert statuses(azure, 'GET', APP_UPSERT) == [404, 200]
    assert_federated_once(azure)


def test_delete_the_application_then_federate_again(shell, azure):
    first = federate_container(shell)
    assert first.returncode == 0, first.stderr
    client_id = first.json['application']['clientId']
    assert shell.az('ad', 'app', 'delete', '--id', client_id).returncode == 0
    again = federate_container(shell)
    assert again.returncode == 0, again.stderr
    assert again.json['application']['status'] == 'created'
    state = azure.snapshot()
    assert [a['appId'] for a in state['deletedApplications']] == [client_id]
    (live,) = state['applications']
    assert live['appId'] == again.json['deepLake']['clientId'] != client_id
    assert live['uniqueName'] == state['deletedApplications'][0]['uniqueName'] + '-2'
    rerun = federate_container(shell)
    assert rerun.returncode == 0 and rerun.json['changes'] == [], rerun.stderr


# ---- 5. the rights preflight understands ABAC conditions -------------------------------------------------------

@pytest.mark.parametrize('condition', [constrained_to(CONTRIBUTOR, DELEGATOR, READER),
                                       constrained_to(CONTRIBUTOR, DELEGATOR, principal_types=['ServicePrincipal'])])
def test_a_condition_that_allows_our_roles_passes(shell, azure, condition):
    azure.grant_role_assignments_with_condition(condition)
    result = federate_container(shell)
    assert result.returncode == 0, result.stderr
    assert 'condition' not in result.stderr
    assert_federated_once(azure)


@pytest.mark.parametrize('condition, allowed', [
    (constrained_to(READER, DELEGATOR), 'Storage Blob Data Reader, Storage Blob Delegator'),
    (constrained_to(CONTRIBUTOR, DELEGATOR, principal_types=['User', 'Group']),
     'Storage Blob Data Contributor, Storage Blob Delegator'),
])
def test_a_condition_that_excludes_our_roles_stops_before_the_first_write(shell, azure, condition, allowed):
    azure.grant_role_assignments_with_condition(condition)
    result = federate_container(shell)
    assert_fails(result, 1, 'only under a condition that does not allow', f'(it allows: {allowed})',
                 'Nothing was changed.')
    assert writes(azure) == []


def test_a_condition_we_cannot_evaluate_warns_and_goes_on(shell, azure):
    azure.grant_role_assignments_with_condition(
        "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR "
        "(@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals "
        "{" + CONTRIBUTOR + ", " + DELEGATOR + "} AND @Environment[isPrivateLink] BoolEquals true))")
    result = federate_container(shell)
    assert result.returncode == 0, result.stderr
    assert 'comes with a condition that az deeplake cannot evaluate' in result.stderr
    assert_federated_once(azure)


# ---- 6. an existing application the caller does not own -------------------------------------------------------

def foreign_app_with_deep_lakes_credential(azure):
    object_id, app_id = azure.add_application(APP_NAME, owned=False)
    azure.add_federated_credential(object_id, 'deeplake', deeplake.ISSUER, deeplake.SUBJECT, [deeplake.AUDIENCE])
    return app_id


def test_a_refused_credential_read_asks_for_ownership_and_changes_nothing(shell, azure):
    app_id = foreign_app_with_deep_lakes_credential(azure)
    azure.non_owner_access = 'deny'
    result = federate_container(shell)
    assert_fails(result, 1, f"did not let you read the federated credentials of application '{APP_NAME}'", app_id,
                 'Application Administrator', 'az ad app owner add')
    assert 'register applications' not in result.stderr
    assert writes(azure) == []


def test_an_empty_credential_read_never_adds_a_second_credential(shell, azure):
    app_id = foreign_app_with_deep_lakes_credential(azure)
    azure.non_owner_access = 'empty'
    result = federate_container(shell)
    assert_fails(result, 1, f"did not let you add a federated credential to application '{APP_NAME}'", app_id,
                 'Application Administrator')
    assert 'register applications' not in result.stderr
    assert [(w['method'], w['path'].rsplit('/', 1)[-1]) for w in writes(azure)] == [
        ('POST', 'federatedIdentityCredentials')]
    assert len(azure.snapshot()['applications'][0]['federatedIdentityCredentials']) == 1


def test_when_deleted_applications_hold_every_key_federate_says_how_to_free_one(shell, azure):
    for key in deeplake.unique_names(APP_NAME):
        object_id, _ = azure.add_application(APP_NAME, uniqueName=key)
        azure.state.directory.delete_application(azure.state.directory.apps[object_id])
    result = federate_container(shell)
    assert_fails(result, 1, f"Every key for application '{APP_NAME}'", 'is held by a deleted application',
                 'Deleted applications', 'Nothing was changed.')
    assert azure.snapshot()['applications'] == []
    assert statuses(azure, 'PATCH', APP_UPSERT) == [400] * deeplake.UNIQUE_NAME_GENERATIONS
