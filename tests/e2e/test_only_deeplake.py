"""Only Deep Lake, and only this access: the identity that gets storage access is checked before any write (who can
act as it, what it holds, whose application it is), on every run; with the real az in an emulated Cloud Shell."""
import pytest

from azext_deeplake import deeplake

from .helpers import (ACCOUNT, APP_NAME, CONTAINER, DEEPLAKE_APP_ID, GROUP, answer_at_a_terminal, assert_fails,
                      federate, federated, held, show, unfederate, writes)

COLLEAGUE = 'eve@contoso.onmicrosoft.com'
GITHUB = ('https://token.actions.githubusercontent.com', 'repo:contoso/pipelines:ref:refs/heads/main')


def federate_container(shell, *args):
    return federate(shell, '--account', ACCOUNT, '--container', CONTAINER, *args)


def check(output, name):
    return next(c for c in output['checks'] if c['name'] == name)


def our_application(azure):
    (app,) = azure.snapshot()['applications']
    return app


# ---- 1, 2: someone else can act as the application --------------------------------------------------------

def test_an_application_another_member_owns_with_a_secret_stops_federate_before_any_write(shell, azure):
    colleague = azure.add_user(COLLEAGUE, 'Eve Example')
    object_id, app_id = azure.add_application(APP_NAME, owned=False, owners=[colleague])
    key_id = azure.add_password(object_id, display_name='ci-secret', end_date_time='2027-06-30T00:00:00Z')
    result = federate_container(shell)
    assert_fails(result, 1, f"Someone other than Deep Lake can act as application '{APP_NAME}' (client ID {app_id})",
                 f"owner '{COLLEAGUE}' (Eve Example, can add secrets to it): az ad app owner remove --id {app_id} "
                 f"--owner-object-id {colleague}",
                 "client secret 'ci-secret' (hint", 'expires 2027-06-30',
                 f'az ad app credential delete --id {app_id} --key-id {key_id}', '--app-name <new name>',
                 'Nothing was changed.')
    assert writes(azure) == []
    assert our_application(azure)['federatedIdentityCredentials'] == [] and held(azure) == []


def test_a_secret_added_after_federate_is_a_blocker_on_every_run(shell, azure):
    first = federated(shell, '-c', CONTAINER)
    assert check(first, 'onlyDeepLake')['status'] == 'ok' and first['ready'] is True
    client_id = first['application']['clientId']
    added = shell.az('ad', 'app', 'credential', 'reset', '--id', client_id, '--append', '--display-name', 'leak')
    assert added.returncode == 0, added.stderr
    azure.clear_requests()
    shown = show(shell, '-c', CONTAINER)
    assert shown.returncode == 0, shown.stderr
    found = check(shown.json, 'onlyDeepLake')
    assert found['status'] == 'blocker' and shown.json['ready'] is False and shown.json['complete'] is True
    assert [(f['kind'], f['name']) for f in found['findings']] == [('secret', "'leak'")]
    assert f'az ad app credential delete --id {client_id} --key-id' in found['findings'][0]['fix']
    table = show(shell, '-c', CONTAINER, '-o', 'table').stdout.splitlines()
    assert [line.split() for line in table if line.startswith('Readiness')] == [['Readiness', 'onlyDeepLake', 'blocker']]
    dry = federate_container(shell, '--dry-run')
    assert dry.returncode == 0 and any("client secret 'leak'" in b for b in dry.json['blockers']), dry.stderr
    again = federate_container(shell)
    assert_fails(again, 1, 'Someone other than Deep Lake can act as', "client secret 'leak'")
    assert writes(azure) == []


def test_another_federated_credential_is_named_with_its_issuer_and_subject(shell, azure):
    federated(shell, '-c', CONTAINER)
    app = our_application(azure)
    azure.add_federated_credential(app['id'], 'pipeline', *GITHUB)
    azure.clear_requests()
    result = federate_container(shell)
    assert_fails(result, 1, f"federated credential 'pipeline' (trusts issuer {GITHUB[0]}, subject {GITHUB[1]})",
                 f"az ad app federated-credential delete --id {app['appId']} --federated-credential-id")
    assert writes(azure) == []


def test_a_certificate_on_the_service_principal_is_found_too(shell, azure):
    output = federated(shell, '-c', CONTAINER)
    azure.add_key(output['servicePrincipal']['objectId'], display_name='old-cert')
    found = check(show(shell, '-c', CONTAINER).json, 'onlyDeepLake')
    assert [(f['kind'], f['on'], f['name']) for f in found['findings']] == [
        ('certificate', 'servicePrincipal', "'old-cert'")]
    assert found['findings'][0]['fix'].startswith(f"az ad sp credential delete --id {output['application']['clientId']}")
    assert found['findings'][0]['fix'].endswith('--cert')


# ---- 2: co-owners, accepted by name ----------------------------------------------------------------------------

def test_a_co_owner_is_accepted_only_when_named_and_the_output_records_it(shell, azure):
    colleague = azure.add_user(COLLEAGUE, 'Eve Example')
    azure.add_application(APP_NAME, owners=[colleague])
    refused = federate_container(shell)
    assert_fails(refused, 1, f"owner '{COLLEAGUE}'", '--accept-owner')
    assert writes(azure) == []
    accepted = federate_container(shell, '--accept-owner', COLLEAGUE)
    assert accepted.returncode == 0, accepted.stderr
    assert accepted.json['application']['acceptedOwners'] == [
        {'id': colleague, 'displayName': 'Eve Example', 'userPrincipalName': COLLEAGUE}]
    assert check(accepted.json, 'onlyDeepLake')['status'] == 'ok' and accepted.json['ready'] is True


def test_accepting_an_owner_never_accepts_a_secret(shell, azure):
    colleague = azure.add_user(COLLEAGUE, 'Eve Example')
    object_id, _ = azure.add_application(APP_NAME, owners=[colleague])
    azure.add_password(object_id, display_name='ci-secret')
    result = federate_container(shell, '--accept-owner', colleague)
    assert_fails(result, 1, "client secret 'ci-secret'")
    assert f"owner '{COLLEAGUE}'" not in result.stderr
    assert writes(azure) == []


# ---- 5: only this access -------------------------------------------------------------------------------------

def reused_application_with_a_principal(azure):
    _, app_id = azure.add_application(APP_NAME)
    return azure.add_service_principal(app_id)


@pytest.mark.parametrize('grant, words', [
    ('role', ["'Contributor'", f'/resourceGroups/{GROUP}', 'az role assignment delete --ids']),
    ('graph', ["Microsoft Graph application permission", 'of Microsoft Graph', '/appRoleAssignments/']),
    ('directory', ["directory role 'Global Reader'", '/directoryRoles/']),
])
def test_a_reused_principal_that_holds_other_access_stops_federate(shell, azure, grant, words):
    principal = reused_application_with_a_principal(azure)
    if grant == 'role':
        azure.add_role_assignment(f'/subscriptions/{azure.subscription_id}/resourceGroups/{GROUP}', 'Contributor',
                                  principal)
    elif grant == 'graph':
        azure.add_app_role_assignment(principal, resource_display_name='Microsoft Graph',
                                      app_role_id='9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30')
    else:
        azure.add_directory_role_member(principal, role_display_name='Global Reader')
    azure.clear_requests()
    result = federate_container(shell)
    assert_fails(result, 1, 'already holds access that az deeplake did not grant', *words, 'Nothing was changed.')
    assert writes(azure) == []


def test_other_access_in_another_subscription_is_found(shell, azure):
    principal = reused_application_with_a_principal(azure)
    other = azure.add_subscription('Other subscription')
    azure.add_resource_group('elsewhere', 'eastus', subscription=other)
    azure.add_role_assignment(f'/subscriptions/{other}/resourceGroups/elsewhere', 'Reader', principal)
    result = federate_container(shell)
    assert_fails(result, 1, "Azure role 'Reader' (at /subscriptions/" + other)


def test_an_equal_grant_someone_else_made_is_no_other_access(shell, azure):
    principal = reused_application_with_a_principal(azure)
    scope = (f'/subscriptions/{azure.subscription_id}/resourceGroups/{GROUP}/providers/Microsoft.Storage/'
             f'storageAccounts/{ACCOUNT}')
    azure.add_role_assignment(scope, 'Storage Blob Data Contributor', principal)
    result = federate(shell, '--account', ACCOUNT)
    assert result.returncode == 0, result.stderr
    assert result.json['roleAssignments'][0]['status'] == 'present'


# ---- 10: unfederate is never blocked ---------------------------------------------------------------------------

def test_unfederate_removes_access_and_reports_who_else_can_act(shell, azure):
    output = federated(shell, '-c', CONTAINER)
    azure.add_password(our_application(azure)['id'], display_name='leak')
    result = unfederate(shell, '--yes')
    assert result.returncode == 0, result.stderr
    assert held(azure) == []
    assert check(result.json, 'onlyDeepLake')['status'] == 'blocker'
    assert "client secret 'leak'" in result.stderr and output['application']['clientId'] in result.stderr


# ---- 4, 6, 7: Deep Lake's application -------------------------------------------------------------------------

def connect(shell, *args):
    return federate(shell, '--account', ACCOUNT, '--deeplake-app-id', *args)


def test_this_tenants_own_application_is_not_deep_lakes(shell, azure):
    _, app_id = azure.add_application('ci-pipeline')
    azure.add_service_principal(app_id)
    result = connect(shell, app_id, '-c', CONTAINER)
    assert_fails(result, 1, f"{app_id} is application 'ci-pipeline' registered in your own tenant, not Deep Lake's",
                 'Nothing was changed.')
    assert writes(azure) == [] and held(azure) == []


def test_a_managed_identity_is_not_deep_lakes_application(shell, azure):
    _, app_id = azure.add_managed_identity('nightly-job')
    result = connect(shell, app_id)
    assert_fails(result, 1, 'service principal of type ManagedIdentity', 'Nothing was changed.')
    assert writes(azure) == []


def test_deep_lakes_publisher_is_shown_before_and_after_install(shell, azure):
    publisher = '1e2d3c4b-0000-4000-8000-00000000ac71'
    azure.add_external_application(DEEPLAKE_APP_ID, 'Deep Lake', publisher_tenant_id=publisher,
                                   publisher_name='Activeloop',
                                   verified_publisher={'displayName': 'Activeloop Inc.', 'verifiedPublisherId': '42'})
    dry = connect(shell, DEEPLAKE_APP_ID, '--dry-run')
    assert dry.returncode == 0 and 'is not installed in this tenant yet' in dry.stderr, dry.stderr
    result = connect(shell, DEEPLAKE_APP_ID)
    assert result.returncode == 0, result.stderr
    app = result.json['application']
    assert (app['appOwnerOrganizationId'], app['publisherName'], app['verifiedPublisher']['displayName'],
            app['servicePrincipalType']) == (publisher, 'Activeloop', 'Activeloop Inc.', 'Application')
    assert f'published by Activeloop (tenant {publisher}; verified publisher: Activeloop Inc.' in result.stderr
    assert check(result.json, 'deepLakeApplication')['status'] == 'ok'


def test_a_secret_on_deep_lakes_principal_in_this_tenant_is_a_blocker(shell, azure):
    azure.add_external_application(DEEPLAKE_APP_ID, 'Deep Lake')
    principal = azure.add_service_principal(DEEPLAKE_APP_ID)
    azure.add_password(principal, display_name='backdoor')
    result = connect(shell, DEEPLAKE_APP_ID)
    assert_fails(result, 1, f"Someone other than Deep Lake can act as Deep Lake's application {DEEPLAKE_APP_ID}",
                 "service principal client secret 'backdoor'", 'az ad sp credential delete')
    assert writes(azure) == []


def test_consent_leads_with_installing_only_the_service_principal(shell, azure):
    azure.add_external_application(DEEPLAKE_APP_ID, 'Deep Lake')
    azure.deny('graph.consent')
    result = connect(shell, DEEPLAKE_APP_ID)
    assert_fails(result, 1, f'az ad sp create --id {DEEPLAKE_APP_ID}', 'every API permission the application requests')
    assert result.stderr.index('az ad sp create') < result.stderr.index('adminconsent?client_id=')


# ---- 8: only Activeloop's trust unless a person confirms another -----------------------------------------------

OTHER_SUBJECT = 'us-east-1:00000000-1111-2222-3333-444444444444'


def test_a_custom_trust_without_yes_and_without_a_terminal_writes_nothing(shell, azure):
    result = federate_container(shell, '--subject', OTHER_SUBJECT)
    assert_fails(result, 1, 'Operation cancelled', f'subject {OTHER_SUBJECT}',
                 'not the identity Activeloop publishes for Deep Lake', 'Use --yes')
    assert writes(azure) == []


def test_a_custom_trust_with_yes_is_named_and_recorded(shell, azure):
    result = federate_container(shell, '--issuer', 'https://issuer.example', '--subject', OTHER_SUBJECT,
                                '--audience', 'api://example', '--credential-name', 'rotated', '--yes')
    assert result.returncode == 0, result.stderr
    assert 'would trust issuer https://issuer.example' in result.stderr
    credential = result.json['federatedCredential']
    assert (credential['name'], credential['issuer'], credential['subject'], credential['audiences'],
            credential['trust']) == ('rotated', 'https://issuer.example', OTHER_SUBJECT, ['api://example'], 'custom')
    (fic,) = our_application(azure)['federatedIdentityCredentials']
    assert (fic['name'], fic['issuer'], fic['subject'], fic['audiences']) == (
        'rotated', 'https://issuer.example', OTHER_SUBJECT, ['api://example'])
    same = show(shell, '-c', CONTAINER, '--issuer', 'https://issuer.example', '--subject', OTHER_SUBJECT,
                '--audience', 'api://example', '--credential-name', 'rotated')
    assert same.json['complete'] is True and same.json['federatedCredential']['trust'] == 'custom', same.stderr


@pytest.mark.parametrize('answer, created', [('y', True), ('n', False)])
def test_at_a_terminal_a_custom_trust_is_asked_for(shell, azure, answer, created):
    code, printed = answer_at_a_terminal(shell, answer, 'deeplake', 'federate', '--account', ACCOUNT,
                                         '--subject', OTHER_SUBJECT)
    assert f'subject {OTHER_SUBJECT}' in printed and 'Trust this identity? (y/N)' in printed, printed
    assert code == (0 if created else 1), printed
    assert bool(azure.snapshot()['applications']) is created


def test_activeloops_published_values_need_no_confirmation(shell, azure):
    result = federate_container(shell, '--issuer', deeplake.ISSUER, '--subject', deeplake.SUBJECT)
    assert result.returncode == 0, result.stderr
    assert result.json['federatedCredential']['trust'] == 'activeloop'
    assert 'would trust' not in result.stderr
