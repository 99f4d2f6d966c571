import pytest
import requests
from azure.cli.core.azclierror import AzureResponseError

from azext_deeplake import graph, retry


class Clock:
    """Fake time for the retry module: sleeping advances it."""

    def __init__(self, monkeypatch):
        self.now = 0.0
        self.sleeps = []
        monkeypatch.setattr(retry.time, 'monotonic', lambda: self.now)
        monkeypatch.setattr(retry.time, 'sleep', self.sleep)

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


class Pending(Exception):
    pass


def failing(times, error=Pending, result='done'):
    calls = []

    def operation():
        calls.append(1)
        if len(calls) <= times:
            raise error()
        return result
    operation.calls = calls
    return operation


def test_backoff_doubles_up_to_the_cap():
    delays = retry.backoff_delays()
    assert [next(delays) for _ in range(6)] == [0.5, 1.0, 2.0, 2.0, 2.0, 2.0]


def test_replication_wait_costs_at_most_the_delay_plus_the_cap(monkeypatch):
    clock = Clock(monkeypatch)
    # the object appears after 9.3 s: checks at 0, .5, 1.5, 3.5, 5.5, 7.5, 9.5
    appears_at = 9.3

    def operation():
        if clock.now < appears_at:
            raise Pending()
        return 'done'
    assert retry.until_replicated(operation, lambda ex: isinstance(ex, Pending), 'x', retry.Deadline(60)) == 'done'
    assert clock.now - appears_at <= retry.MAX_DELAY


def test_other_errors_are_raised_at_once(monkeypatch):
    clock = Clock(monkeypatch)
    operation = failing(1, error=KeyError)
    with pytest.raises(KeyError):
        retry.until_replicated(operation, lambda ex: isinstance(ex, Pending), 'x', retry.Deadline(60))
    assert clock.sleeps == []


def test_deadline_gives_up_with_advice(monkeypatch):
    Clock(monkeypatch)
    deadline = retry.Deadline(10)
    with pytest.raises(AzureResponseError, match=r'Gave up after 10 s waiting for the thing.*--timeout'):
        retry.until_replicated(failing(1000), lambda ex: isinstance(ex, Pending), 'the thing', deadline)


def test_waiting_is_reported_on_stderr(monkeypatch, caplog):
    Clock(monkeypatch)
    retry.until_replicated(failing(3), lambda ex: isinstance(ex, Pending), 'the new application',
                           retry.Deadline(60))
    assert 'Waiting for the new application' in caplog.text


def graph_error(status, retry_after=None):
    return graph.GraphError(status, 'code', 'message', retry_after=retry_after)


@pytest.mark.parametrize('retry_after, seconds', [
    pytest.param('7', 7.0, id='as-told'),
    pytest.param(None, retry.DEFAULT_RETRY_AFTER, id='not-told'),
    pytest.param('3600', retry.MAX_RETRY_AFTER, id='capped'),
])
def test_throttling_waits_for_retry_after(retry_after, seconds):
    assert graph._transient_wait(graph_error(429, retry_after), 1) == seconds


@pytest.mark.parametrize('error', [
    *[pytest.param(graph_error(status), id=str(status)) for status in (500, 502, 503, 504)],
    pytest.param(requests.exceptions.ConnectionError('dropped'), id='dropped-connection'),
])
def test_server_faults_and_dropped_connections_are_retried(error):
    assert graph._transient_wait(error, 1) == 1
    assert graph._transient_wait(error, 3) == 4


@pytest.mark.parametrize('status', [400, 401, 403, 404, 409])
def test_client_errors_fail_fast(status):
    assert graph._transient_wait(graph_error(status), 1) is None


def test_server_faults_back_off_up_to_a_cap():
    assert [graph._transient_wait(graph_error(503), n) for n in range(1, 7)] == [1, 2, 4, 8, 8, 8]


def test_transient_retries_last_until_the_deadline_leaves_no_room(monkeypatch):
    clock = Clock(monkeypatch)
    operation = failing(100, error=lambda: graph_error(503))
    with pytest.raises(graph.GraphError):
        retry.through_transient_faults(operation, lambda ex, attempt: 2, retry.Deadline(7), 'Microsoft Graph')
    assert clock.sleeps == [2, 2, 2] and len(operation.calls) == 4


def test_transient_retries_succeed_and_say_azure_is_busy_once(monkeypatch, caplog):
    Clock(monkeypatch)
    monkeypatch.setattr(retry, '_last_busy_report', [float('-inf')])
    operation = failing(3, error=lambda: graph_error(429, '1'))
    result = retry.through_transient_faults(operation, graph._transient_wait, retry.Deadline(60), 'Microsoft Graph')
    assert result == 'done'
    assert caplog.text.count('Microsoft Graph is busy') == 1


class Response:
    def __init__(self, status, body, headers=None):
        self.status_code, self._body, self.headers = status, body, headers or {}
        self.text, self.reason = str(body), 'Reason'

    def json(self):
        if isinstance(self._body, dict):
            return self._body
        raise ValueError()


def test_graph_errors_keep_code_details_and_retry_after():
    error = graph._graph_error(Response(400, {'error': {
        'code': 'Request_BadRequest', 'message': "The appId 'x' of the service principal does not reference a "
                                                 "valid application object.",
        'details': [{'code': 'NoBackingApplicationObject', 'target': 'appId'}]}}, {'Retry-After': '5'}))
    assert (error.status, error.code, error.retry_after) == (400, 'Request_BadRequest', '5')
    assert graph.new_application_replicating(error)
    assert not graph.new_application_replicating(graph._graph_error(Response(400, 'not json')))


def test_a_service_principal_refused_for_a_new_app_of_this_tenant_is_replication():
    local_tenant = graph.GraphError(403, 'Authorization_RequestDenied', 'When using this permission, the backing '
                                    'application of the service principal being created must in the local tenant')
    assert graph.new_application_replicating(local_tenant)
    assert not graph.new_application_replicating(graph.GraphError(403, 'Authorization_RequestDenied',
                                                                  'Insufficient privileges to complete the operation.'))
