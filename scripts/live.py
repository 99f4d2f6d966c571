#!/usr/bin/env python
"""./dev.sh live: the recorded scenarios (tests/scenario) against the Azure subscription az is signed in to.

    ./dev.sh live [pytest arguments, e.g. -k whole_account]
    ./dev.sh live --sweep     only the cleanup, of the run in .live-run.json (a run killed before its own cleanup)

A run re-records the cassettes of the tests it runs into tests/scenario/recordings, scrubbed as always (review
them with git diff; a test that failed leaves what it recorded up to the failure). Then, whether the tests passed,
failed or were interrupted (SIGINT, SIGTERM: the tests stop, the cleanup does not), it removes what the run
created (scripts/live_sweep.py) and lists anything it could not remove. It needs az signed in (az login;
az login --identity with a managed identity; azure/login in GitHub Actions) and DEEPLAKE_APP_ID (README, "Testing
against real Azure"); without them it stops at once and changes nothing.

Exit status: 0 when every test passed and nothing is left; pytest's status when tests failed; 130 when
interrupted; 3 when something could not be removed; 2 when the run could not start.
"""
import ctypes
import dataclasses
import datetime
import json
import os
import secrets
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from live_sweep import AzError, Run, az, deeplake_principals, sweep  # noqa: E402 pylint: disable=wrong-import-position
from tests.scenario import liverun  # noqa: E402 pylint: disable=wrong-import-position

STATE = os.path.join(ROOT, '.live-run.json')  # the run being cleaned up, until nothing of it is left
RECORDINGS = os.path.join(ROOT, 'tests', 'scenario', 'recordings')
STOP_GRACE = 60  # seconds pytest has to stop after an interrupt before it is killed
PR_SET_PDEATHSIG = 1  # Linux prctl option: a signal for this process when its parent dies
INTERRUPTED, LEFT_BEHIND, CANNOT_START = 130, 3, 2

NOT_SIGNED_IN = """Not signed in to Azure ({reason}).
Sign in first, then choose the subscription the tests may use (they create and delete resource groups there):
  az login                    # a browser or a device code
  az login --identity         # a managed identity (also in Azure Cloud Shell)
  (GitHub Actions: the azure/login step of .github/workflows/live.yml signs in with OIDC)
  az account set --subscription <dedicated test subscription>"""
NO_APP_ID = f"""{liverun.APP_ID_ENV} is not set. The wizard scenario installs the service principal of Deep Lake's
application: set it to the application ID Deep Lake's "Connect Azure Storage" wizard shows (installing it needs
Cloud Application Administrator), or to a stand-in application the signed-in identity owns (README, "Testing
against real Azure")."""
UNSWEPT = """Run {id} (started {started}) was not cleaned up completely: run ./dev.sh live --sweep first
(or delete {state} once you have removed its leftovers yourself)."""


class CannotStart(Exception):
    pass


class Interruptions:
    """SIGINT and SIGTERM stop the tests (pytest gets a SIGINT, as from Ctrl-C) but never the cleanup: the handlers
    stay until the run ends. Children run in sessions of their own, so that only this process decides."""

    def __init__(self):
        self.signal = None
        self.since = None
        self.tests = None

    def __enter__(self):
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._received)
        return self

    def __exit__(self, *exc_info):
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_DFL)
        return False

    def _received(self, signum, _frame):
        if self.signal is None:
            self.signal, self.since = signum, time.monotonic()
            print(f'\n{signal.Signals(signum).name}: stopping the tests, then cleaning up.', flush=True)
        else:
            print(f'\n{signal.Signals(signum).name}: still cleaning up (if this process is killed, '
                  './dev.sh live --sweep finishes the job).', flush=True)
        if self.tests is not None and self.tests.poll() is None:
            self.tests.send_signal(signal.SIGINT)

    def wait(self, process):
        """process's exit status; after an interrupt it gets STOP_GRACE seconds, then it is killed."""
        self.tests = process
        while True:
            try:
                return process.wait(timeout=1)
            except subprocess.TimeoutExpired:
                if self.since is not None and time.monotonic() - self.since > STOP_GRACE:
                    process.kill()


def start():
    """The new run, once az is signed in and DEEPLAKE_APP_ID is set; nothing has been changed before."""
    try:
        account = az('account', 'show')
    except AzError as ex:
        raise CannotStart(NOT_SIGNED_IN.format(reason=ex)) from ex
    app_id = os.environ.get(liverun.APP_ID_ENV)
    if not app_id:
        raise CannotStart(NO_APP_ID)
    if os.path.exists(STATE):
        raise CannotStart(UNSWEPT.format(state=STATE, **load_state().__dict__))
    now = datetime.datetime.now(datetime.timezone.utc)
    run = Run(id=now.strftime('%Y%m%dT%H%M%SZ-') + secrets.token_hex(3), started=now.isoformat(timespec='seconds'),
              deeplake_app_id=app_id, deeplake_principal_existed=bool(deeplake_principals(app_id)))
    with open(STATE, 'w', encoding='utf-8') as f:
        json.dump(dataclasses.asdict(run), f)
    print(f"Live run {run.id} in subscription '{account['name']}'.", flush=True)
    if run.deeplake_principal_existed:
        print("Deep Lake's application already has a service principal here: the wizard scenario will find it "
              "'present' rather than create it, and the cleanup leaves it alone.", flush=True)
    return run


def load_state():
    with open(STATE, encoding='utf-8') as f:
        return Run(**json.load(f))


def run_tests(run, pytest_args, interruptions):
    env = dict(os.environ, AZURE_TEST_RUN_LIVE='true', **{liverun.RUN_ENV: run.id})
    process = subprocess.Popen([sys.executable, '-m', 'pytest', 'tests/scenario', *pytest_args], cwd=ROOT, env=env,
                               start_new_session=True, preexec_fn=_end_with_parent)
    return interruptions.wait(process)


def _end_with_parent():
    """In the tests' process: a SIGTERM if this runner dies (Linux), so that no test goes on without a cleanup."""
    try:
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def clean_up(run):
    """Sweep; print what is left; forget the run once nothing is. True when nothing is left."""
    left = sweep(run, report=lambda line: print(line, flush=True))
    if left:
        print('Could not remove (remove these yourself, or run ./dev.sh live --sweep again):')
        for kind, name, why in left:
            print(f'  {kind} {name}: {why}')
    else:
        print('Nothing of the run is left.')
        os.remove(STATE)
    return not left


def report_recordings(since):
    changed = sorted(name for name in os.listdir(RECORDINGS)
                     if os.path.getmtime(os.path.join(RECORDINGS, name)) >= since)
    print(f"Re-recorded {len(changed)} cassette(s) in tests/scenario/recordings (review them with git diff): "
          f"{', '.join(changed) or 'none'}")


def main(argv):
    if argv[:1] == ['--sweep']:
        if not os.path.exists(STATE):
            print('No run to clean up (.live-run.json is absent).')
            return 0
        with Interruptions():
            return 0 if clean_up(load_state()) else LEFT_BEHIND
    started = time.time()
    try:
        run = start()
    except CannotStart as ex:
        print(ex, file=sys.stderr)
        return CANNOT_START
    with Interruptions() as interruptions:
        status = run_tests(run, argv, interruptions)
        report_recordings(started)
        clean = clean_up(run)
    if interruptions.signal is not None:
        return INTERRUPTED
    return status or (0 if clean else LEFT_BEHIND)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
