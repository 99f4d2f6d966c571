"""The demo: az deeplake federate against the bundled Azure emulator, in an emulated Cloud Shell session.

    ./dev.sh demo

Builds the wheel, installs it into a throwaway az, signs in the way Cloud Shell does, federates a storage account's
container, and shows the result; then prints what the emulator holds. Nothing leaves this machine.
"""
import json
import sys
import tempfile

from tests.cloudshell import CloudShell, build_wheel
from tests.emulator import Emulator

ACCOUNT, CONTAINER = 'deeplakedemo01', 'datasets'


def run(shell, *args):
    print('$ az ' + ' '.join(args), flush=True)
    result = shell.az(*args)
    sys.stdout.write(result.stdout)
    sys.stdout.write(result.stderr)
    print(flush=True)
    if result.returncode != 0:
        raise SystemExit(f'az {" ".join(args)} failed with exit code {result.returncode}')
    return result


def main():
    with tempfile.TemporaryDirectory() as work, Emulator(seed=42) as emulator:
        emulator.seed_demo()
        shell = CloudShell(emulator, work)
        wheel = build_wheel(work)
        print(f'Emulated Azure on 127.0.0.1 (tenant {emulator.tenant_id}, subscription {emulator.subscription_id}); '
              f'storage account {ACCOUNT} with container {CONTAINER}.\n')
        run(shell, 'extension', 'add', '--source', wheel, '--yes')
        shell.login()
        print('$ az login --identity   (signed in the way Cloud Shell does)\n')
        run(shell, 'deeplake', 'federate', '--account', ACCOUNT, '--container', CONTAINER)
        run(shell, 'deeplake', 'show', '--account', ACCOUNT, '--container', CONTAINER, '-o', 'table')
        state = emulator.snapshot()
        summary = {
            'applications': [(a['displayName'], [f['subject'] for f in a['federatedIdentityCredentials']])
                             for a in state['applications']],
            'servicePrincipals': len(state['servicePrincipals']),
            'roleAssignments': [(r['roleName'], r['scope'].split('/providers/Microsoft.Storage/')[-1])
                                for r in state['roleAssignments']],
            'corsRules': [r['allowedOrigins'] for a in state['storageAccounts'] for r in a['corsRules']],
        }
        print('What the emulated tenant and subscription now hold:')
        print(json.dumps(summary, indent=2))


if __name__ == '__main__':
    main()
