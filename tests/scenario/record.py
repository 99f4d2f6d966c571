"""Re-record the scenario tests against the bundled emulator, in an emulated Cloud Shell session.

    ./dev.sh record [pytest arguments, e.g. -k whole_account]

The recordings keep the real host names (the emulator is reached through its CONNECT proxy) and are scrubbed
of ids (recording.py). To record against a real subscription instead: az login, then
AZURE_TEST_RUN_LIVE=true python -m pytest tests/scenario.
"""
import os
import sys
import tempfile

import pytest

from tests.cloudshell import CloudShell
from tests.emulator import Emulator
from tests.scenario.liverun import APP_ID_ENV, PLAYBACK_DEEPLAKE_APP_ID


def main(pytest_args):
    with tempfile.TemporaryDirectory() as work, Emulator(seed=11) as emulator:
        emulator.add_external_application(PLAYBACK_DEEPLAKE_APP_ID, 'Deep Lake')
        shell = CloudShell(emulator, work)
        shell.login()
        os.environ.update(shell.env)
        os.environ[APP_ID_ENV] = PLAYBACK_DEEPLAKE_APP_ID
        os.environ['AZURE_TEST_RUN_LIVE'] = 'true'
        here = os.path.dirname(os.path.abspath(__file__))
        return pytest.main([here] + pytest_args)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
