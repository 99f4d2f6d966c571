import pytest
from azure.cli.core.azclierror import InvalidArgumentValueError

from azext_deeplake import _validators as v

ACCOUNT_ID = ('/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/Data/providers/'
              'Microsoft.Storage/storageAccounts/mystorage')


@pytest.mark.parametrize('name', ['abc', 'a' * 24, 'mystorage01'])
def test_valid_account_names(name):
    assert v.parse_account(name) == (name, None, None)


@pytest.mark.parametrize('name', ['ab', 'a' * 25, 'MyStorage', 'my-storage', 'my_storage', ''])
def test_invalid_account_names(name):
    with pytest.raises(InvalidArgumentValueError, match='3 to 24 lowercase letters and digits'):
        v.parse_account(name)


def test_account_resource_id_gives_subscription_and_group():
    assert v.parse_account(ACCOUNT_ID) == ('mystorage', '00000000-0000-0000-0000-000000000000', 'Data')
    assert v.parse_account(ACCOUNT_ID.lower())[0] == 'mystorage'


def test_other_resource_ids_are_refused():
    with pytest.raises(InvalidArgumentValueError, match='not a storage account resource ID'):
        v.parse_account('/subscriptions/x/resourceGroups/g/providers/Microsoft.Compute/virtualMachines/vm')


@pytest.mark.parametrize('name', ['abc', 'data-sets', 'a1' * 31 + 'a', '0ab'])
def test_valid_container_names(name):
    v.check_container_name(name)


@pytest.mark.parametrize('name', ['ab', 'a' * 64, 'Data', 'data--sets', '-data', 'data-', 'data_sets', '$web'])
def test_invalid_container_names(name):
    with pytest.raises(InvalidArgumentValueError, match='not a valid container name'):
        v.check_container_name(name)


@pytest.mark.parametrize('name', ['deeplake', 'Deep_Lake-1', 'a' * 120])
def test_valid_credential_names(name):
    v.check_credential_name(name)


@pytest.mark.parametrize('name', ['ab', '_deeplake', 'deep lake', 'a' * 121, 'deep.lake'])
def test_invalid_credential_names(name):
    with pytest.raises(InvalidArgumentValueError, match='not a valid federated credential name'):
        v.check_credential_name(name)


def test_issuer_must_be_https():
    v.check_issuer('https://cognito-identity.amazonaws.com')
    with pytest.raises(InvalidArgumentValueError, match='https URL'):
        v.check_issuer('http://cognito-identity.amazonaws.com')


def test_a_plain_application_name_is_valid():
    v.check_app_name('deeplake-mystorage')


@pytest.mark.parametrize('name', [pytest.param('', id='empty'), pytest.param('   ', id='blank'),
                                  pytest.param('a' * 257, id='257-characters')])
def test_application_name_must_not_be_blank_or_too_long(name):
    with pytest.raises(InvalidArgumentValueError, match='not a valid application name'):
        v.check_app_name(name)


def test_subject_and_audience_must_not_be_blank():
    with pytest.raises(InvalidArgumentValueError, match='--subject must not be empty'):
        v.check_not_blank(' ', '--subject')
