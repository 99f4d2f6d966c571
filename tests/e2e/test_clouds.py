"""A sovereign cloud end to end: after `az cloud set --name AzureUSGovernment`, az and the extension send every
Graph and ARM request to that cloud's hosts and ask the token endpoint for that cloud's resources."""
# pylint: disable=redefined-outer-name
import pytest

from tests.cloudshell import CloudShell

from .helpers import ACCOUNT, CONTAINER, DEEPLAKE_APP_ID

GOV_GRAPH, GOV_ARM = 'graph.microsoft.us', 'management.usgovcloudapi.net'
GOV_RESOURCES = {'https://graph.microsoft.us/', 'https://management.core.usgovcloudapi.net/'}
PUBLIC_HOSTS = ('login.microsoftonline.com', 'management.azure.com', 'graph.microsoft.com')


@pytest.fixture
def gov_shell(azure, wheel, tmp_path):
    """A Cloud Shell of its own (config and extension dirs under tmp_path) in the US Government cloud, so the
    session-wide shell stays in AzureCloud."""
    shell = CloudShell(azure, str(tmp_path))
    shell.outputs = [shell.az('cloud', 'set', '--name', 'AzureUSGovernment', check=True), shell.login()]
    shell.install(wheel)
    return shell


def test_us_government_cloud_sends_everything_to_its_own_hosts(gov_shell, azure):
    cloud = gov_shell.az('cloud', 'show', '--query', 'name', check=True)
    assert cloud.json == 'AzureUSGovernment'
    federated = gov_shell.az('deeplake', 'federate', '--account', ACCOUNT, '--container', CONTAINER)
    assert federated.returncode == 0, federated.stderr
    assert federated.json['complete'] is True
    shown = gov_shell.az('deeplake', 'show', '--account', ACCOUNT, '--container', CONTAINER)
    assert shown.returncode == 0, shown.stderr
    assert shown.json['complete'] is True

    log = azure.requests()  # everything since the azure fixture cleared the log: cloud set, login, both commands
    by_service = {service: [r for r in log if r['service'] == service] for service in ('graph', 'arm', 'token')}
    assert by_service['graph'] and {r['host'] for r in by_service['graph']} == {GOV_GRAPH}
    assert by_service['arm'] and {r['host'] for r in by_service['arm']} == {GOV_ARM}
    assert not [r for r in log if r['host'] in ('graph.microsoft.com', 'management.azure.com')]
    resources = {(r['body'] or {}).get('resource') for r in by_service['token']}
    assert resources == GOV_RESOURCES, resources
    assert {r['service'] for r in log} <= {'graph', 'arm', 'token', 'login'}

    for result in gov_shell.outputs + [cloud, federated, shown]:
        for public in PUBLIC_HOSTS:
            assert public not in result.stdout + result.stderr, (result.args, public)


def test_the_admin_consent_url_names_the_us_government_authority(gov_shell, azure):
    app_id = DEEPLAKE_APP_ID
    azure.add_external_application(app_id, 'Deep Lake')
    azure.deny('graph.consent')
    result = gov_shell.az('deeplake', 'federate', '--account', ACCOUNT, '--deeplake-app-id', app_id)
    assert result.returncode == 1, result.stderr
    assert f'https://login.microsoftonline.us/{azure.tenant_id}/adminconsent?client_id={app_id}' in result.stderr
    assert 'login.microsoftonline.com' not in result.stderr
