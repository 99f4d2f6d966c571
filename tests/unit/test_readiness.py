"""Readiness checks from the storage account's properties."""
import dataclasses

import pytest

from azext_deeplake import readiness, storage

HEALTHY = storage.Account(
    id='/subscriptions/s/resourceGroups/data/providers/Microsoft.Storage/storageAccounts/mystorage',
    name='mystorage', resource_group='data', subscription_id='s', hierarchical_namespace=True,
    sku_tier='Standard', kind='StorageV2', blob_endpoint='https://mystorage.blob.core.windows.net/')


def statuses(account):
    return {c['name']: c['status'] for c in readiness.checks(account) if c['status'] != readiness.OK}


def test_a_healthy_account_passes_every_check():
    assert [c['status'] for c in readiness.checks(HEALTHY)] == [readiness.OK] * 6
    assert readiness.blockers(readiness.checks(HEALTHY)) == []


@pytest.mark.parametrize('change, expected', [
    pytest.param({'kind': 'FileStorage'}, {'blobService': readiness.BLOCKER}, id='file-storage'),
    pytest.param({'public_network_access': 'Disabled'}, {'publicNetworkAccess': readiness.WARNING},
                 id='public-network-access-disabled'),
    pytest.param({'default_action': 'Deny'}, {'firewall': readiness.WARNING}, id='firewall'),
    pytest.param({'sku_tier': 'Premium'}, {'cors': readiness.WARNING}, id='premium-general-purpose'),
    pytest.param({'sku_tier': 'Premium', 'kind': 'BlockBlobStorage'}, {}, id='premium-block-blob'),
    pytest.param({'hierarchical_namespace': False}, {'hierarchicalNamespace': readiness.WARNING}, id='no-hns'),
    pytest.param({'dns_endpoint_type': 'AzureDnsZone'}, {'blobEndpoint': readiness.WARNING}, id='azure-dns-zone'),
])
def test_each_problem_is_named_with_its_status(change, expected):
    assert statuses(dataclasses.replace(HEALTHY, **change)) == expected


def test_messages_give_the_fix_as_a_command():
    account = dataclasses.replace(HEALTHY, public_network_access='Disabled', default_action='Deny')
    messages = {c['name']: c['message'] for c in readiness.checks(account)}
    assert 'az storage account update -n mystorage -g data --public-network-access Enabled' in \
        messages['publicNetworkAccess']
    assert 'az storage account network-rule add -n mystorage -g data' in messages['firewall']
