# --------------------------------------------------------------------------------------------
# Arguments of az deeplake federate, show and unfederate.
# --------------------------------------------------------------------------------------------

from azure.cli.core.commands.parameters import get_enum_type, resource_group_name_type

from .deeplake import APP_ORIGIN, AUDIENCE, DATA_ROLES, DEFAULT_CREDENTIAL_NAME, DEFAULT_DATA_ROLE, ISSUER, SUBJECT
from .retry import DEFAULT_TIMEOUT


def load_arguments(self, _):
    with self.argument_context('deeplake') as c:
        c.argument('account', options_list=['--account', '-a'],
                   help='Name or resource ID of the storage account that holds the Deep Lake datasets.')
        c.argument('container', options_list=['--container', '-c'], nargs='+',
                   help='Limit Deep Lake to these blob containers (space-separated). Default: the whole storage '
                        'account.')
        c.argument('resource_group_name', resource_group_name_type, required=False,
                   help="Resource group of the storage account. Default: found by the account's name.")
        c.argument('app_name', help="Display name of the Microsoft Entra application Deep Lake signs in as. "
                                    "Default: `deeplake-<account>`.")
        c.argument('skip_cors', action='store_true',
                   help="Leave the blob service's CORS rules alone (the Deep Lake web app then cannot preview "
                        "the data).")
        c.argument('dry_run', action='store_true',
                   help='Show what exists and what would change, without changing anything.')
        c.argument('deeplake_app_id', arg_group='Deep Lake identity',
                   help="The application ID that Deep Lake's \"Connect Azure Storage\" wizard shows: use Deep "
                        "Lake's own multi-tenant application (its service principal in your tenant) instead of an "
                        'application registration with a federated credential.')
        c.argument('cors_origins', options_list=['--cors-origin'], nargs='+',
                   help=f'Origins of the Deep Lake web app to allow (space-separated). Default: {APP_ORIGIN}.')

    for command in ('deeplake federate', 'deeplake show'):
        with self.argument_context(command) as c:
            c.argument('credential_name',
                       help=f'Name of the federated credential on the application. Default: {DEFAULT_CREDENTIAL_NAME}.')
            c.argument('role', arg_type=get_enum_type(list(DATA_ROLES), default=DEFAULT_DATA_ROLE),
                       help='What Deep Lake may do with the data: contributor (read and write, Storage Blob Data '
                            'Contributor) or reader (read only, Storage Blob Data Reader).')
            for name, default, what in (('issuer', ISSUER, 'issuer'), ('subject', SUBJECT, 'subject identifier'),
                                        ('audience', AUDIENCE, 'audience')):
                c.argument(name, arg_group='Deep Lake identity',
                           help=f"Deep Lake's federated {what}. Change it only if Activeloop publishes a new value. "
                                f"Default: {default}.")

            c.argument('accepted_owners', options_list=['--accept-owner'], nargs='+', arg_group='Deep Lake identity',
                       help='Co-owners of an existing application to accept (user principal names or object IDs, '
                            'space-separated). Owners can add secrets, so by default an application with an owner '
                            'other than you is refused; secrets, certificates and other federated credentials are '
                            'never accepted.')

    with self.argument_context('deeplake federate') as c:
        c.argument('timeout', type=int, default=DEFAULT_TIMEOUT,
                   help='Seconds to wait, in all, for new objects to replicate in Microsoft Entra ID and '
                        'Azure RBAC before giving up.')

    with self.argument_context('deeplake unfederate') as c:
        c.argument('container', options_list=['--container', '-c'], nargs='+',
                   help="Remove only these containers' access (space-separated). Default: everything az deeplake "
                        'granted on the account.')
        c.argument('cors_origins', options_list=['--cors-origin'], nargs='+',
                   help='Origins whose CORS rule, as federate added it, to remove (space-separated). Default: '
                        f'{APP_ORIGIN}.')
        c.argument('delete_app', action='store_true',
                   help='Also delete the application (with its federated credential and service principal), if '
                        'az deeplake created it and its principal holds no az deeplake role assignment in any '
                        'subscription you can read. Restorable for 30 days.')
