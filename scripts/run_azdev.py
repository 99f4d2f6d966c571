#!/usr/bin/env python
# --------------------------------------------------------------------------------------------
# Run `azdev linter` / `azdev style` on this repo without an `azdev setup`, without network access,
# and strictly. Called by scripts/lint.sh, which sets up the environment:
#   VIRTUAL_ENV, AZDEV_CONFIG_DIR, AZDEV_CLI_REPO_PATH (an empty temp dir), AZDEV_EXT_REPO_PATHS (this
#   repo), AZURE_CONFIG_DIR, AZURE_EXTENSION_DIR, AZURE_EXTENSION_DEV_SOURCES (this repo).
#
#   python scripts/run_azdev.py linter azext_deeplake [azdev linter options...]
#   python scripts/run_azdev.py style azext_deeplake
#
# On top of running azdev's own command unchanged, this wrapper
#   * gives azdev the one azure-cli file it reads at import time (scripts/ci/cmdcov.yml, else downloaded);
#   * adds the rule in scripts/azdev_rules/ (every command has an example);
#   * leaves out the broken_site_link_* rules, which fetch every URL in the help (set LINT_CHECK_LINKS=1
#     where there is network to run them);
#   * fails on findings of every severity (azdev itself fails only on high-severity ones);
#   * checks the linter really saw the deeplake commands, and that pylint and flake8 really checked files (flake8:
#     every Python file of the repo, tests/ and scripts/ included, as `azdev style` does);
#   * checks linter_exclusions.yml: known rule names, deeplake commands, a justification comment per entry.
# --------------------------------------------------------------------------------------------

import os
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXTRA_RULES_DIR = os.path.join(REPO, 'scripts', 'azdev_rules')
EXCLUSIONS_FILE = os.path.join(REPO, 'linter_exclusions.yml')
COMMAND_PREFIX = 'deeplake'
PACKAGE = 'azext_deeplake'
NETWORK_RULES = {'broken_site_link_from_command', 'broken_site_link_from_command_group',
                 'broken_site_link_from_parameter'}

# azdev.operations.regex loads these patterns when azdev starts (before any command runs), from
# <azure-cli repo>/scripts/ci/cmdcov.yml or else from GitHub. They are only used by the git-diff based
# command_test_coverage rules, which lint.sh does not run; patterns that match nothing keep azdev offline.
CMDCOV_STUB = """\
# Written by scripts/run_azdev.py: patterns for azdev's diff-based test-coverage rules (not run here).
CMD_PATTERN: ['(?!x)x', '(?!x)x', '(?!x)x', '(?!x)x']
QUO_PATTERN: '(?!x)x'
END_PATTERN: '(?!x)x'
DOCS_END_PATTERN: '(?!x)x'
NOT_END_PATTERN: '(?!x)x'
NUMBER_SIGN_PATTERN: '(?!x)x'
"""


def fail(message):
    print(f'\nERROR: {message}', file=sys.stderr)
    sys.exit(3)


def write_cmdcov_stub():
    cli_repo = os.environ.get('AZDEV_CLI_REPO_PATH')
    if not cli_repo or not os.path.isdir(cli_repo):
        fail('AZDEV_CLI_REPO_PATH must name an existing directory (scripts/lint.sh sets it up).')
    path = os.path.join(cli_repo, 'scripts', 'ci', 'cmdcov.yml')
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w', encoding='utf-8') as f:
            f.write(CMDCOV_STUB)


def known_rule_names():
    import importlib
    import inspect
    import pkgutil
    import azdev.operations.linter.rules as rules_pkg
    names = set()
    for _, module_name, _ in pkgutil.iter_modules(rules_pkg.__path__):
        module = importlib.import_module(f'{rules_pkg.__name__}.{module_name}')
        names.update(name for name, func in inspect.getmembers(module, inspect.isfunction)
                     if hasattr(func, 'linter_rule'))
    return names


def check_exclusions_file(rule_names):
    """Every exclusion must name a real rule and a deeplake command and carry a justification comment."""
    import yaml
    if not os.path.exists(EXCLUSIONS_FILE):
        return
    with open(EXCLUSIONS_FILE, encoding='utf-8') as f:
        text = f.read()
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as ex:
        fail(f'linter_exclusions.yml is not valid YAML: {ex}')
    problems = []
    if not isinstance(data, dict):
        fail('linter_exclusions.yml must be a mapping of command name -> exclusions.')
    for command, entry in data.items():
        if command != COMMAND_PREFIX and not str(command).startswith(COMMAND_PREFIX + ' '):
            problems.append(f'{command!r} is not a {COMMAND_PREFIX} command or group')
        entry = entry or {}
        rules = list(entry.get('rule_exclusions') or [])
        for param in (entry.get('parameters') or {}).values():
            rules += list((param or {}).get('rule_exclusions') or [])
        problems += [f'{command}: unknown rule {rule!r}' for rule in rules if rule not in rule_names]
    lines = text.splitlines()
    for number, line in enumerate(lines, 1):
        if re.match(r'\s*-\s*\w', line):
            previous = lines[number - 2].strip() if number > 1 else ''
            if '#' not in line and not previous.startswith('#'):
                problems.append(f'line {number}: `{line.strip()}` has no justification comment '
                                '(same line or line above)')
    if problems:
        fail('linter_exclusions.yml:\n  ' + '\n  '.join(problems))
    count = sum(1 for line in lines if re.match(r'\s*-\s*\w', line))
    print(f'linter_exclusions.yml: {count} justified exclusion(s).')


def patch_linter(state):
    import azdev.operations.linter as linter_pkg
    import azdev.operations.linter.rules as rules_pkg
    from azdev.operations.linter.linter import LinterManager

    if EXTRA_RULES_DIR not in rules_pkg.__path__:
        rules_pkg.__path__.append(EXTRA_RULES_DIR)
    check_links = os.environ.get('LINT_CHECK_LINKS') == '1'

    original_filter = linter_pkg.filter_modules

    def filter_modules(*args, **kwargs):
        command_loader, help_entries = original_filter(*args, **kwargs)
        state['commands'] = sorted(command_loader.command_table)
        state['groups'] = sorted(command_loader.command_group_table)
        return command_loader, help_entries

    linter_pkg.filter_modules = filter_modules

    original_add_rule = LinterManager.add_rule

    def add_rule(self, rule_type, rule_name, rule_callable, rule_severity):
        if rule_name in NETWORK_RULES and not check_links:
            state['skipped'].add(rule_name)
            return
        original_add_rule(self, rule_type, rule_name, rule_callable, rule_severity)

    LinterManager.add_rule = add_rule

    original_applicable = LinterManager._linter_severity_is_applicable  # pylint: disable=protected-access

    def applicable(self, rule_severity, rule_name):
        result = original_applicable(self, rule_severity, rule_name)
        if result:
            state['rules_run'].add(rule_name)
        return result

    LinterManager._linter_severity_is_applicable = applicable  # pylint: disable=protected-access

    original_run = LinterManager.run

    def run(self, *args, **kwargs):
        exit_code = original_run(self, *args, **kwargs)
        violations = self._violiations  # pylint: disable=protected-access
        state['violations'] = sum(len(rules.get('rule_exclusions', [])) +
                                  sum(len(p.get('rule_exclusions', [])) for p in rules.get('parameters', {}).values())
                                  for rules in violations.values())
        if violations and not exit_code:
            print('\nFindings of medium/low severity count as failures here.')
        return 1 if violations else exit_code

    LinterManager.run = run


def patch_style(state):
    import azdev.operations.style as style_mod
    original_py_cmd = style_mod.py_cmd

    def py_cmd(command, message=False, **kwargs):
        tool = command.split()[0]
        if tool == 'flake8':
            command += ' --benchmark'   # prints "N total files processed": proof that files were checked
        result = original_py_cmd(command, message=message, **kwargs)
        output = result.result if result.error is None else result.error.output.decode('utf-8', 'replace')
        output = output or ''
        if result.error is None and output.strip():
            print(output.strip() + '\n')   # azdev only shows output on failure
        if tool == 'pylint':
            state['pylint_runs'].append('rated at' in output)
        elif tool == 'flake8':
            match = re.search(r'^(\d+)\s+total files processed', output, re.MULTILINE)
            state['flake8_files'].append(int(match.group(1)) if match else 0)
        return result

    style_mod.py_cmd = py_cmd


def verify_linter(state, exit_code):
    commands, groups = state.get('commands'), state.get('groups')
    if commands is None:
        fail('azdev linter never loaded the command table: the linter did not run.')
    print(f"\nLinter checked {len(commands)} command(s): {', '.join(commands) or '-'}; "
          f"group(s): {', '.join(groups) or '-'}")
    if not commands:
        fail(f'azdev linter saw no `{COMMAND_PREFIX}` commands: is the extension loading? '
             f'(try `az {COMMAND_PREFIX} -h` with AZURE_EXTENSION_DEV_SOURCES={REPO})')
    strangers = [c for c in commands if not c.startswith(COMMAND_PREFIX + ' ')]
    if strangers:
        fail(f"azdev linter checked commands that are not ours: {', '.join(strangers)}")
    if not state['rules_run']:
        fail('azdev linter ran no rules.')
    print(f"Rules run: {len(state['rules_run'])}")
    if state['skipped']:
        print(f"Rules skipped (they need network; LINT_CHECK_LINKS=1 runs them): "
              f"{', '.join(sorted(state['skipped']))}")
    if not state['pylint_runs'] or not all(state['pylint_runs']):
        fail(f"azdev linter's custom pylint checkers did not run on {PACKAGE}.")
    return exit_code


def python_files_of_the_repo():
    """Every Python file git tracks or would track here (tests/ and scripts/ included), else those shipped."""
    import subprocess
    try:
        listed = subprocess.run(['git', 'ls-files', '--cached', '--others', '--exclude-standard', '*.py'], cwd=REPO,
                                capture_output=True, text=True, check=True).stdout.split()
        return len(set(listed)), 'in the repo'
    except (OSError, subprocess.CalledProcessError):
        return sum(1 for name in os.listdir(os.path.join(REPO, PACKAGE)) if name.endswith('.py')), f'in {PACKAGE}/'


def verify_style(state, exit_code):
    if not state['pylint_runs'] or not all(state['pylint_runs']):
        fail(f'pylint did not check {PACKAGE} (no rating in its output).')
    expected, where = python_files_of_the_repo()
    files = state['flake8_files']
    if not files or min(files) < expected:
        fail(f'flake8 checked {files} file(s), fewer than the {expected} {where}: check the excludes in .flake8.')
    print(f'pylint ran on {PACKAGE}/; flake8 checked {files[0]} file(s).')
    return exit_code


def main(argv):
    if not argv or argv[0] not in ('linter', 'style'):
        fail('usage: run_azdev.py linter|style MODULE [azdev options...]')
    write_cmdcov_stub()
    state = {'skipped': set(), 'rules_run': set(), 'pylint_runs': [], 'flake8_files': []}
    patch_style(state)
    if argv[0] == 'linter':
        patch_linter(state)
        check_exclusions_file(known_rule_names())

    from azdev.__main__ import main as azdev_main
    sys.argv = ['azdev'] + list(argv)
    try:
        azdev_main()
        exit_code = 0
    except SystemExit as ex:
        exit_code = ex.code if isinstance(ex.code, int) else (0 if ex.code is None else 1)
    verify = verify_linter if argv[0] == 'linter' else verify_style
    return verify(state, exit_code)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
