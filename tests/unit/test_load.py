"""Loading the extension (what az does for every command line that may involve it) imports nothing heavy."""
import subprocess
import sys

HEAVY = ('requests', 'azure.mgmt', 'azure.core', 'msal', 'concurrent.futures', 'azext_deeplake.plan',
         'azext_deeplake.graph', 'azext_deeplake.storage', 'azext_deeplake.session')

LOAD = '''
import sys
import types
from azure.cli.core.mock import DummyCli
cli = DummyCli()
before = set(sys.modules)
from azext_deeplake import COMMAND_LOADER_CLS
loader = COMMAND_LOADER_CLS(cli_ctx=cli)
table = loader.load_command_table(None)
for name in table:
    cli.invocation = types.SimpleNamespace(data={'command_string': name})
    loader.command_name = name
    loader.load_arguments(name)
print(','.join(sorted(table)))
print(' '.join(sorted(set(sys.modules) - before)))
'''


def test_loading_the_command_table_and_arguments_imports_nothing_heavy():
    done = subprocess.run([sys.executable, '-c', LOAD], capture_output=True, text=True, check=True)
    commands, imported = done.stdout.splitlines()
    assert commands.split(',') == ['deeplake federate', 'deeplake show', 'deeplake unfederate']
    heavy = [m for m in imported.split() if m.startswith(HEAVY)]
    assert not heavy, heavy
