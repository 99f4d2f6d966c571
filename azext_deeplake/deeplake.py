# --------------------------------------------------------------------------------------------
# Deep Lake's values and the state a federation needs (Activeloop's "Provisioning Federated
# Credentials" and "Enabling CORS in Azure" pages).
# --------------------------------------------------------------------------------------------

import uuid
from dataclasses import dataclass
from typing import Optional, Tuple

# Activeloop's identity pool: Deep Lake signs in to Azure as this Cognito identity.
ISSUER = 'https://cognito-identity.amazonaws.com'
SUBJECT = 'us-east-1:7bc30eb1-bac6-494b-bf53-5747849d45aa'
AUDIENCE = 'us-east-1:57e5de2f-e2ec-4514-b9b0-f3bb8c4283c3'

DEFAULT_CREDENTIAL_NAME = 'deeplake'
CREDENTIAL_DESCRIPTION = 'Credentials for Deep Lake'
APP_NAME_PREFIX = 'deeplake-'
SIGN_IN_AUDIENCE = 'AzureADMyOrg'

# How we recognise an application that this extension created.
APP_TAG = 'az-deeplake'
APP_NOTES = 'Created by az deeplake federate for Deep Lake (Activeloop) access to Azure Storage.'
ASSIGNMENT_DESCRIPTION = 'Deep Lake federation (az deeplake)'
# Our application's alternate key (Graph's uniqueName): derived from its display name, so every run finds it.
UNIQUE_NAME_PREFIX = 'az-deeplake-'
UNIQUE_NAME_GENERATIONS = 10
_UNIQUE_NAME_NAMESPACE = uuid.UUID('0b9a3c5e-7d41-4f3a-9e6c-2f8d1b7a4c90')

APP_ORIGIN = 'https://app.activeloop.ai'
CORS_RULE = {
    'allowedOrigins': [APP_ORIGIN],
    'allowedMethods': ['GET', 'HEAD'],
    'allowedHeaders': ['*'],
    'exposedHeaders': [],
    'maxAgeInSeconds': 0,
}

BLOB_DATA_CONTRIBUTOR = ('Storage Blob Data Contributor', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
BLOB_DELEGATOR = ('Storage Blob Delegator', 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a')
BLOB_DATA_READER = ('Storage Blob Data Reader', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
_ROLE_NAMES = {role_id: name for name, role_id in (BLOB_DATA_CONTRIBUTOR, BLOB_DELEGATOR, BLOB_DATA_READER)}
# --role: what Deep Lake may do with the data.
DATA_ROLES = {'contributor': BLOB_DATA_CONTRIBUTOR, 'reader': BLOB_DATA_READER}
DEFAULT_DATA_ROLE = 'contributor'


@dataclass(frozen=True)
class Trust:
    """The federated identity credential Deep Lake signs in with."""
    issuer: str = ISSUER
    subject: str = SUBJECT
    audience: str = AUDIENCE


@dataclass(frozen=True)
class Grant:
    """One role assignment the service principal needs."""
    role: str
    role_id: str
    scope: str


@dataclass(frozen=True)
class Request:  # pylint: disable=too-many-instance-attributes
    """What the user asked for, validated."""
    account: str
    containers: Tuple[str, ...]
    resource_group: Optional[str]
    app_name: str
    cors: bool = True
    credential_name: str = DEFAULT_CREDENTIAL_NAME
    trust: Trust = Trust()
    data_role: str = DEFAULT_DATA_ROLE
    delete_app: bool = False
    deeplake_app_id: Optional[str] = None  # Deep Lake's multi-tenant application (its wizard flow)
    cors_origins: Tuple[str, ...] = (APP_ORIGIN,)
    accepted_owners: Tuple[str, ...] = ()  # co-owners of the application the caller accepts (UPN or object ID)


def is_activeloop(trust):
    """Whether a trust is Activeloop's published identity (anything else lets another identity in)."""
    return trust == Trust()


def role_name(role_id):
    """A storage role's name, or the id itself for a role we do not know by name."""
    return _ROLE_NAMES.get(role_id.lower(), role_id)


def default_app_name(account_name):
    return APP_NAME_PREFIX + account_name


def unique_names(app_name):
    """The uniqueName keys our application may hold, in the order they are tried. A deleted application keeps its
    key for 30 days, so an application made after a deletion takes the next one."""
    base = UNIQUE_NAME_PREFIX + uuid.uuid5(_UNIQUE_NAME_NAMESPACE, app_name.lower()).hex
    return [base] + [f'{base}-{n}' for n in range(2, UNIQUE_NAME_GENERATIONS + 1)]


def trust_differences(credential, trust):
    """How an existing federated credential differs from the trust Deep Lake needs (empty when it matches)."""
    wanted = (('issuer', credential.get('issuer'), trust.issuer),
              ('subject', credential.get('subject'), trust.subject),
              ('audiences', credential.get('audiences'), [trust.audience]))
    return [f'{what} is {have!r}, Deep Lake needs {need!r}' for what, have, need in wanted if have != need]


def container_scope(account_id, container):
    return f'{account_id}/blobServices/default/containers/{container}'


def grants_for(account_id, containers=(), data_role=DEFAULT_DATA_ROLE):
    """Step 2a (whole account) or step 2b (containers) of Activeloop's guide, with the data role asked for.

    Deep Lake signs browser URLs with a user delegation key, which can only be authorized at account
    scope, hence the Delegator role on the account (once) when access is limited to containers.
    """
    role = DATA_ROLES[data_role]
    if not containers:
        return [Grant(*role, scope=account_id)]
    return [Grant(*role, scope=container_scope(account_id, c)) for c in containers] + \
        [Grant(*BLOB_DELEGATOR, scope=account_id)]


def is_data_role(role_id):
    return role_id.lower() in {r[1] for r in DATA_ROLES.values()}


def dataset_paths(account_name, containers=()):
    return [f'az://{account_name}/{c}' for c in containers] or [f'az://{account_name}/<container>']
