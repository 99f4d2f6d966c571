# --------------------------------------------------------------------------------------------
# One login per command: a single az credential serves every ARM client and the Graph token.
#
# In Cloud Shell each new az credential costs two round trips (the authority's OpenID
# configuration, then the local token endpoint), and az's Graph client would pay them before
# every call. Sharing one credential and caching each token pays them once per command.
# --------------------------------------------------------------------------------------------

import base64
import json
import threading

from .retry import fault_delay, through_transient_faults

ARM = 'Azure Resource Manager'


class Session:
    """The signed-in context of one command: tenant, subscription, clients that share one login, and the
    command's deadline (--timeout) for waiting out Azure."""

    def __init__(self, cli_ctx, subscription_id=None, deadline=None):
        from azure.cli.core._profile import Profile
        from .retry import Deadline
        self.cli_ctx = cli_ctx
        credential, self.subscription_id, self.tenant_id = Profile(cli_ctx=cli_ctx).get_login_credentials(
            subscription_id=subscription_id or cli_ctx.data.get('subscription_id'))
        self.credential = _TokenCache(credential)
        self.deadline = deadline or Deadline()
        self._clients = {}
        self._lock = threading.Lock()

    def arm(self, call):
        """Run an ARM SDK call, waiting out throttling (429, Retry-After), 5xx and dropped connections until the
        deadline. The SDK clients' own retries are off (retry_total=0): they give up after three."""
        return through_transient_faults(call, _arm_wait, self.deadline, ARM)

    @property
    def storage(self):
        from azure.cli.core.profiles import ResourceType
        return self._client(ResourceType.MGMT_STORAGE)

    @property
    def authorization(self):
        from azure.cli.core.profiles import ResourceType
        return self._client(ResourceType.MGMT_AUTHORIZATION)

    @property
    def subscription_client(self):
        from azure.cli.core.profiles import ResourceType
        return self._client(ResourceType.MGMT_RESOURCE_SUBSCRIPTIONS, subscription_bound=False)

    def subscriptions(self):
        """Every subscription the caller can list in this tenant (plain dicts: id, displayName)."""
        client = self.subscription_client
        return self.arm(lambda: [{'id': s.subscription_id, 'displayName': s.display_name}
                                 for s in client.subscriptions.list()])

    def caller_object_id(self):
        """The signed-in user's or service principal's object ID, from the ARM token (az reads it the same way,
        without checking the signature)."""
        token = self.credential.get_token(*self._scopes(self.cli_ctx.cloud.endpoints.active_directory_resource_id))
        return _claims(token.token).get('oid')

    @property
    def graph_endpoint(self):
        return self.cli_ctx.cloud.endpoints.microsoft_graph_resource_id.rstrip('/')

    @property
    def authority(self):
        """The current cloud's sign-in authority (https://login.microsoftonline.com, ...us, ...)."""
        return self.cli_ctx.cloud.endpoints.active_directory.rstrip('/')

    def graph_token(self):
        return self.credential.get_token(*self._scopes(self.cli_ctx.cloud.endpoints.microsoft_graph_resource_id)).token

    def warm_up(self, pool):
        """Fetch the ARM and Graph tokens in the background (in Cloud Shell each is a round trip) while the ARM
        clients are built here. The SDK imports stay on this thread: importing azure.core from two threads at
        once can fail."""
        pool.submit(self.credential.get_token, *self._scopes(self.cli_ctx.cloud.endpoints.active_directory_resource_id))
        pool.submit(self.graph_token)
        return self.storage, self.authorization, self.subscription_client

    @staticmethod
    def _scopes(resource):
        from azure.cli.core.auth.util import resource_to_scopes
        return tuple(resource_to_scopes(resource))

    def _client(self, resource_type, **kwargs):
        with self._lock:
            if resource_type not in self._clients:
                from azure.cli.core.commands.client_factory import get_mgmt_service_client
                self._clients[resource_type] = get_mgmt_service_client(
                    self.cli_ctx, resource_type, subscription_id=self.subscription_id, credential=self.credential,
                    retry_total=0, **kwargs)
            return self._clients[resource_type]


def _arm_wait(ex, attempt):
    """Seconds to wait before repeating an ARM call that failed with ex, or None to give up."""
    from azure.core.exceptions import HttpResponseError, ServiceRequestError, ServiceResponseError
    if isinstance(ex, (ServiceRequestError, ServiceResponseError)):
        return fault_delay(None, None, attempt)
    if isinstance(ex, HttpResponseError) and ex.response is not None:
        return fault_delay(ex.status_code, ex.response.headers.get('Retry-After'), attempt)
    return None


def _claims(token):
    """The claims of a JWT, unverified; {} for anything else (recorded tests use a placeholder token)."""
    try:
        payload = token.split('.')[1]
        return json.loads(base64.urlsafe_b64decode(payload + '=' * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {}


class _TokenCache:  # pylint: disable=too-few-public-methods
    """Wraps az's credential so that each scope's token is fetched once per command, even across threads.

    Each scope has its own lock, so the ARM and Graph tokens can be fetched at the same time.
    """

    EXPIRY_MARGIN = 300

    def __init__(self, credential):
        self._credential = credential
        self._tokens = {}
        self._locks = {}
        self._guard = threading.Lock()

    def get_token(self, *scopes, **kwargs):
        import time
        if kwargs.get('claims'):  # a claims challenge needs a fresh token
            return self._credential.get_token(*scopes, **kwargs)
        with self._guard:
            lock = self._locks.setdefault(scopes, threading.Lock())
        with lock:
            token = self._tokens.get(scopes)
            if token is None or token.expires_on - self.EXPIRY_MARGIN < time.time():
                token = self._tokens[scopes] = self._credential.get_token(*scopes, **kwargs)
            return token
