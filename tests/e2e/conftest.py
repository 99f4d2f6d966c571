"""The real az, with the built wheel installed, in an emulated Cloud Shell session (see tests/cloudshell.py).
Shared helpers are in helpers.py; the `wheel` fixture is in tests/conftest.py."""
import pytest

from tests.cloudshell import CloudShell

from .helpers import seed


@pytest.fixture(scope='session')
def shell(cloud_shell_emulator, wheel, tmp_path_factory):
    shell = CloudShell(cloud_shell_emulator, str(tmp_path_factory.mktemp('cloudshell')))
    shell.install(wheel)
    shell.login()
    return shell


@pytest.fixture(scope='session')
def az_version(shell):
    """The version of the azure-cli under test."""
    return shell.az('version', check=True).json['azure-cli']


@pytest.fixture
def azure(cloud_shell_emulator, shell):  # pylint: disable=unused-argument
    """The emulator, reset to a resource group with an ADLS Gen2 account and a container, request log empty."""
    emulator = cloud_shell_emulator
    seed(emulator)
    yield emulator
    emulator.reset()


@pytest.fixture
def reseed(azure):
    """reseed(**account_settings): start again from a resource group, an account with these settings (as for
    Emulator.add_storage_account) and a container, with an empty request log."""
    return lambda **settings: seed(azure, **settings)
