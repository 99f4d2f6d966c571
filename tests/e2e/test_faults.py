"""Azure's eventual consistency, throttling and faults, survived by the real az in an emulated Cloud Shell.

Every injected fault is seen in the emulator's request log, answered and then retried (and a fault that never fires
fails the test, tests/conftest.py); what waiting costs is measured there too, not by timing az processes."""
import pytest

from azext_deeplake import retry

from .helpers import (ACCOUNT, APP_UPSERT, APPLICATIONS, CONTAINER, FICS, ROLE_ASSIGNMENTS, SERVICE_PRINCIPALS,
                      assert_fails, assert_federated_once, federate, gap_after, requests_to, statuses,
                      statuses_by_path, waited)

DELAY = 3        # seconds of replication delay in the tests below
SLACK = 0.5      # what one more request and the scheduling of two processes may add to a measured wait
STORAGE_ACCOUNTS = '/storageAccounts$'


def federate_container(shell, *args):
    return federate(shell, '--account', ACCOUNT, '--container', CONTAINER, *args)


@pytest.mark.parametrize('knob, waiting_for, refused', [
    # a new application: its credential POST answers 404, its service principal POST 400 NoBackingApplicationObject
    ('graph_replication_delay', 'the new application', [('POST', FICS, 404), ('POST', SERVICE_PRINCIPALS, 400)]),
    # a new service principal, unknown to Azure RBAC: role assignment PUTs answer 400 PrincipalNotFound
    ('principal_replication_delay', 'the new service principal to reach Azure RBAC',
     [('PUT', ROLE_ASSIGNMENTS, 400)]),
])
def test_replication_delays_are_waited_out(shell, azure, knob, waiting_for, refused):
    setattr(azure, knob, DELAY)
    result = federate_container(shell)
    assert result.returncode == 0, result.stderr
    assert f'Waiting for {waiting_for}' in result.stderr
    for method, path, status in refused:
        for answers in statuses_by_path(azure, method, path):
            assert answers == [status] * (len(answers) - 1) + [201] and len(answers) >= 2, (path, answers)
        # README: a delay of D seconds costs at most about D + the backoff cap
        assert waited(azure, method, path) <= DELAY + retry.MAX_DELAY + SLACK
    assert_federated_once(azure)


def test_waiting_has_a_deadline_and_a_rerun_finishes(shell, azure):
    azure.graph_replication_delay = 60
    result = federate_container(shell, '--timeout', '3')
    assert_fails(result, 1, 'Gave up after 3 s waiting for the new application', 'run the same command again')
    refusals = requests_to(azure, 'POST', FICS)
    assert [r['status'] for r in refusals] == [404] * len(refusals) and len(refusals) >= 3
    assert refusals[-1]['started'] - refusals[0]['started'] <= 3  # it stopped at the deadline
    azure.replicate()  # Azure catches up
    rerun = federate_container(shell)
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.json['application']['status'] == 'present'
    assert_federated_once(azure)


def test_graph_throttling_waits_for_retry_after(shell, azure):
    azure.throttle(method='PATCH', host='graph', path_regex=APP_UPSERT, retry_after=2)
    azure.throttle(method='GET', host='graph', path_regex=APPLICATIONS, retry_after=1)
    result = federate_container(shell)
    assert result.returncode == 0, result.stderr
    assert statuses(azure, 'PATCH', APP_UPSERT) == [429, 201]
    assert statuses(azure, 'GET', APPLICATIONS) == [429, 200]
    assert gap_after(azure, 'PATCH', APP_UPSERT, 429) >= 2
    assert gap_after(azure, 'GET', APPLICATIONS, 429) >= 1
    assert_federated_once(azure)


def test_arm_throttling_waits_for_retry_after(shell, azure):
    azure.throttle(method='PUT', host='arm', path_regex=ROLE_ASSIGNMENTS, retry_after=1)
    azure.throttle(method='GET', host='arm', path_regex=STORAGE_ACCOUNTS, retry_after=1)
    result = federate_container(shell)
    assert result.returncode == 0, result.stderr
    assert statuses_by_path(azure, 'PUT', ROLE_ASSIGNMENTS) == [[201], [429, 201]]
    assert statuses(azure, 'GET', STORAGE_ACCOUNTS) == [429, 200]
    assert gap_after(azure, 'PUT', ROLE_ASSIGNMENTS, 429) >= 1
    assert gap_after(azure, 'GET', STORAGE_ACCOUNTS, 429) >= 1
    assert_federated_once(azure)


@pytest.mark.parametrize('status', [500, 502, 503, 504, 'drop'])
def test_transient_graph_faults_are_retried(shell, azure, status):
    azure.fail(method='GET', host='graph', path_regex=APPLICATIONS, status=status, count=2)
    azure.fail(method='POST', host='graph', path_regex=SERVICE_PRINCIPALS, status=status)
    result = federate_container(shell)
    assert result.returncode == 0, result.stderr
    assert statuses(azure, 'GET', APPLICATIONS) == [status, status, 200]
    assert statuses(azure, 'POST', SERVICE_PRINCIPALS) == [status, 201]
    assert_federated_once(azure)


@pytest.mark.parametrize('status', [503, 'drop'])
def test_transient_arm_faults_are_retried(shell, azure, status):
    azure.fail(method='GET', host='arm', path_regex=STORAGE_ACCOUNTS, status=status, count=2)
    azure.fail(method='PUT', host='arm', path_regex=ROLE_ASSIGNMENTS, status=status)
    result = federate_container(shell)
    assert result.returncode == 0, result.stderr
    assert statuses(azure, 'GET', STORAGE_ACCOUNTS) == [status, status, 200]
    assert statuses_by_path(azure, 'PUT', ROLE_ASSIGNMENTS) == [[201], [status, 201]]
    assert_federated_once(azure)


def test_transient_faults_are_retried_until_the_timeout(shell, azure):
    azure.fail(method='GET', host='graph', path_regex=APPLICATIONS, status=503, count=100)
    result = federate_container(shell, '--timeout', '6')
    assert_fails(result, 1, 'Microsoft Graph could not read app registrations (HTTP 503', 'Microsoft Graph is busy')
    answers = requests_to(azure, 'GET', APPLICATIONS)
    assert len(answers) >= 2 and {a['status'] for a in answers} == {503}
    assert answers[-1]['ended'] - answers[0]['started'] < 6  # no wait that the deadline could not hold
    assert [round(later['started'] - earlier['ended']) for earlier, later in zip(answers, answers[1:])] == \
        [2 ** n for n in range(len(answers) - 1)]  # backing off exponentially
    assert azure.snapshot()['applications'] == []
    azure.discard_injections()  # far more faults than attempts, on purpose


@pytest.mark.parametrize('status, answers', [('lost', ['drop', 204]), ('drop', ['drop', 201]), (503, [503, 201])])
def test_a_failed_application_create_never_leaves_two(shell, azure, status, answers):
    # 'lost': Azure created the application but the answer never came; 'drop' and 503: it did not. The upsert on
    # our uniqueName key is simply repeated: it answers 204 when the first one did create the application.
    azure.fail(method='PATCH', host='graph', path_regex=APP_UPSERT, status=status)
    result = federate_container(shell)
    assert result.returncode == 0, result.stderr
    assert statuses(azure, 'PATCH', APP_UPSERT) == answers
    assert_federated_once(azure)


@pytest.mark.parametrize('method, path', [
    ('PATCH', APP_UPSERT),
    ('POST', FICS),
    ('POST', SERVICE_PRINCIPALS),
    ('PUT', ROLE_ASSIGNMENTS),
    ('PUT', '/blobServices/default$'),
])
def test_a_run_killed_at_any_write_is_finished_by_the_next(shell, azure, method, path):
    process = {}
    remove_hook = azure.on_request(lambda entry: process['az'].kill(), method=method, path_regex=path)
    process['az'] = shell.start('deeplake', 'federate', '--account', ACCOUNT, '--container', CONTAINER)
    process['az'].communicate(timeout=120)
    assert process['az'].returncode < 0  # killed
    remove_hook()
    rerun = federate_container(shell)
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.json['complete'] is True
    assert_federated_once(azure)


@pytest.mark.parametrize('path', [FICS, SERVICE_PRINCIPALS])
def test_a_lost_answer_to_a_create_is_recovered(shell, azure, path):
    azure.fail(method='POST', host='graph', path_regex=path, status='lost')
    result = federate_container(shell)
    assert result.returncode == 0, result.stderr
    assert statuses(azure, 'POST', path) == ['drop', 409]  # the repeated POST finds it made
    assert_federated_once(azure)
