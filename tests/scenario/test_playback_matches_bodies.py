"""Playback matches the bodies of writes: a scenario whose request bodies changed no longer replays."""
import unittest

from azure.cli.testsdk.scenario_tests import config as testsdk_config

from azext_deeplake import deeplake

from . import test_federate_scenario as scenarios


def replay(test_name):
    result = unittest.TestResult()
    scenarios.FederateScenarioTest(test_name).run(result)
    return result


def test_a_changed_cors_rule_fails_playback(monkeypatch):
    # Playback even in ./dev.sh record and live, which would otherwise record the changed body. (The mode is patched,
    # not the environment: the test SDK replaces os.environ after each test, and its parser reads the original.)
    monkeypatch.setattr(testsdk_config.TestConfig, 'record_mode', property(lambda config: False))
    monkeypatch.setitem(deeplake.CORS_RULE, 'maxAgeInSeconds', 1)
    result = replay('test_federate_whole_account')
    assert not result.wasSuccessful()
    [(_, trace)] = result.errors + result.failures
    assert 'CannotOverwriteExistingCassetteException' in trace and '"maxAgeInSeconds": 1' in trace, trace
