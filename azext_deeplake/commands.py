# --------------------------------------------------------------------------------------------
# The command table: az deeplake federate | show.
# --------------------------------------------------------------------------------------------

from azure.cli.core.commands import CliCommandType

from ._format import table
from ._validators import validate_federation_args


def load_command_table(self, _):
    custom = CliCommandType(operations_tmpl='azext_deeplake.custom#{}')
    with self.command_group('deeplake', custom_command_type=custom, is_preview=True) as g:
        g.custom_command('federate', 'federate', validator=validate_federation_args, table_transformer=table)
        g.custom_show_command('show', 'show', validator=validate_federation_args, table_transformer=table)
