"""scripts/live.py (./dev.sh live) with the bundled emulator standing in for the subscription az is signed in to (an
emulated Cloud Shell session). Each test runs the runner in a copy of this checkout, whose cassettes it may
re-record, and adds to the copy scenarios that fail, leave things behind or wait to be interrupted."""
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest

from tests.cloudshell import CloudShell
from tests.conftest import ROOT
from tests.scenario.liverun import APP_ID_ENV, PLAYBACK_DEEPLAKE_APP_ID, RUN_TAG
from tests.scenario.test_recordings_are_clean import test_recording_is_clean as assert_clean

RUN_DEADLINE = 600  # seconds a run may take here
MARKER_ENV = 'LIVE_TEST_MARKER'
SERVICE_PRINCIPALS = '/v1.0/servicePrincipals'
# Scenarios that leave their objects to the run's sweep: no cleanups of their own.
LEFTOVERS = '''
import os
import time

from . import liverun
from .base import DeepLakeScenarioTest


class LeftoverScenarioTest(DeepLakeScenarioTest):

    def leave_a_federation_behind(self):
        self.kwargs.update(rg=self.create_random_name('dlrg', 16), account=self.create_random_name('dlsa', 16),
                           tag=liverun.RUN_TAG + '=' + liverun.run_id(), deeplake_app=self.deeplake_app_id)
        self.cmd('group create -n {rg} -l westus2 --tags {tag}')
        self.cmd('storage account create -n {account} -g {rg} -l westus2 --sku Standard_LRS --kind StorageV2')
        self.cmd('deeplake federate --account {account}')
        self.cmd('deeplake federate --account {account} --deeplake-app-id {deeplake_app}')

    def test_leaves_a_federation_behind(self):
        self.leave_a_federation_behind()

    def test_fails_leaving_a_federation_behind(self):
        self.leave_a_federation_behind()
        self.fail('deliberately')

    def test_waits_to_be_interrupted(self):
        self.leave_a_federation_behind()
        with open(os.environ['LIVE_TEST_MARKER'], 'w', encoding='utf-8') as f:  # tells the test to interrupt
            f.write('ready')
        time.sleep(120)
'''


def digests(folder):
    found = {}
    for name in os.listdir(folder):
        with open(os.path.join(folder, name), 'rb') as f:
            found[name] = hashlib.sha256(f.read()).hexdigest()
    return found


class Checkout:
    """A copy of this checkout to run ./dev.sh live in."""

    def __init__(self, path):
        shutil.copytree(ROOT, path, ignore=shutil.ignore_patterns(
            '.git', '.venv*', '__pycache__', '.pytest_cache', 'build', 'dist', 'tmp', '.live-run.json'))
        self.path = path
        self.recordings = os.path.join(path, 'tests', 'scenario', 'recordings')
        self.committed = digests(self.recordings)
        self.state = os.path.join(path, '.live-run.json')
        self.marker = os.path.join(path, 'ready')

    def add_leftover_scenarios(self):
        with open(os.path.join(self.path, 'tests', 'scenario', 'test_zz_leftovers.py'), 'w', encoding='utf-8') as f:
            f.write(LEFTOVERS)

    def changed_recordings(self):
        """Recordings that are new, changed or gone."""
        now = digests(self.recordings)
        return sorted(name for name in set(now) | set(self.committed) if self.committed.get(name) != now.get(name))

    def command(self, *args):
        return [sys.executable, os.path.join(self.path, 'scripts', 'live.py'), *args]


@pytest.fixture
def azure(cloud_shell_emulator):
    """The emulator with Deep Lake's stand-in application and an empty request log; reset afterwards."""
    cloud_shell_emulator.reset()
    cloud_shell_emulator.add_external_application(PLAYBACK_DEEPLAKE_APP_ID, 'Deep Lake')
    yield cloud_shell_emulator
    cloud_shell_emulator.reset()


@pytest.fixture
def checkout(tmp_path):
    return Checkout(str(tmp_path / 'repo'))


@pytest.fixture
def shell(azure, tmp_path):
    """An emulated Cloud Shell session, not signed in yet."""
    return CloudShell(azure, str(tmp_path / 'cloudshell'))


def live_env(shell, checkout):
    """The session's environment, with what the runner needs (DEEPLAKE_APP_ID) and the leftover scenarios' marker."""
    return dict(shell.env, **{APP_ID_ENV: PLAYBACK_DEEPLAKE_APP_ID, MARKER_ENV: checkout.marker})


def run_live(checkout, shell, *args, env=None):
    return subprocess.run(checkout.command(*args), cwd=checkout.path, env=env or live_env(shell, checkout),
                          capture_output=True, text=True, timeout=RUN_DEADLINE, check=False)


def assert_nothing_left(azure):
    state = azure.snapshot()
    assert [g['name'] for g in state['resourceGroups']] == []
    assert [a['displayName'] for a in state['applications']] == []
    assert state['servicePrincipals'] == []


def seed_what_is_not_the_runs(azure):
    """A resource group without the run's tag and one of another run; applications made before the run, or
    without our tag; all of which the sweep must leave alone."""
    azure.add_resource_group('untagged')
    azure.add_resource_group('another-run', tags={RUN_TAG: '20200101T000000Z-abcdef'})
    old, _ = azure.add_application('deeplake-dlsaold', tags=['az-deeplake'])
    azure.state.directory.apps[old]['createdDateTime'] = '2020-01-01T00:00:00Z'
    azure.add_application('deeplake-dlsauntagged')
    azure.add_application('someone-else', tags=['az-deeplake'])


def test_without_a_login_it_stops_at_once_and_changes_nothing(azure, checkout, shell):
    azure.clear_requests()
    started = time.monotonic()
    result = run_live(checkout, shell)
    assert result.returncode == 2, result.stdout + result.stderr
    assert time.monotonic() - started < 30
    assert 'Not signed in to Azure' in result.stderr
    for how in ('az login ', 'az login --identity', 'azure/login'):
        assert how in result.stderr
    assert azure.requests() == []
    assert not os.path.exists(checkout.state)
    assert checkout.changed_recordings() == []


def test_without_deeplake_app_id_it_stops_at_once(azure, checkout, shell):
    shell.login()
    azure.clear_requests()
    env = {k: v for k, v in live_env(shell, checkout).items() if k != APP_ID_ENV}
    result = run_live(checkout, shell, env=env)
    assert result.returncode == 2, result.stdout + result.stderr
    assert 'DEEPLAKE_APP_ID is not set' in result.stderr
    assert [r for r in azure.requests() if r['method'] != 'GET'] == []
    assert not os.path.exists(checkout.state)


def test_a_run_re_records_its_cassettes_and_leaves_nothing_behind(azure, checkout, shell):
    """...with the rights README gives the workflow's identity: role assignments only under its ABAC condition."""
    shell.login()
    with open(os.path.join(ROOT, '.github', 'live-rbac-condition.txt'), encoding='utf-8') as f:
        azure.grant_role_assignments_with_condition(f.read())
    azure.graph_replication_delay = 1.5
    result = run_live(checkout, shell, '-k', 'whole_account or deeplake_app_account')
    assert result.returncode == 0, result.stdout + result.stderr
    recorded = ['test_deeplake_app_account_and_container.yaml', 'test_federate_whole_account.yaml']
    assert checkout.changed_recordings() == recorded
    for name in recorded:
        assert_clean(os.path.join(checkout.recordings, name))
    assert f"Re-recorded 2 cassette(s) in tests/scenario/recordings (review them with git diff): " \
           f"{', '.join(recorded)}" in result.stdout
    assert 'Nothing of the run is left.' in result.stdout
    assert not os.path.exists(checkout.state)
    assert_nothing_left(azure)
    # The product waited for the new application with real sleeps (backoff from 0.5 s), not in a tight loop.
    waits = [r for r in azure.requests() if (r['method'], r['path'], r['status']) == ('POST', SERVICE_PRINCIPALS, 400)]
    assert 1 <= len(waits) <= 4


@pytest.mark.parametrize('principal_existed', [False, True], ids=['principal-new', 'principal-existed'])
def test_a_failing_test_still_ends_with_the_sweep(azure, checkout, shell, principal_existed):
    shell.login()
    seed_what_is_not_the_runs(azure)
    if principal_existed:  # installed by someone before the run: never the run's to remove
        principal = azure.add_service_principal(PLAYBACK_DEEPLAKE_APP_ID)
        azure.state.directory.sps[principal]['tags'] = ['az-deeplake']
    checkout.add_leftover_scenarios()
    result = run_live(checkout, shell, '-k', 'test_fails_leaving_a_federation_behind')
    assert result.returncode == 1, result.stdout + result.stderr
    assert 'deliberately' in result.stdout
    left = re.search(r'^Cleaning up run \S+: (.*)$', result.stdout, re.MULTILINE).group(1)
    deep_lakes = [] if principal_existed else ["service principal of Deep Lake's application Deep Lake"]
    assert re.fullmatch(', '.join([r'\d piece\(s\) left: resource group dlrg\w+', r'application deeplake-dlsa\w+']
                                  + deep_lakes), left)
    assert 'Nothing of the run is left.' in result.stdout
    assert checkout.changed_recordings() == ['test_fails_leaving_a_federation_behind.yaml']
    state = azure.snapshot()
    assert sorted(g['name'] for g in state['resourceGroups']) == ['another-run', 'untagged']
    assert sorted(a['displayName'] for a in state['applications']) == [
        'deeplake-dlsaold', 'deeplake-dlsauntagged', 'someone-else']
    assert [p['appId'] for p in state['servicePrincipals']] == ([PLAYBACK_DEEPLAKE_APP_ID] if principal_existed
                                                                else [])


@pytest.mark.parametrize('signum', [signal.SIGINT, signal.SIGTERM], ids=['SIGINT', 'SIGTERM'])
def test_an_interrupted_run_still_ends_with_the_sweep(azure, checkout, shell, signum):
    shell.login()
    checkout.add_leftover_scenarios()
    runner = subprocess.Popen(checkout.command('-k', 'test_waits_to_be_interrupted'), cwd=checkout.path,
                              env=live_env(shell, checkout), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    deadline = time.monotonic() + RUN_DEADLINE
    while not os.path.exists(checkout.marker):
        assert runner.poll() is None and time.monotonic() < deadline, runner.communicate()[0]
        time.sleep(0.2)
    runner.send_signal(signum)
    output = runner.communicate(timeout=RUN_DEADLINE)[0]
    assert runner.returncode == 130, output
    assert f'{signal.Signals(signum).name}: stopping the tests, then cleaning up.' in output
    assert re.search(r'^Cleaning up run \S+: 3 piece\(s\) left: ', output, re.MULTILINE), output
    assert 'Nothing of the run is left.' in output
    assert_nothing_left(azure)


def test_what_it_cannot_remove_is_listed_and_a_sweep_finishes_later(azure, checkout, shell):
    shell.login()
    checkout.add_leftover_scenarios()
    azure.fail('DELETE', r'^/v1\.0/applications/', 'graph', count=1, status=503)
    result = run_live(checkout, shell, '-k', 'test_leaves_a_federation_behind')
    assert result.returncode == 3, result.stdout + result.stderr
    listed = result.stdout.split('Could not remove (remove these yourself, or run ./dev.sh live --sweep again):\n')[1]
    assert re.fullmatch(r'  application (deeplake-dlsa\w+): .+\n', listed)
    assert [a['displayName'] for a in azure.snapshot()['applications']] == [listed.split()[1].rstrip(':')]
    assert azure.snapshot()['resourceGroups'] == []
    with open(checkout.state, encoding='utf-8') as f:
        assert json.load(f)['deeplake_principal_existed'] is False

    result = run_live(checkout, shell, '--sweep')
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'Nothing of the run is left.' in result.stdout
    assert not os.path.exists(checkout.state)
    assert_nothing_left(azure)
