"""The whole lifecycle with the real az in an emulated Cloud Shell: several containers, read-only access, and
unfederate, which removes what federate made and nothing else."""
import pytest

from azext_deeplake import deeplake

from .helpers import (ACCOUNT, APP_NAME, APPLICATIONS, CONTAINER, CONTRIBUTOR, DELEGATOR, GROUP, MODELS, READER,
                      ROLE_ASSIGNMENTS, answer_at_a_terminal, assert_fails, constrained_to, container_scope, cors_rules,
                      federate, federated, held, output_statuses, requests_to, unfederate, writes)

FOREIGN_RULE = {'allowedOrigins': ['https://example.com', 'https://other.example'], 'allowedMethods': ['GET', 'PUT'],
                'allowedHeaders': ['x-ms-meta-*'], 'exposedHeaders': ['x-ms-meta-data*'], 'maxAgeInSeconds': 200}


@pytest.fixture
def two_containers(azure):
    azure.add_container(GROUP, ACCOUNT, MODELS)
    return azure


# ---- several containers and read-only access -------------------------------------------------------------------

def test_several_containers_share_one_application_and_one_delegator(shell, two_containers):
    azure = two_containers
    output = federated(shell, '-c', CONTAINER, MODELS)
    assert output['containers'] == [CONTAINER, MODELS]
    assert output['deepLake']['paths'] == [f'az://{ACCOUNT}/{CONTAINER}', f'az://{ACCOUNT}/{MODELS}']
    assert held(azure) == [('Storage Blob Data Contributor', CONTAINER), ('Storage Blob Data Contributor', MODELS),
                           ('Storage Blob Delegator', ACCOUNT)]
    assert len(azure.snapshot()['applications']) == 1 and len(azure.snapshot()['servicePrincipals']) == 1
    shown = shell.az('deeplake', 'show', '--account', ACCOUNT, '-c', CONTAINER, MODELS)
    assert shown.json['complete'] is True and shown.json['changes'] == []


def test_every_container_is_checked_before_the_first_write(shell, two_containers):
    result = federate(shell, '--account', ACCOUNT, '-c', CONTAINER, 'nosuch1', MODELS, 'nosuch2')
    assert_fails(result, 3, "Container 'nosuch1', 'nosuch2' does not exist")
    assert writes(two_containers) == []


def test_reader_grants_storage_blob_data_reader_and_show_checks_the_role_asked_for(shell, azure):
    federated(shell, '-c', CONTAINER, '--role', 'reader')
    assert held(azure) == [('Storage Blob Data Reader', CONTAINER), ('Storage Blob Delegator', ACCOUNT)]
    reader = shell.az('deeplake', 'show', '--account', ACCOUNT, '-c', CONTAINER, '--role', 'reader').json
    assert reader['complete'] is True
    contributor = shell.az('deeplake', 'show', '--account', ACCOUNT, '-c', CONTAINER).json
    assert contributor['complete'] is False
    assert contributor['roleAssignments'][0]['status'] == 'different'
    assert contributor['roleAssignments'][0]['reason'] == 'holds Storage Blob Data Reader'


def test_federate_never_widens_a_data_role_silently(shell, azure):
    federated(shell, '-c', CONTAINER, '--role', 'reader')
    azure.clear_requests()
    result = federate(shell, '--account', ACCOUNT, '-c', CONTAINER, '--role', 'contributor')
    assert_fails(result, 1, 'already holds Storage Blob Data Reader', 'az deeplake unfederate', 'never widens')
    assert writes(azure) == []
    assert unfederate(shell, '-c', CONTAINER, '--yes').returncode == 0
    assert federate(shell, '--account', ACCOUNT, '-c', CONTAINER).returncode == 0
    assert held(azure) == [('Storage Blob Data Contributor', CONTAINER), ('Storage Blob Delegator', ACCOUNT)]


# ---- unfederate ------------------------------------------------------------------------------------------------

def test_unfederate_an_account_removes_assignments_and_cors_and_keeps_the_app(shell, azure):
    federated(shell)
    result = unfederate(shell, '--yes')
    assert result.returncode == 0, result.stderr
    assert output_statuses(result.json) == {'application': 'kept', 'cors': 'removed', 'roleAssignments': [
        ('Storage Blob Data Contributor', ACCOUNT, 'removed')]}
    assert 'keeps its client ID' in result.json['application']['reason']
    assert held(azure) == [] and cors_rules(azure) == []
    assert len(azure.snapshot()['applications']) == 1
    azure.clear_requests()
    again = unfederate(shell, '--yes')
    assert again.returncode == 0, again.stderr
    assert output_statuses(again.json) == {'application': 'kept', 'cors': 'absent', 'roleAssignments': [
        ('Storage Blob Data Contributor', ACCOUNT, 'absent')]}
    assert again.json['changes'] == [] and writes(azure) == []


def test_unfederate_one_of_two_containers_keeps_what_the_other_needs(shell, two_containers):
    azure = two_containers
    federated(shell, '-c', CONTAINER, MODELS)
    first = unfederate(shell, '-c', MODELS, '--yes')
    assert first.returncode == 0, first.stderr
    assert output_statuses(first.json)['roleAssignments'] == [
        ('Storage Blob Data Contributor', MODELS, 'removed'), ('Storage Blob Delegator', ACCOUNT, 'kept')]
    assert first.json['cors']['status'] == 'kept' and 'still needed' in first.json['cors']['reason']
    assert held(azure) == [('Storage Blob Data Contributor', CONTAINER), ('Storage Blob Delegator', ACCOUNT)]
    shown = shell.az('deeplake', 'show', '--account', ACCOUNT, '-c', CONTAINER, MODELS).json
    assert [a['status'] for a in shown['roleAssignments']] == ['present', 'missing', 'present']
    assert shown['complete'] is False and shown['cors']['status'] == 'present'
    second = unfederate(shell, '-c', CONTAINER, '--yes')
    assert second.returncode == 0, second.stderr
    assert output_statuses(second.json)['roleAssignments'] == [
        ('Storage Blob Data Contributor', CONTAINER, 'removed'), ('Storage Blob Delegator', ACCOUNT, 'removed')]
    assert second.json['cors']['status'] == 'removed'
    assert held(azure) == [] and cors_rules(azure) == []


def test_a_foreign_assignment_of_our_principal_is_kept(shell, azure):
    output = federated(shell, '-c', CONTAINER)
    principal = output['servicePrincipal']['objectId']
    azure.add_role_assignment(container_scope(azure, CONTAINER), 'Storage Blob Data Reader', principal)
    result = unfederate(shell, '--yes')
    assert result.returncode == 0, result.stderr
    kept = [a for a in result.json['roleAssignments'] if a['status'] == 'kept']
    assert [(a['role'], a['reason']) for a in kept] == [('Storage Blob Data Reader', 'not made by az deeplake')]
    assert held(azure) == [('Storage Blob Data Reader', CONTAINER)]
    assert result.json['cors']['status'] == 'removed'  # a foreign assignment is no access of ours


@pytest.mark.parametrize('field, value', [('allowedOrigins', ['https://app.activeloop.ai', 'https://x.example']),
                                          ('allowedMethods', ['GET', 'HEAD', 'OPTIONS']),
                                          ('allowedHeaders', ['x-ms-*']), ('exposedHeaders', ['x-ms-meta-*']),
                                          ('maxAgeInSeconds', 60)])
def test_a_cors_rule_that_differs_from_ours_in_any_field_is_kept(shell, azure, reseed, field, value):
    variant = dict(deeplake.CORS_RULE, **{field: value})
    reseed(cors_rules=[FOREIGN_RULE, variant])
    federated(shell)
    result = unfederate(shell, '--yes')
    assert result.returncode == 0, result.stderr
    assert result.json['cors']['status'] == 'absent'
    assert cors_rules(azure) == [FOREIGN_RULE, variant]


def test_other_cors_rules_stay_exactly_as_they_were(shell, azure, reseed):
    reseed(cors_rules=[FOREIGN_RULE])
    federated(shell)
    assert cors_rules(azure) == [FOREIGN_RULE, deeplake.CORS_RULE]
    assert unfederate(shell, '--yes').returncode == 0
    assert cors_rules(azure) == [FOREIGN_RULE]


def test_cors_stays_while_another_principal_holds_our_assignments(shell, azure):
    federated(shell)
    federated(shell, '--app-name', 'second-deeplake-app')
    result = unfederate(shell, '--yes')
    assert result.returncode == 0, result.stderr
    assert result.json['cors']['status'] == 'kept'
    assert len(cors_rules(azure)) == 1 and len(held(azure)) == 1
    last = unfederate(shell, '--app-name', 'second-deeplake-app', '--yes')
    assert last.json['cors']['status'] == 'removed' and cors_rules(azure) == []


def test_delete_app_removes_the_application_last_and_says_it_can_be_restored(shell, azure):
    federated(shell, '-c', CONTAINER)
    azure.clear_requests()
    result = unfederate(shell, '--delete-app', '--yes')
    assert result.returncode == 0, result.stderr
    assert [result.json[p]['status'] for p in ('application', 'federatedCredential', 'servicePrincipal')] == \
        ['removed'] * 3
    assert 'restored for 30 days' in result.stderr
    state = azure.snapshot()
    assert state['applications'] == [] and state['servicePrincipals'] == [] and state['roleAssignments'] == []
    assert len(state['deletedApplications']) == 1
    order = [(w['method'], 'roleAssignments' if ROLE_ASSIGNMENTS in w['path'] else w['path'].rsplit('/', 2)[-2])
             for w in writes(azure)]
    # the role assignment deletes and the CORS write at once, then the application
    assert sorted(order[:3]) == [('DELETE', 'roleAssignments')] * 2 + [('PUT', 'blobServices')]
    assert order[3:] == [('DELETE', 'applications')]
    again = unfederate(shell, '--delete-app', '--yes')
    assert again.returncode == 0 and again.json['application']['status'] == 'absent', again.stderr


def test_delete_app_on_an_application_we_did_not_create_stops_before_any_change(shell, azure):
    azure.add_application(APP_NAME)  # no az-deeplake tag
    federated(shell)
    azure.clear_requests()
    result = unfederate(shell, '--delete-app', '--yes')
    assert_fails(result, 1, 'was not created by az deeplake', 'without --delete-app', 'Nothing was changed.')
    assert writes(azure) == []


def test_delete_app_stops_while_the_principal_has_our_access_elsewhere(shell, azure):
    azure.add_storage_account(GROUP, 'dlstore02')
    federated(shell, '--app-name', 'shared-deeplake')
    assert federate(shell, '--account', 'dlstore02', '--app-name', 'shared-deeplake').returncode == 0
    azure.clear_requests()
    result = unfederate(shell, '--app-name', 'shared-deeplake', '--delete-app', '--yes')
    assert_fails(result, 1, 'still has az deeplake role assignments (in the subscriptions you can read) at',
                 '/storageAccounts/dlstore02',
                 'Nothing was changed.')
    assert writes(azure) == []


def test_without_yes_and_without_a_terminal_nothing_is_removed(shell, azure):
    federated(shell, '-c', CONTAINER)
    before = azure.snapshot()
    azure.clear_requests()
    result = unfederate(shell)
    assert_fails(result, 1, 'Operation cancelled', 'az deeplake unfederate will remove:', 'Use --yes')
    assert writes(azure) == [] and azure.snapshot() == before


def test_dry_run_lists_the_removals_and_needs_no_confirmation(shell, azure):
    federated(shell, '-c', CONTAINER)
    before = azure.snapshot()
    azure.clear_requests()
    result = unfederate(shell, '--delete-app', '--dry-run')
    assert result.returncode == 0, result.stderr
    assert result.json['dryRun'] is True and len(result.json['changes']) == 4
    assert 'Dry run, nothing was changed.' in result.stderr and 'restored for 30 days' in result.stderr
    assert writes(azure) == [] and azure.snapshot() == before


def test_a_missing_right_to_remove_is_found_before_the_first_delete(shell, azure):
    federated(shell, '-c', CONTAINER)
    azure.clear_requests()
    azure.deny('arm.roleAssignments.write')
    assert_fails(unfederate(shell, '--yes'), 1, 'You may not remove role assignments at',
                 'Microsoft.Authorization/roleAssignments/delete',
                 'Owner, User Access Administrator or Role Based Access Control Administrator', 'Nothing was changed.')
    azure.allow()
    azure.deny('arm.blobServices.write')
    assert_fails(unfederate(shell, '--yes'), 1, 'You may not change the CORS rules', 'Nothing was changed.')
    assert writes(azure) == []


def test_unfederate_under_a_condition_that_allows_removing_our_roles(shell, azure):
    federated(shell, '-c', CONTAINER)
    azure.grant_role_assignments_with_condition(constrained_to(CONTRIBUTOR, DELEGATOR,
                                                               deletable=(CONTRIBUTOR, DELEGATOR)))
    result = unfederate(shell, '--yes')
    assert result.returncode == 0, result.stderr
    assert output_statuses(result.json)['roleAssignments'] == [
        ('Storage Blob Data Contributor', CONTAINER, 'removed'), ('Storage Blob Delegator', ACCOUNT, 'removed')]
    assert held(azure) == [] and cors_rules(azure) == []


def test_unfederate_under_a_condition_that_excludes_our_roles_stops_before_the_first_delete(shell, azure):
    federated(shell, '-c', CONTAINER)
    azure.clear_requests()
    azure.grant_role_assignments_with_condition(constrained_to(CONTRIBUTOR, DELEGATOR, deletable=(READER, DELEGATOR)))
    assert_fails(unfederate(shell, '--yes'), 1, 'You may remove role assignments at',
                 'only under a condition that does not allow Storage Blob Data Contributor',
                 '(it allows: Storage Blob Data Reader, Storage Blob Delegator)', 'Nothing was changed.')
    assert writes(azure) == []
    assert held(azure) == [('Storage Blob Data Contributor', CONTAINER), ('Storage Blob Delegator', ACCOUNT)]


@pytest.mark.parametrize('method, path', [('DELETE', ROLE_ASSIGNMENTS), ('PUT', '/blobServices/default$'),
                                          ('DELETE', r'^/v1\.0/applications/')])
def test_a_run_killed_after_any_delete_is_finished_by_the_next(shell, azure, method, path):
    federated(shell, '-c', CONTAINER)
    process = {}
    remove_hook = azure.on_request(lambda entry: process['az'].kill(), method=method, path_regex=path)
    process['az'] = shell.start('deeplake', 'unfederate', '--account', ACCOUNT, '--delete-app', '--yes')
    process['az'].communicate(timeout=120)
    assert process['az'].returncode < 0  # killed
    remove_hook()
    rerun = unfederate(shell, '--delete-app', '--yes')
    assert rerun.returncode == 0, rerun.stderr
    state = azure.snapshot()
    assert state['roleAssignments'] == [] and state['applications'] == [] and cors_rules(azure) == []


def test_unfederate_table_output(shell, azure):
    federated(shell, '-c', CONTAINER)
    result = unfederate(shell, '--yes', '-o', 'table')
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ['Item', 'Name', 'Status']
    assert [line.split()[-1] for line in lines[2:]] == ['kept', 'kept', 'kept', 'removed', 'removed', 'removed']


@pytest.mark.parametrize('answer, removed', [('y', True), ('n', False)])
def test_at_a_terminal_it_lists_the_removals_and_asks_first(shell, azure, answer, removed):
    federated(shell, '-c', CONTAINER)
    azure.clear_requests()
    code, printed = answer_at_a_terminal(shell, answer, 'deeplake', 'unfederate', '--account', ACCOUNT)
    assert 'az deeplake unfederate will remove:' in printed and 'Remove these? (y/N)' in printed, printed
    assert printed.index('will remove:') < printed.index('Remove these?')
    assert code == (0 if removed else 1), printed
    assert (held(azure) == []) is removed
    assert len(requests_to(azure, 'GET', APPLICATIONS)) == 1  # one pass of reads: the plan it listed is applied
