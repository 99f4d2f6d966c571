"""Playback matches the bodies of writes: a scenario whose request bodies changed no longer replays."""
import unittest

from azext_deeplake import deeplake

from . import test_federate_scenario as scenarios


def replay(test_name):
    result = unittest.TestResult()
    scenarios.FederateScenarioTest(test_name).run(result)
    return result


def test_a_changed_cors_rule_fails_playback(monkeypatch):
    monkeypatch.setitem(deeplake.CORS_RULE, 'maxAgeInSeconds', 1)
    result = replay('test_federate_whole_account')
    assert not result.wasSuccessful()
    [(_, trace)] = result.errors + result.failures
    assert 'CannotOverwriteExistingCassetteException' in trace and '"maxAgeInSeconds": 1' in trace, trace
