"""What the end-to-end tests share: the seeded world's names, running az deeplake, and reading the emulator's state
and request log. Fixtures are in conftest.py."""
import os
import pty
import re
import select
import subprocess
import time

from azext_deeplake import deeplake
from tests.cloudshell import AZ

GROUP, ACCOUNT, CONTAINER, MODELS = 'datalake', 'dlstore01', 'datasets', 'models'
APP_NAME = 'deeplake-' + ACCOUNT
DEEPLAKE_APP_ID = '3c8e1a57-2f4b-4d6e-9a0c-7b5d2e1f4a68'  # a stand-in for the ID Deep Lake's wizard shows
CONTRIBUTOR, DELEGATOR = deeplake.BLOB_DATA_CONTRIBUTOR[1], deeplake.BLOB_DELEGATOR[1]
READER = deeplake.BLOB_DATA_READER[1]

# Request paths, as regular expressions searched in the emulator's request log.
APPLICATIONS = r'^/v1\.0/applications$'
APP_UPSERT = r"^/v1\.0/applications\(uniqueName='az-deeplake-[0-9a-f]{32}(-[0-9]+)?'\)$"
FICS = r'/federatedIdentityCredentials$'
SERVICE_PRINCIPALS = r'^/v1\.0/servicePrincipals$'
ROLE_ASSIGNMENTS = r'/roleAssignments/'
WRITES = ('POST', 'PUT', 'PATCH', 'DELETE')
TERMINAL_DEADLINE = 120  # seconds a test waits for az at a pseudo-terminal


# ---- running az deeplake -----------------------------------------------------------------------------------

def federate(shell, *args):
    return shell.az('deeplake', 'federate', *args)


def federated(shell, *args):
    """federate --account ACCOUNT, which must succeed; its JSON output."""
    result = federate(shell, '--account', ACCOUNT, *args)
    assert result.returncode == 0, result.stderr
    return result.json


def show(shell, *args):
    return shell.az('deeplake', 'show', '--account', ACCOUNT, *args)


def unfederate(shell, *args):
    return shell.az('deeplake', 'unfederate', '--account', ACCOUNT, *args)


def assert_fails(result, exit_code, *phrases):
    """az failed with this exit code, with every phrase in its message and no traceback."""
    assert result.returncode == exit_code, result.stderr
    for phrase in phrases:
        assert phrase in result.stderr
    assert 'Traceback' not in result.stderr


def answer_at_a_terminal(shell, answer, *args, deadline=TERMINAL_DEADLINE):
    """Run az at a pseudo-terminal, type the answer to its question, and return (exit code, what it printed).
    Every read waits at most until the deadline: a test never hangs on a process that stopped talking."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen([AZ] + list(args), env=shell.env, stdin=terminal, stdout=terminal, stderr=terminal,
                               close_fds=True)
    os.close(terminal)
    printed, ends = b'', time.monotonic() + deadline
    os.write(controller, answer.encode() + b'\n')
    try:
        while True:
            left = ends - time.monotonic()
            ready, _, _ = select.select([controller], [], [], max(left, 0))
            if not ready:
                process.kill()
                raise AssertionError(f'az printed nothing more for {deadline} s:\n' + printed.decode(errors='replace'))
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal closed: az has exited
                break
            if not chunk:
                break
            printed += chunk
    finally:
        os.close(controller)
    return process.wait(timeout=max(ends - time.monotonic(), 1)), printed.decode(errors='replace')


# ---- rights under an ABAC condition ---------------------------------------------------------------------------

def constrained_to(*role_ids, principal_types=None, deletable=None):
    """The portal's "Constrain roles" condition of Role Based Access Control Administrator, as Azure returns it: the
    roles its holder may assign and, with deletable, the roles whose assignments it may delete (else any)."""
    condition = _constraint('write', 'Request', role_ids, principal_types)
    if deletable is None:
        return condition
    return condition + '\nAND\n' + _constraint('delete', 'Resource', deletable, principal_types)


def _constraint(action, source, role_ids, principal_types):
    types = '' if not principal_types else (
        f'\n AND\n @{source}[Microsoft.Authorization/roleAssignments:PrincipalType] '
        'ForAnyOfAnyValues:StringEqualsIgnoreCase {' + ', '.join(f"'{t}'" for t in principal_types) + '}')
    return (f"(\n (\n  !(ActionMatches{{'Microsoft.Authorization/roleAssignments/{action}'}})\n )\n OR\n (\n"
            f"  @{source}[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {{"
            + ', '.join(role_ids) + '}' + types + "\n )\n)")


# ---- the emulator's state ------------------------------------------------------------------------------------

def account_id(azure, account=ACCOUNT, group=GROUP, subscription=None):
    return (f'/subscriptions/{subscription or azure.subscription_id}/resourceGroups/{group}/providers/'
            f'Microsoft.Storage/storageAccounts/{account}')


def container_scope(azure, container):
    return f'{account_id(azure)}/blobServices/default/containers/{container}'


def held(azure):
    """(role, container or account name) of every role assignment, sorted."""
    return sorted((a['roleName'], a['scope'].rstrip('/').rsplit('/', 1)[-1])
                  for a in azure.snapshot()['roleAssignments'])


def cors_rules(azure):
    return azure.snapshot()['storageAccounts'][0]['corsRules']


def owned_state(azure):
    """What federate could create or change."""
    snapshot = azure.snapshot()
    return {key: snapshot[key] for key in ('applications', 'servicePrincipals', 'roleAssignments', 'storageAccounts')}


def assert_federated_once(azure):
    """Exactly one of everything federate creates for one container."""
    state = azure.snapshot()
    assert len(state['applications']) == 1
    assert len(state['applications'][0]['federatedIdentityCredentials']) == 1
    assert len(state['servicePrincipals']) == 1
    assert sorted(a['roleName'] for a in state['roleAssignments']) == ['Storage Blob Data Contributor',
                                                                       'Storage Blob Delegator']
    assert [r['allowedOrigins'] for r in cors_rules(azure)] == [['https://app.activeloop.ai']]


def output_statuses(output):
    """The statuses of an az deeplake output, in a form easy to compare."""
    return {'application': output['application']['status'], 'cors': output['cors']['status'],
            'roleAssignments': sorted((a['role'], a['scope'].rsplit('/', 1)[-1], a['status'])
                                      for a in output['roleAssignments'])}


# ---- the emulator's request log ------------------------------------------------------------------------------

def writes(azure):
    return [r for r in azure.requests() if r['service'] in ('graph', 'arm') and r['method'] in WRITES]


def token_requests(azure):
    """The resource of each request to Cloud Shell's token endpoint, in order."""
    return [r['body']['resource'] for r in azure.requests() if r['service'] == 'token']


def requests_to(azure, method, path_regex):
    return [r for r in azure.requests() if r['method'] == method and re.search(path_regex, r['path'])]


def statuses(azure, method, path_regex):
    """The status of each matching request, in order ('drop' for a connection closed without an answer)."""
    return [r['status'] for r in requests_to(azure, method, path_regex)]


def statuses_by_path(azure, method, path_regex):
    """The statuses of the matching requests to each path, one list per path, sorted (for concurrent requests)."""
    by_path = {}
    for request in requests_to(azure, method, path_regex):
        by_path.setdefault(request['path'], []).append(request['status'])
    return sorted(by_path.values(), key=lambda answers: (len(answers), str(answers)))


def waited(azure, method, path_regex):
    """Seconds from the first refused matching request (an error status or a drop) to the first accepted one."""
    entries = requests_to(azure, method, path_regex)
    refused = next(r for r in entries if not _accepted(r))
    accepted = next(r for r in entries if _accepted(r))
    return accepted['started'] - refused['started']


def _accepted(entry):
    return entry['status'] != 'drop' and entry['status'] < 300


def gap_after(azure, method, path_regex, status):
    """Seconds between the answer `status` to a request and the next matching request to the same path."""
    entries = requests_to(azure, method, path_regex)
    index = next(i for i, r in enumerate(entries) if r['status'] == status)
    following = next(r for r in entries[index + 1:] if r['path'] == entries[index]['path'])
    return following['started'] - entries[index]['ended']


def seed(azure, **account_settings):
    """Reset the emulator to a resource group with an account (these settings) and a container; log empty."""
    azure.reset()
    azure.add_resource_group(GROUP, 'eastus')
    azure.add_storage_account(GROUP, ACCOUNT, **dict({'hns': True}, **account_settings))
    if account_settings.get('kind') != 'FileStorage':
        azure.add_container(GROUP, ACCOUNT, CONTAINER)
    azure.clear_requests()
