# --------------------------------------------------------------------------------------------
# The command table: az deeplake federate | show | unfederate.
# --------------------------------------------------------------------------------------------

from azure.cli.core.commands import CliCommandType

from ._format import table
from ._validators import validate_federation_args, validate_target_args


def load_command_table(self, _):
    custom = CliCommandType(operations_tmpl='azext_deeplake.custom#{}')
    with self.command_group('deeplake', custom_command_type=custom, is_preview=True) as g:
        g.custom_command('federate', 'federate', validator=validate_federation_args, table_transformer=table,
                         confirmation=_confirm(self.cli_ctx, 'confirm_trust'))
        g.custom_show_command('show', 'show', validator=validate_federation_args, table_transformer=table)
        g.custom_command('unfederate', 'unfederate', validator=validate_target_args, table_transformer=table,
                         confirmation=_confirm(self.cli_ctx, 'confirm_removals'))


def _confirm(cli_ctx, name):
    """A confirmation hook of custom.py, imported when asked, so that loading the command table stays free of the
    extension's other modules."""
    def confirm(args):
        from . import custom
        return getattr(custom, name)(cli_ctx, args)
    return confirm
