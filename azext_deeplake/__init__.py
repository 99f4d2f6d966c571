# --------------------------------------------------------------------------------------------
# The az deeplake extension: command loader.
# --------------------------------------------------------------------------------------------

from azure.cli.core import AzCommandsLoader

from azext_deeplake._help import helps  # pylint: disable=unused-import


class DeepLakeCommandsLoader(AzCommandsLoader):

    def __init__(self, cli_ctx=None):
        from azure.cli.core.commands import CliCommandType
        custom = CliCommandType(operations_tmpl='azext_deeplake.custom#{}')
        super().__init__(cli_ctx=cli_ctx, custom_command_type=custom)

    def load_command_table(self, args):
        from azext_deeplake.commands import load_command_table
        load_command_table(self, args)
        return self.command_table

    def load_arguments(self, command):
        from azext_deeplake._params import load_arguments
        load_arguments(self, command)


COMMAND_LOADER_CLS = DeepLakeCommandsLoader
