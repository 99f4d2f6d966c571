# --------------------------------------------------------------------------------------------
# Deep Lake's values and the state a federation needs (Activeloop's "Provisioning Federated
# Credentials" and "Enabling CORS in Azure" pages).
# --------------------------------------------------------------------------------------------

from dataclasses import dataclass
from typing import Optional

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
class Request:
    """What the user asked for, validated."""
    account: str
    container: Optional[str]
    resource_group: Optional[str]
    app_name: str
    credential_name: str
    trust: Trust
    cors: bool


def default_app_name(account_name):
    return APP_NAME_PREFIX + account_name


def container_scope(account_id, container):
    return f'{account_id}/blobServices/default/containers/{container}'


def grants_for(account_id, container=None):
    """Step 2a (whole account) or step 2b (one container) of Activeloop's guide.

    Deep Lake signs browser URLs with a user delegation key, which can only be authorized at account
    scope, hence the Delegator role on the account when access is limited to one container.
    """
    if not container:
        return [Grant(*BLOB_DATA_CONTRIBUTOR, scope=account_id)]
    return [Grant(*BLOB_DATA_CONTRIBUTOR, scope=container_scope(account_id, container)),
            Grant(*BLOB_DELEGATOR, scope=account_id)]


def dataset_path(account_name, container=None):
    return f"az://{account_name}/{container or '<container>'}"
