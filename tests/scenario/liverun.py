"""What a live run (scripts/live.py) and the recorded scenarios agree on, so that the run's sweep finds everything
the scenarios create, whether or not their own cleanups ran. Imports nothing but the standard library."""
import os

RUN_ENV = 'DEEPLAKE_LIVE_RUN'      # the run's id, set by scripts/live.py for the scenarios it runs
RUN_TAG = 'azdeeplake-live-run'    # tag on every resource group a scenario creates, valued with the run's id
RECORDED_RUN = 'recorded'          # the tag's value outside a live run (./dev.sh record, playback)
# Every application a scenario creates has a display name starting so: the default name of an account the
# scenarios name dlsa… (deeplake-dlsa…), or an --app-name they name dlapp… (deeplake-dlapp…).
APP_PREFIX = 'deeplake-dl'
ACCOUNT_PREFIX = 'dlsa'
CUSTOM_APP_PREFIX = APP_PREFIX + 'app'

# Deep Lake's multi-tenant application (the wizard flow). The bundled emulator publishes a stand-in with this ID
# (record.py), and recordings always hold it; against real Azure, DEEPLAKE_APP_ID names the application to use.
APP_ID_ENV = 'DEEPLAKE_APP_ID'
PLAYBACK_DEEPLAKE_APP_ID = '3c8e1a57-2f4b-4d6e-9a0c-7b5d2e1f4a68'


def run_id():
    return os.environ.get(RUN_ENV) or RECORDED_RUN


def live_deeplake_app_id():
    return os.environ.get(APP_ID_ENV) or PLAYBACK_DEEPLAKE_APP_ID
