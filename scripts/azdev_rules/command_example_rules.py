# --------------------------------------------------------------------------------------------
# Extra azdev linter rule for this repo, loaded by scripts/run_azdev.py.
#
# azdev's own `missing_command_example` rule only looks at commands added in a git diff (and lets
# show/list/delete commands have no example at all); this rule checks every command in the
# command table: each needs at least one example, and each example must run that very command.
# It is reported and excluded (linter_exclusions.yml) like any azdev rule.
# --------------------------------------------------------------------------------------------

from azdev.operations.linter.linter import RuleError, LinterSeverity
from azdev.operations.linter.rule_decorators import CommandRule


@CommandRule(LinterSeverity.HIGH)
def command_without_example(linter, command_name):
    help_entry = linter.get_loaded_help_entry(command_name)
    examples = list(getattr(help_entry, 'examples', None) or [])
    if not examples:
        raise RuleError(f'No example. Add at least one example that runs `az {command_name}`.')
    wrong = [str(i) for i, example in enumerate(examples)
             if f'az {command_name}' not in (getattr(example, 'command', '') or '')]
    if wrong:
        raise RuleError(f"Examples {' | '.join(wrong)} do not run `az {command_name}`.")
