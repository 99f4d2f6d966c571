# --------------------------------------------------------------------------------------------
# Local checks of names and ids, so that a typo fails before any request is sent.
# --------------------------------------------------------------------------------------------

import re

from azure.cli.core.azclierror import InvalidArgumentValueError, MutuallyExclusiveArgumentError

ACCOUNT_NAME = re.compile(r'^[a-z0-9]{3,24}$')
CONTAINER_NAME = re.compile(r'^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$')
CREDENTIAL_NAME = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$')
ACCOUNT_ID = re.compile(
    r'^/subscriptions/(?P<subscription>[^/]+)/resourceGroups/(?P<group>[^/]+)'
    r'/providers/Microsoft\.Storage/storageAccounts/(?P<name>[^/]+)/?$', re.IGNORECASE)
APP_NAME_MAX = 256
ORIGIN = re.compile(r'^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$')
GUID = re.compile(r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')


def parse_account(value):
    """Split --account into (name, subscription, resource group); the last two are None for a bare name."""
    value = (value or '').strip()
    match = ACCOUNT_ID.match(value)
    if match:
        name, subscription, group = match.group('name'), match.group('subscription'), match.group('group')
    elif value.startswith('/'):
        raise InvalidArgumentValueError(
            f"'{value}' is not a storage account resource ID. Expected /subscriptions/<id>/resourceGroups/<group>/"
            "providers/Microsoft.Storage/storageAccounts/<name>, or just the account name.")
    else:
        name, subscription, group = value, None, None
    check_account_name(name)
    return name, subscription, group


def check_account_name(name):
    if not ACCOUNT_NAME.match(name):
        raise InvalidArgumentValueError(
            f"'{name}' is not a valid storage account name: use 3 to 24 lowercase letters and digits.")


def check_container_name(name):
    if not CONTAINER_NAME.match(name):
        raise InvalidArgumentValueError(
            f"'{name}' is not a valid container name: use 3 to 63 lowercase letters, digits and single hyphens, "
            "starting and ending with a letter or digit.")


def check_credential_name(name):
    if not CREDENTIAL_NAME.match(name):
        raise InvalidArgumentValueError(
            f"'{name}' is not a valid federated credential name: use 3 to 120 letters, digits, '-' and '_', "
            "starting with a letter or digit.")


def check_app_name(name):
    if not name.strip() or len(name) > APP_NAME_MAX:
        raise InvalidArgumentValueError(
            f"'{name}' is not a valid application name: use 1 to {APP_NAME_MAX} characters.")


def check_issuer(issuer):
    if not re.match(r'^https://[^\s/]+', issuer):
        raise InvalidArgumentValueError(f"'{issuer}' is not a valid issuer: it must be an https URL.")


def check_origin(origin):
    if not ORIGIN.match(origin):
        raise InvalidArgumentValueError(
            f"'{origin}' is not a valid CORS origin: use scheme and host, like https://app.activeloop.ai (no path).")


def check_app_id(app_id):
    if not GUID.match(app_id):
        raise InvalidArgumentValueError(
            f"'{app_id}' is not an application ID: copy the GUID that Deep Lake's \"Connect Azure Storage\" wizard "
            'shows.')


def check_not_blank(value, option):
    if not value.strip():
        raise InvalidArgumentValueError(f'{option} must not be empty.')


def validate_federation_args(namespace):
    """Namespace validator shared by federate and show: every name is checked before any request."""
    validate_target_args(namespace)
    for owner in namespace.accepted_owners or ():
        check_not_blank(owner, '--accept-owner')
    if namespace.deeplake_app_id:
        given = [option for option, value in (('--credential-name', namespace.credential_name),
                                              ('--issuer', namespace.issuer), ('--subject', namespace.subject),
                                              ('--audience', namespace.audience)) if value is not None]
        if given:
            raise MutuallyExclusiveArgumentError(
                f"--deeplake-app-id uses Deep Lake's own application, which needs no federated credential: drop "
                f"{', '.join(given)}, or drop --deeplake-app-id to use an application registration of your own.")
        return
    if namespace.credential_name is not None:
        check_credential_name(namespace.credential_name)
    if namespace.issuer is not None:
        check_issuer(namespace.issuer)
    if namespace.subject is not None:
        check_not_blank(namespace.subject, '--subject')
    if namespace.audience is not None:
        check_not_blank(namespace.audience, '--audience')


def validate_target_args(namespace):
    """The account, containers and application name every command takes (unfederate's whole validator)."""
    _, _, group = parse_account(namespace.account)
    if group and namespace.resource_group_name and group.lower() != namespace.resource_group_name.lower():
        raise MutuallyExclusiveArgumentError(
            f"--resource-group '{namespace.resource_group_name}' does not match the resource group in the account "
            f"ID ('{group}'). Drop --resource-group or pass the account name.")
    for container in namespace.container or ():
        check_container_name(container)
    for origin in namespace.cors_origins or ():
        check_origin(origin)
    if namespace.app_name is not None:
        check_app_name(namespace.app_name)
    if namespace.deeplake_app_id is not None:
        check_app_id(namespace.deeplake_app_id)
        if namespace.app_name is not None:
            raise MutuallyExclusiveArgumentError(
                "--app-name names an application registration of your own; --deeplake-app-id uses Deep Lake's. "
                'Pass one of them.')
