# --------------------------------------------------------------------------------------------
# Waiting out Azure's eventual consistency and transient faults, with bounds.
#
# Sleeps go through the time module (time.sleep), so recorded tests replay without waiting.
# --------------------------------------------------------------------------------------------

import itertools
import time

from knack.log import get_logger

logger = get_logger(__name__)

DEFAULT_TIMEOUT = 300
FIRST_DELAY = 0.5
# The longest pause between two checks: a delay of D seconds costs at most D plus this plus one request.
MAX_DELAY = 2.0
PROGRESS_EVERY = 15
# Throttling and transient faults (Graph and ARM alike).
TRANSIENT_STATUS = (500, 502, 503, 504)
DEFAULT_RETRY_AFTER = 2
MAX_RETRY_AFTER = 60
MAX_FAULT_DELAY = 8.0


class Deadline:  # pylint: disable=too-few-public-methods
    def __init__(self, seconds=DEFAULT_TIMEOUT):
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def remaining(self):
        return max(0.0, self._end - time.monotonic())


def backoff_delays(first=FIRST_DELAY, cap=MAX_DELAY):
    delay = first
    while True:
        yield delay
        delay = min(delay * 2, cap)


def until_replicated(operation, pending, what, deadline):
    """Repeat operation while pending(error) says Azure has not caught up yet, until the deadline.

    Any other error is raised at once.
    """
    from azure.cli.core.azclierror import AzureResponseError
    started = time.monotonic()
    last_report = None
    for delay in backoff_delays():
        try:
            return operation()
        except Exception as ex:  # pylint: disable=broad-except
            if not pending(ex):
                raise
            if deadline.remaining() <= 0:
                raise AzureResponseError(
                    f'Gave up after {deadline.seconds:.0f} s waiting for {what}: {ex} Nothing is lost: run the same '
                    'command again to finish, or give it more time with --timeout.') from ex
        waited = time.monotonic() - started
        if last_report is None or waited - last_report >= PROGRESS_EVERY:
            logger.warning('Waiting for %s (Azure replicates new objects with a delay; %.0f s so far)...',
                           what, waited)
            last_report = waited
        time.sleep(min(delay, deadline.remaining()))
    return None  # unreachable: backoff_delays never ends


def through_transient_faults(operation, wait_for, deadline, service):
    """Repeat operation while wait_for(error, attempt) says how long to wait (throttling, 5xx, dropped
    connections), until the deadline (the command's --timeout) leaves no room for the wait."""
    for attempt in itertools.count(1):
        try:
            return operation()
        except Exception as ex:  # pylint: disable=broad-except
            delay = wait_for(ex, attempt)
            if delay is None or delay > deadline.remaining():
                raise
            _report_busy(service, ex, delay)
            time.sleep(delay)
    return None  # unreachable


def fault_delay(status, retry_after, attempt):
    """Seconds to wait before repeating a request answered with status (None: the connection dropped), or None
    when the answer is final: 429 waits as long as Retry-After says, 5xx and drops back off exponentially."""
    if status == 429:
        try:
            return min(float(retry_after or DEFAULT_RETRY_AFTER), MAX_RETRY_AFTER)
        except ValueError:
            return DEFAULT_RETRY_AFTER
    if status is None or status in TRANSIENT_STATUS:
        return min(2.0 ** (attempt - 1), MAX_FAULT_DELAY)
    return None


_last_busy_report = [float('-inf')]


def _report_busy(service, ex, delay):
    """Say on stderr that Azure is busy, at most once every PROGRESS_EVERY seconds (requests run concurrently)."""
    now = time.monotonic()
    if now - _last_busy_report[0] >= PROGRESS_EVERY:
        _last_busy_report[0] = now
        logger.warning('%s is busy (%s); retrying in %.0f s (until --timeout)...', service, _short(ex), delay)
    else:
        logger.info('Transient failure (%s); retrying in %.1f s', ex, delay)


def _short(ex):
    text = str(ex).strip().splitlines()[0] if str(ex).strip() else type(ex).__name__
    return text if len(text) <= 120 else text[:117] + '...'
