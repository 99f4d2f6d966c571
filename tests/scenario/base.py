"""ScenarioTest for az deeplake: azure-cli-testsdk 0.3.0 made to work with azure-cli 2.91.

- two replay patches of the test SDK no longer fit core 2.91 and are replaced (its long-running-operation
  delay patch imports msrestazure, its token mock lacks acquire_token);
- a missing recording fails the test instead of silently running it live;
- role assignment names come from the test SDK's create_guid, so recordings replay;
- the extension's concurrent requests run one after another (vcrpy is not thread-safe);
- recordings are scrubbed of ids and leave out Cloud Shell's token endpoint (see recording.py);
- playback also matches the bodies of PUT, POST and PATCH requests, as JSON (object keys in any order), so a
  request whose body changed no longer replays an answer recorded for another one.
- a live test replaces its own recording when it starts, and no other (the test SDK deletes the recording of every
  test it creates, and pytest creates every collected test, also those -k deselects);
- resource groups carry the live run's tag, so that scripts/live.py's sweep finds them (liverun.py).

Modes: playback (default); AZURE_TEST_RUN_LIVE=true records against whatever az is logged in to: a real
subscription (./dev.sh live), or the bundled emulator when started through tests/scenario/record.py. Live tests
wait for Azure for real: the test SDK's patches of time.sleep and of long-running operations apply to playback
only.
"""
import contextlib
import inspect
import json
import os
from concurrent.futures import Future
from unittest import mock

from azure.cli.testsdk import ScenarioTest
from azure.cli.testsdk.patches import patch_long_run_operation_delay, patch_retrieve_token_for_user
from azure.cli.testsdk.scenario_tests import mock_in_unit_test
from azure.cli.testsdk.scenario_tests.config import TestConfig
from azure.cli.testsdk.utilities import find_recording_dir

from azext_deeplake import deeplake

from . import liverun
from .recording import CloudShellTokenFilter, IdScrubber

PLAYBACK_TOKEN = 'playback-token'
# The signed-in caller's object ID in recordings (the real one is mapped to it while recording).
CALLER_MONIKER = '88888888-0000-0000-0000-00000000ca11'
WRITES_WITH_A_BODY = ('PUT', 'POST', 'PATCH')


def write_bodies_match(sent, recorded):
    """vcrpy matcher: a write's body equals the recorded (scrubbed) one, as JSON when both parse as JSON."""
    if sent.method.upper() not in WRITES_WITH_A_BODY:
        return
    if _parsed(sent.body) != _parsed(recorded.body):
        raise AssertionError(f'{sent.method} {sent.uri} sent {sent.body!r}, the recording has {recorded.body!r}')


def _parsed(body):
    text = body.decode('utf-8') if isinstance(body, bytes) else body
    try:
        return json.loads(text) if text else None
    except ValueError:
        return text


def patch_user_credential(unit_test):
    class PlaybackCredential:  # pylint: disable=too-few-public-methods
        def acquire_token(self, scopes, **kwargs):  # pylint: disable=unused-argument
            return {'access_token': PLAYBACK_TOKEN, 'token_type': 'Bearer', 'expires_in': 3600}

    mock_in_unit_test(unit_test, 'azure.cli.core.auth.identity.Identity.get_user_credential',
                      lambda *args, **kwargs: PlaybackCredential())


def patch_operation_delay(unit_test):
    mock_in_unit_test(unit_test, 'azure.cli.core.commands.LongRunningOperation._delay', lambda *a, **k: None)


class SerialExecutor:
    """Runs each submitted call at once. vcrpy is not thread-safe (while recording it unpatches connections
    globally during every real request), so concurrent requests could escape the recording or the playback.
    The end-to-end tests run the real, concurrent code."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return False

    @staticmethod
    def submit(function, *args, **kwargs):
        future = Future()
        try:
            future.set_result(function(*args, **kwargs))
        except Exception as ex:  # pylint: disable=broad-except
            future.set_exception(ex)
        return future


@contextlib.contextmanager
def _kept(path):
    """Whatever happens inside, the file at path is still there afterwards."""
    if not os.path.exists(path):
        yield
        return
    aside = path + '.kept'
    os.replace(path, aside)
    try:
        yield
    finally:
        os.replace(aside, path)


class DeepLakeScenarioTest(ScenarioTest):

    def __init__(self, method_name):
        recording = os.path.join(find_recording_dir(inspect.getfile(type(self))), method_name + '.yaml')
        with _kept(recording) if TestConfig().record_mode else contextlib.nullcontext():
            super().__init__(method_name)
        stale = (patch_long_run_operation_delay, patch_retrieve_token_for_user)
        self.replay_patches = [p for p in self.replay_patches if p not in stale]
        self.replay_patches += [patch_user_credential, patch_operation_delay]
        if not self.is_live:
            self.vcr.register_matcher('write_body', write_bodies_match)
            self.vcr.match_on = tuple(self.vcr.match_on) + ('write_body',)
        self.deeplake_app_id = liverun.PLAYBACK_DEEPLAKE_APP_ID
        if self.is_live:
            from azure.cli.core._profile import Profile
            profile = Profile(cli_ctx=self.cli_ctx)
            account = profile.get_subscription()
            self.deeplake_app_id = liverun.live_deeplake_app_id()
            scrubber = IdScrubber(account['id'], account['tenantId'], self.deeplake_app_id)
            scrubber.map_to(_caller_object_id(profile), CALLER_MONIKER)
            self.recording_processors += [CloudShellTokenFilter(), scrubber]

    def create_random_name(self, prefix, length):
        """Also maps the uniqueName keys of an application of that name (--app-name) and of the default application
        for an account of that name, which are hashes of the name that the SDK's name replacer would not find."""
        name = super().create_random_name(prefix, length)
        if self.in_recording:
            moniker = '{}{:06}'.format(prefix, self.test_resources_count)
            for app_name in (lambda n: n, deeplake.default_app_name):
                live_keys = deeplake.unique_names(app_name(name))
                for live, playback in zip(live_keys, deeplake.unique_names(app_name(moniker))):
                    self.name_replacer.register_name_pair(live, playback)
        return name

    def make_group(self):
        """A resource group for this test (in kwargs as rg), deleted afterwards; tagged with the live run's id."""
        self.kwargs.update(rg=self.create_random_name('dlrg', 16), run_tag=f'{liverun.RUN_TAG}={liverun.run_id()}')
        self.cmd('group create -n {rg} -l westus2 --tags {run_tag}')
        self.addCleanup(lambda: self.cmd('group delete -n {rg} --yes --no-wait'))

    def setUp(self):
        if not self.is_live and not os.path.exists(self.recording_file):
            self.fail('No recording {}: record it with ./dev.sh record (against the emulator) or '
                      'AZURE_TEST_RUN_LIVE=true (against Azure).'.format(self.recording_file))
        if self.is_live and os.path.exists(self.recording_file):
            os.remove(self.recording_file)  # recorded afresh: vcrpy would keep the old interactions in the new file
        super().setUp()
        seams = [mock.patch('azext_deeplake.roles._gen_guid', side_effect=lambda *args: self.create_guid()),
                 mock.patch('azext_deeplake.parallel.executor', SerialExecutor)]
        if not self.is_live:  # the playback token carries no object ID
            seams.append(mock.patch('azext_deeplake.session.Session.caller_object_id', return_value=CALLER_MONIKER))
        for seam in seams:
            seam.start()
            self.addCleanup(seam.stop)


def _caller_object_id(profile):
    from azext_deeplake.session import _claims
    return _claims(profile.get_raw_token()[0][1]).get('oid')
