# --------------------------------------------------------------------------------------------
# Waiting out Azure's eventual consistency and transient faults, with bounds.
#
# Sleeps go through the time module (time.sleep), so recorded tests replay without waiting.
# --------------------------------------------------------------------------------------------

import time

from knack.log import get_logger

logger = get_logger(__name__)

DEFAULT_TIMEOUT = 300
FIRST_DELAY = 0.5
# The longest pause between two checks: a delay of D seconds costs at most D plus this plus one request.
MAX_DELAY = 2.0
PROGRESS_EVERY = 15
TRANSIENT_ATTEMPTS = 4


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


def through_transient_faults(operation, wait_for, attempts=TRANSIENT_ATTEMPTS):
    """Repeat operation while wait_for(error) returns how long to wait (throttling, 5xx, dropped connections)."""
    for attempt in range(1, attempts + 1):
        try:
            return operation()
        except Exception as ex:  # pylint: disable=broad-except
            delay = wait_for(ex, attempt)
            if delay is None or attempt == attempts:
                raise
            logger.info('Transient failure (%s); retrying in %.1f s', ex, delay)
            time.sleep(delay)
    return None  # unreachable
