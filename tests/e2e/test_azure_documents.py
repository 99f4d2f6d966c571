"""Where Azure's documentation says what our first design assumed otherwise (an upsert updates, role assignment lists
cover one subscription, conditions live on role assignments, ARM throttles), unfederate at its floor of round trips,
two people at once, and summaries a person can read; with the real az in an emulated Cloud Shell."""
import threading

import pytest

from azext_deeplake import deeplake

from .helpers import (ACCOUNT, APP_NAME, APP_UPSERT, CONTAINER, CONTRIBUTOR, DELEGATOR, GROUP, MODELS, READER,
                      account_id, assert_fails, assert_federated_once, federate, federated, held, requests_to,
                      statuses, unfederate, writes)
from .test_real_azure import constrained_to

API = ('graph', 'arm')


# ---- 1. an application found by key is used as it is --------------------------------------------------------

def test_a_renamed_application_is_found_by_key_and_left_exactly_as_it_is(shell, azure):
    first = federated(shell, '-c', CONTAINER)
    client_id = first['application']['clientId']
    for change in (['--display-name', 'Deep Lake (renamed)'], ['--set', f'tags=["{deeplake.APP_TAG}","HideApp"]']):
        assert shell.az('ad', 'app', 'update', '--id', client_id, *change).returncode == 0
    before = azure.snapshot()['applications']
    azure.clear_requests()
    again = federate(shell, '--account', ACCOUNT, '-c', CONTAINER)
    assert again.returncode == 0, again.stderr
    assert again.json['application']['displayName'] == 'Deep Lake (renamed)'
    assert again.json['application']['status'] == 'present' and again.json['changes'] == []
    assert azure.snapshot()['applications'] == before
    (app,) = before
    assert (app['displayName'], app['tags'], app['signInAudience']) == (
        'Deep Lake (renamed)', [deeplake.APP_TAG, 'HideApp'], 'AzureADMyOrg')
    assert writes(azure) == [] and statuses(azure, 'PATCH', APP_UPSERT) == []


def test_an_application_under_a_later_key_is_checked_before_it_is_used(shell, azure):
    keys = deeplake.unique_names(APP_NAME)
    gone, _ = azure.add_application(APP_NAME, uniqueName=keys[0])
    azure.state.directory.delete_application(azure.state.directory.apps[gone])
    object_id, _ = azure.add_application('renamed since', uniqueName=keys[1], tags=[deeplake.APP_TAG])
    azure.add_password(object_id, display_name='added-later')
    result = federate(shell, '--account', ACCOUNT)
    assert_fails(result, 1, "application 'renamed since'", "client secret 'added-later'", 'Nothing was changed.')
    assert statuses(azure, 'PATCH', APP_UPSERT) == [400]  # the deleted key's; the live one is only read
    assert [w['method'] for w in writes(azure)] == ['PATCH']


# ---- 2. --delete-app checks every subscription ------------------------------------------------------------------

@pytest.fixture
def second_subscription(shell, azure):
    other = azure.add_subscription('Second subscription')
    azure.add_resource_group('far', 'eastus', subscription=other)
    azure.add_storage_account('far', 'dlstorefar', subscription=other)
    shell.login()  # az learns its subscriptions at sign-in
    return other


def test_delete_app_stops_while_the_principal_has_our_access_in_another_subscription(
        shell, azure, second_subscription):
    federated(shell, '--app-name', 'shared-deeplake')
    elsewhere = federate(shell, '--account', 'dlstorefar', '--subscription', second_subscription,
                         '--app-name', 'shared-deeplake')
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert elsewhere.json['subscriptionId'] == second_subscription
    azure.clear_requests()
    result = unfederate(shell, '--app-name', 'shared-deeplake', '--delete-app', '--yes')
    assert_fails(result, 1, 'still has az deeplake role assignments (in the subscriptions you can read) at',
                 f'/subscriptions/{second_subscription}/resourceGroups/far', 'Nothing was changed.')
    assert writes(azure) == []


def test_a_subscription_the_caller_may_not_read_is_named_in_a_warning(shell, azure, second_subscription):
    federated(shell)
    azure.deny_role_assignment_reads(second_subscription)
    result = unfederate(shell, '--delete-app', '--yes')
    assert result.returncode == 0, result.stderr
    assert f"Could not read the role assignments in subscription 'Second subscription' ({second_subscription})" \
        in result.stderr
    assert result.json['application']['status'] == 'removed'


# ---- 3. ABAC conditions from the caller's role assignments ----------------------------------------------------

@pytest.mark.parametrize('condition, passes', [
    (constrained_to(CONTRIBUTOR, DELEGATOR, READER), True),
    (constrained_to(READER, DELEGATOR), False),
])
def test_conditions_are_read_from_role_assignments_when_permissions_hide_them(shell, azure, condition, passes):
    azure.grant_role_assignments_with_condition(condition)
    azure.permissions_hide_conditions = True
    result = federate(shell, '--account', ACCOUNT, '--container', CONTAINER)
    if passes:
        assert result.returncode == 0, result.stderr
        assert_federated_once(azure)
        # judged from the role definitions of the caller's two assignments (Contributor, and the conditional one)
        assert len(requests_to(azure, 'GET', r'/providers/Microsoft\.Authorization/roleDefinitions/')) == 2
    else:
        assert_fails(result, 1, 'only under a condition that does not allow Storage Blob Data Contributor',
                     'Nothing was changed.')
        assert writes(azure) == []


# ---- 4. unfederate at its floor of round trips -----------------------------------------------------------------

def rounds(azure):
    """Graph and ARM requests that had to wait for one another (none overlapping the next)."""
    count, free_at = 0, float('-inf')
    for request in sorted((r for r in azure.requests() if r['service'] in API), key=lambda r: r['ended']):
        if request['started'] >= free_at:
            count, free_at = count + 1, request['ended']
    return count


@pytest.mark.parametrize('options, floor', [(['--delete-app'], 4), ([], 3)])
def test_unfederate_takes_its_floor_of_sequential_rounds(shell, azure, options, floor):
    federated(shell, '-c', CONTAINER)
    azure.latency_ms = 150  # every request takes long enough that overlapping ones are told apart from sequential
    azure.page_size = 100  # as Azure's: no list needs a second page
    azure.clear_requests()
    result = unfederate(shell, '-c', CONTAINER, '--yes', *options)
    assert result.returncode == 0, result.stderr
    assert rounds(azure) == floor
    deletes = requests_to(azure, 'DELETE', '/roleAssignments/')
    cors = requests_to(azure, 'PUT', '/blobServices/default$')
    assert len(deletes) == 2 and len(cors) == 1
    assert cors[0]['started'] < min(d['ended'] for d in deletes)  # the CORS write does not wait for the deletes


# ---- 5. a busy subscription -----------------------------------------------------------------------------------

def test_arm_throttling_and_faults_are_waited_out(shell, azure):
    azure.throttle(host='arm', every=2, retry_after=1)
    azure.fail(host='arm', every=3, status=503)
    result = federate(shell, '--account', ACCOUNT, '--container', CONTAINER)
    assert result.returncode == 0, result.stderr
    arm = [r['status'] for r in azure.requests() if r['service'] == 'arm']
    assert 429 in arm and 503 in arm
    assert 'Azure Resource Manager is busy' in result.stderr
    assert_federated_once(azure)


# ---- 6. two people at once -------------------------------------------------------------------------------------

def run_together(shell, *argument_lists):
    results = [None] * len(argument_lists)

    def run(index, args):
        results[index] = federate(shell, '--account', ACCOUNT, *args)
    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(argument_lists)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return results


@pytest.mark.parametrize('second', [[CONTAINER], [MODELS]])
def test_two_runs_at_once_converge(shell, azure, second):
    azure.add_container(GROUP, ACCOUNT, MODELS)
    azure.latency_ms = 50
    results = run_together(shell, ['-c', CONTAINER], ['-c'] + second)
    for result in results:
        assert result.returncode == 0, result.stderr
    # Each run read our key before any upsert; a run that found it free and lost the race got 204 and read it again.
    assert len(requests_to(azure, 'GET', APP_UPSERT)) >= 2
    assert statuses(azure, 'PATCH', APP_UPSERT) in ([201], [201, 204])
    state = azure.snapshot()
    assert len(state['applications']) == 1 and len(state['servicePrincipals']) == 1
    assert len(state['applications'][0]['federatedIdentityCredentials']) == 1
    containers = sorted({CONTAINER, *second})
    assert held(azure) == sorted([('Storage Blob Data Contributor', c) for c in containers] +
                                 [('Storage Blob Delegator', ACCOUNT)])
    assert len(state['storageAccounts'][0]['corsRules']) == 1
    azure.clear_requests()
    rerun = federate(shell, '--account', ACCOUNT, '-c', *containers)
    assert rerun.returncode == 0 and rerun.json['changes'] == [], rerun.stderr
    assert writes(azure) == []


# ---- 7. summaries a person can read ---------------------------------------------------------------------------

def test_the_unfederate_summary_has_one_change_a_line_with_short_scopes(shell, azure):
    federated(shell, '-c', CONTAINER)
    result = unfederate(shell, '--yes')
    assert result.returncode == 0, result.stderr
    summary = result.stderr[result.stderr.index('Removed:'):].splitlines()
    assert summary == [
        'Removed:',
        f'  Storage Blob Data Contributor at {ACCOUNT}/{CONTAINER}',
        f'  Storage Blob Delegator at {ACCOUNT}',
        '  the CORS rule for https://app.activeloop.ai',
        'Kept:',
        f"  application '{APP_NAME}': --delete-app was not given, so Deep Lake keeps its client ID",
        '  service principal: --delete-app was not given, so Deep Lake keeps its client ID',
    ]
    assert result.json['changes'][0] == \
        f'remove Storage Blob Data Contributor at {account_id(azure)}/blobServices/default/containers/{CONTAINER}'
