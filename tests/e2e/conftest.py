"""The real az, with the built wheel installed, in an emulated Cloud Shell session (see tests/cloudshell.py)."""
import pytest

from tests.cloudshell import CloudShell, build_wheel

GROUP, ACCOUNT, CONTAINER = 'datalake', 'dlstore01', 'datasets'


@pytest.fixture(scope='session')
def wheel(tmp_path_factory):
    return build_wheel(str(tmp_path_factory.mktemp('wheel')))


@pytest.fixture(scope='session')
def shell(cloud_shell_emulator, wheel, tmp_path_factory):
    shell = CloudShell(cloud_shell_emulator, str(tmp_path_factory.mktemp('cloudshell')))
    shell.install(wheel)
    shell.login()
    return shell


@pytest.fixture
def azure(cloud_shell_emulator, shell):  # pylint: disable=unused-argument
    """The emulator, reset to a resource group with an ADLS Gen2 account and a container, request log empty."""
    emulator = cloud_shell_emulator
    emulator.reset()
    emulator.add_resource_group(GROUP, 'eastus')
    emulator.add_storage_account(GROUP, ACCOUNT, hns=True)
    emulator.add_container(GROUP, ACCOUNT, CONTAINER)
    emulator.clear_requests()
    yield emulator
    emulator.reset()
