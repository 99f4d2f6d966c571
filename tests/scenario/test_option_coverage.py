"""Every option of every az deeplake command is used by a recorded scenario: azdev's missing_parameter_test_coverage
rule, offline and for all options rather than those a git diff adds. Like azdev, it reads the options from the
command table az loads and the uses from the CommandName and ParameterSetName headers az sends with every request
(so a scenario counts once it is recorded), and honours that rule's exclusions in linter_exclusions.yml."""
import glob
import os

import yaml

from tests.conftest import ROOT

RECORDINGS = os.path.join(os.path.dirname(__file__), 'recordings')
RULE = 'missing_parameter_test_coverage'
SUPPRESSED = '==SUPPRESS=='  # argparse.SUPPRESS: an argument az hides, such as the command's cmd


def command_options():
    """{command: {argument dest: its option strings}} of every az deeplake command, leaving out az's own arguments:
    its global ones (--subscription, the policy token options; knack adds --output, --query, --debug, --verbose,
    --only-show-errors and --help outside the command's arguments) and the --yes of a command with confirmation."""
    from azure.cli.core.mock import DummyCli
    cli = DummyCli()
    cli.invocation = cli.invocation_cls(cli_ctx=cli, commands_loader_cls=cli.commands_loader_cls,
                                        parser_cls=cli.parser_cls, help_cls=cli.help_cls)
    loader = cli.invocation.commands_loader
    table = loader.load_command_table(['deeplake'])
    options = {}
    for name in sorted(n for n in table if n.startswith('deeplake ')):
        cli.invocation.data['command_string'] = name
        loader.load_arguments(name)
        options[name] = {dest: list(argument.type.settings['options_list'])
                         for dest, argument in table[name].arguments.items()
                         if not _az_own(table[name], dest, argument.type.settings)}
    return options


def _az_own(command, dest, settings):
    return (settings.get('help') == SUPPRESSED or (settings.get('arg_group') or '').startswith('Global')
            or (dest == 'yes' and command.confirmation))


def recorded_uses():
    """{command: every option string it was recorded with}, over all recordings."""
    loader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)
    uses = {}
    for path in glob.glob(os.path.join(RECORDINGS, '*.yaml')):
        with open(path, encoding='utf-8') as f:
            interactions = yaml.load(f, Loader=loader)['interactions']
        for interaction in interactions:
            headers = interaction['request']['headers']
            command = (headers.get('CommandName') or [''])[0]
            uses.setdefault(command, set()).update((headers.get('ParameterSetName') or [''])[0].split())
    return uses


def excluded():
    """(command, argument dest) pairs that linter_exclusions.yml exempts from the rule."""
    with open(os.path.join(ROOT, 'linter_exclusions.yml'), encoding='utf-8') as f:
        exclusions = yaml.safe_load(f) or {}
    return {(command, dest) for command, entry in exclusions.items()
            for dest, parameter in ((entry or {}).get('parameters') or {}).items()
            if RULE in ((parameter or {}).get('rule_exclusions') or [])}


def test_every_option_is_used_by_a_recorded_scenario():
    options, uses, exempt = command_options(), recorded_uses(), excluded()
    assert set(options) == {'deeplake federate', 'deeplake show', 'deeplake unfederate'}
    unused = [f"az {command} {' / '.join(names)}" for command, arguments in options.items()
              for dest, names in arguments.items()
              if (command, dest) not in exempt and not uses.get(command, set()) & set(names)]
    assert not unused, (
        'No recorded scenario uses these options: ' + ', '.join(unused) + '. Use each in a scenario that checks '
        'its effect (tests/scenario/test_*.py), record it with ./dev.sh record -k <test name>, or exclude it with '
        f'a reason under the {RULE} rule in linter_exclusions.yml.')
