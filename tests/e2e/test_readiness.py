"""Readiness: can Deep Lake actually reach the account? Each check, with the real az in an emulated Cloud Shell."""
import pytest

from .helpers import ACCOUNT, CONTAINER, assert_fails, federate, show, writes

CHECKS = ['blobService', 'publicNetworkAccess', 'firewall', 'cors', 'hierarchicalNamespace', 'blobEndpoint',
          'onlyDeepLake', 'onlyThisAccess']


def test_a_healthy_account_passes_every_check_and_is_ready_once_federated(shell, azure):
    before = show(shell, '-c', CONTAINER).json
    assert [(c['name'], c['status']) for c in before['checks']] == [(name, 'ok') for name in CHECKS]
    assert before['ready'] is False  # not federated yet
    federated = federate(shell, '--account', ACCOUNT, '-c', CONTAINER)
    assert federated.returncode == 0 and federated.json['ready'] is True, federated.stderr
    assert show(shell, '-c', CONTAINER).json['ready'] is True


@pytest.mark.parametrize('settings, name, words', [
    ({'properties': {'publicNetworkAccess': 'Disabled'}}, 'publicNetworkAccess', '--public-network-access Enabled'),
    ({'properties': {'networkAcls': {'defaultAction': 'Deny'}}}, 'firewall', 'network-rule add'),
    ({'properties': {'dnsEndpointType': 'AzureDnsZone'}}, 'blobEndpoint',
     f'https://{ACCOUNT}.z13.blob.storage.azure.net/'),
    ({'sku': 'Premium_LRS'}, 'cors', 'does not support CORS'),
    ({'hns': False}, 'hierarchicalNamespace', 'hns-migration start'),
])
def test_each_warning_is_reported_with_its_fix_and_federate_goes_on(shell, azure, reseed, settings, name, words):
    reseed(**settings)
    shown = show(shell)
    assert shown.returncode == 0, shown.stderr
    check = next(c for c in shown.json['checks'] if c['name'] == name)
    assert check['status'] == 'warning' and words in check['message']
    assert [c['name'] for c in shown.json['checks'] if c['status'] != 'ok'] == [name]
    assert words in shown.stderr
    table = show(shell, '-o', 'table').stdout.splitlines()
    assert [line.split() for line in table if line.startswith('Readiness')] == [['Readiness', name, 'warning']]
    result = federate(shell, '--account', ACCOUNT)
    assert result.returncode == 0, result.stderr
    # A warning is no blocker: federate did its part. Only CORS stays undone where the account cannot have it.
    assert result.json['ready'] is (name != 'cors')


def test_a_firewalled_account_is_still_federated_because_arm_ignores_the_firewall(shell, reseed):
    reseed(properties={'publicNetworkAccess': 'Disabled', 'networkAcls': {'defaultAction': 'Deny'}})
    result = federate(shell, '--account', ACCOUNT)
    assert result.returncode == 0, result.stderr
    warned = [c['name'] for c in result.json['checks'] if c['status'] == 'warning']
    assert warned == ['publicNetworkAccess', 'firewall']


def test_a_filestorage_account_stops_before_any_write(shell, azure, reseed):
    reseed(kind='FileStorage', sku='Premium_LRS')
    result = federate(shell, '--account', ACCOUNT)
    assert_fails(result, 1, 'is a FileStorage account, which has no blob service', '--kind StorageV2',
                 'Nothing was changed.')
    assert writes(azure) == []
    shown = show(shell).json
    assert shown['ready'] is False
    assert [(c['name'], c['status']) for c in shown['checks'] if c['status'] != 'ok'] == [('blobService', 'blocker')]
    dry = federate(shell, '--account', ACCOUNT, '--dry-run')
    assert dry.returncode == 0 and 'FileStorage' in dry.json['blockers'][0], dry.stderr
