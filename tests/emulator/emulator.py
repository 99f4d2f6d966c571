"""The Emulator object: owns the state, the knobs, the request log and the three listeners
(HTTPS for the Azure hosts, a CONNECT proxy in front of it, plain HTTP for Cloud Shell's token
endpoint and the admin API), and dispatches every request."""
# pylint: disable=too-many-positional-arguments,too-many-instance-attributes,too-many-public-methods
import errno
import os
import shutil
import tempfile
import time

from . import tls
from .admin import AdminService
from .arm import ArmService
from .auth import LoginService, TokenService, mint_token
from .directory import MICROSOFT_GRAPH_APPLICATION_READWRITE_ALL, OTHER_TENANT_ID, OTHER_TENANT_NAME
from .errors import EmulatorError, fault, throttled
from .graph import GraphService
from .knobs import DEFAULT_PAGE_SIZE, SERVICE_HOSTS, Knobs
from .proxy import ConnectProxy
from .requestlog import RequestLog
from .routing import DROP, Response
from .server import HttpListener
from .state import State

CLOUD_SHELL_TOKEN_PORT = 50342
# host -> service, for the public and the US Government cloud (knobs.SERVICE_HOSTS)
HOSTS = {host: service for service, hosts in SERVICE_HOSTS.items() if service != "token" for host in hosts}


def _knob(name):
    return property(lambda self: getattr(self.knobs, name), lambda self, value: setattr(self.knobs, name, value),
                    doc=f"Knob {name} (see knobs.Knobs).")


class Emulator:
    OTHER_TENANT_ID = OTHER_TENANT_ID        # publisher of external applications by default
    OTHER_TENANT_NAME = OTHER_TENANT_NAME
    latency_ms = _knob("latency_ms")
    graph_replication_delay = _knob("graph_replication_delay")
    principal_replication_delay = _knob("principal_replication_delay")
    page_size = _knob("page_size")
    graph_list_lag = _knob("graph_list_lag")
    sp_create_forbidden_while_replicating = _knob("sp_create_forbidden_while_replicating")
    non_owner_access = _knob("non_owner_access")
    blob_put_resets_omitted = _knob("blob_put_resets_omitted")
    permissions_hide_conditions = _knob("permissions_hide_conditions")

    def __init__(self, seed=0, token_port=CLOUD_SHELL_TOKEN_PORT, latency_ms=0, page_size=DEFAULT_PAGE_SIZE,
                 location="eastus"):
        self.state = State(seed=seed, location=location)
        self.knobs = Knobs()
        self._defaults = {"latency_ms": latency_ms, "page_size": page_size}
        self.knobs.apply(self._defaults)
        self.log = RequestLog()
        self._requested_token_port = token_port
        self._services = {"graph": GraphService(self.state, self.knobs), "arm": ArmService(self.state, self.knobs),
                          "login": LoginService(self.state), "token": TokenService(self.state)}
        self._admin = AdminService(self)
        self._listeners = []
        self._tmpdir = None
        self.ca_bundle = None
        self.https_port = self.proxy_port = self.token_port = None

    # ---- lifecycle ----------------------------------------------------------------------------------------
    def start(self):
        if self._listeners:
            return self
        try:
            try:
                http = HttpListener("http", self._requested_token_port, self._dispatch)
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    raise EmulatorError(
                        f"Port {self._requested_token_port} on 127.0.0.1 (the Cloud Shell token endpoint) is already "
                        "in use: another emulator is probably running. Stop it, or pass token_port=0 for a random "
                        "port (az itself only talks to 50342).") from exc
                raise
            self._listeners.append(http)
            self._tmpdir = tempfile.mkdtemp(prefix="azure-emulator-")
            paths = tls.generate(self._tmpdir)
            self.ca_bundle = paths["ca"]
            https = HttpListener("https", 0, self._dispatch, tls.server_context(paths))
            self._listeners.append(https)
            proxy = ConnectProxy(https.port, HOSTS)
            self._listeners.append(proxy)
            self.token_port, self.https_port, self.proxy_port = http.port, https.port, proxy.port
            for listener in self._listeners:
                listener.start()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self):
        listeners, self._listeners = self._listeners, []
        for listener in reversed(listeners):
            if getattr(listener, "_thread", None) is not None:
                listener.stop()
            else:
                listener.server_close()
        if self._tmpdir:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def running(self):
        return bool(self._listeners)

    # ---- dispatch -----------------------------------------------------------------------------------------
    def _dispatch(self, request):
        if request.listener == "http" and request.path.startswith("/_emulator/"):
            return self._admin.handle(request)
        request.service = "token" if request.listener == "http" else HOSTS.get(request.host)
        service = self._services.get(request.service)
        entry = self.log.start(request)
        for hook in self.knobs.hooks_for(request):
            try:
                hook(dict(entry))
            except Exception:  # pylint: disable=broad-except  # a test hook must not break the server
                pass
        if self.knobs.latency_ms:
            time.sleep(self.knobs.latency_ms / 1000.0)
        injected = self.knobs.take_injection(request) if service else None
        if service is None:
            response = Response(404, f"The emulator does not serve host '{request.host}'.", content_type="text/plain")
        elif injected == ("fail", "drop"):
            response = DROP
        elif injected == ("fail", "lost"):  # processed, but the answer never reaches the client
            service.handle(request)
            response = DROP
        elif injected:
            kind, value = injected
            error = fault(value) if kind == "fail" else throttled(service.name, value)
            response = service.error_response(request, error)
        else:
            response = service.handle(request)
        self.log.finish(entry, "drop" if response is DROP else response.status)
        return response

    # ---- client environment -------------------------------------------------------------------------------
    @property
    def proxy_url(self):
        return f"http://127.0.0.1:{self.proxy_port}"

    def env_overrides(self, config_dir):
        """The variables that put a real `az` into an emulated Cloud Shell talking to this emulator.
        MSAL hard-codes http://localhost:50342 for Cloud Shell tokens: az only works with token_port=50342."""
        if not self.running:
            raise EmulatorError("start() the emulator first")
        return {"HTTPS_PROXY": self.proxy_url, "https_proxy": self.proxy_url,
                "NO_PROXY": "localhost,127.0.0.1", "no_proxy": "localhost,127.0.0.1",
                "REQUESTS_CA_BUNDLE": self.ca_bundle, "ACC_CLOUD": "1",
                # Cloud Shell sets it too; az before its MSAL managed identity login (2.50) reads only this.
                "MSI_ENDPOINT": f"http://localhost:{self.token_port}/oauth2/token",
                "AZUREPS_HOST_ENVIRONMENT": "cloud-shell/1.0", "AZURE_CONFIG_DIR": str(config_dir),
                "AZURE_CORE_COLLECT_TELEMETRY": "no", "AZURE_CORE_NO_COLOR": "true",
                "AZURE_CORE_SURVEY_MESSAGE": "no", "AZURE_CORE_OUTPUT": "json",
                "AZURE_CORE_LOGIN_EXPERIENCE_V2": "off", "AZURE_CORE_DISABLE_PROGRESS_BAR": "true"}

    def env(self, config_dir, base=None):
        """A full environment (base, default os.environ, plus env_overrides) for an az subprocess."""
        env = dict(os.environ if base is None else base)
        for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
            env.pop(name, None)
        env.update(self.env_overrides(config_dir))
        return env

    def token(self, resource="https://management.azure.com/"):
        """An access token like the ones the token endpoint hands out."""
        return mint_token(self.state, resource)

    def session(self):
        """A requests.Session that reaches the emulated hosts through the proxy, trusts the CA, and sends a
        bearer token for the host it calls."""
        import requests  # pylint: disable=import-outside-toplevel

        emulator = self

        class _Bearer(requests.auth.AuthBase):  # pylint: disable=too-few-public-methods
            def __call__(self, r):
                host = requests.utils.urlparse(r.url).hostname
                if HOSTS.get(host) in ("graph", "arm") and "Authorization" not in r.headers:
                    r.headers["Authorization"] = "Bearer " + emulator.token(f"https://{host}/")
                return r

        session = requests.Session()
        session.trust_env = False
        session.proxies = {"https": self.proxy_url}
        session.verify = self.ca_bundle
        session.auth = _Bearer()
        return session

    def info(self):
        return {"token_port": self.token_port, "https_port": self.https_port, "proxy_port": self.proxy_port,
                "proxy_url": self.proxy_url if self.running else None, "ca_bundle": self.ca_bundle,
                "tenant_id": self.tenant_id, "subscription_id": self.subscription_id,
                "user": {k: self.user[k] for k in ("id", "userPrincipalName", "displayName")}}

    # ---- knobs --------------------------------------------------------------------------------------------
    def throttle(self, method=None, path_regex=None, host=None, count=1, retry_after=1, every=None):
        """The next `count` matching requests (or, with every=N, every Nth one) get 429 with Retry-After and the
        service's error body."""
        self.knobs.throttle(method, path_regex, host, count, retry_after, every)

    def fail(self, method=None, path_regex=None, host=None, count=1, status=503, every=None):
        """The next `count` matching requests (or, with every=N, every Nth one) get status (500/502/503/504),
        'drop' (connection closed without an answer) or 'lost' (the request is carried out, then the connection is
        closed without an answer)."""
        self.knobs.fail(method, path_regex, host, count, status, every)

    def unfired_injections(self):
        """The throttle and fault rules that still wait for a matching request, or (every=N) never fired."""
        return self.knobs.unfired_injections()

    def discard_injections(self):
        """Drop every throttle and fault rule, fired or not."""
        self.knobs.discard_injections()

    def deny(self, *rights):
        """Deny rights: graph.applications.read/.write, arm.roleAssignments.write, arm.blobServices.write."""
        self.knobs.deny(*rights)

    def allow(self, *rights):
        self.knobs.allow(*rights)

    def deny_role_assignment_reads(self, subscription_id):
        """Every GET of role assignments in this subscription answers 403 AuthorizationFailed (reset() lifts it)."""
        self.knobs.deny_role_assignment_reads(subscription_id)

    def grant_role_assignments_with_condition(self, condition):
        """The signed-in user may write and delete role assignments only where this ABAC condition allows it
        (as when holding Role Based Access Control Administrator with a condition); None lifts it."""
        self.knobs.role_assignment_condition = condition

    def on_request(self, callback, method=None, path_regex=None, host=None):
        """Call callback(entry) when a matching request arrives; returns a function that removes the hook."""
        return self.knobs.on_request(callback, method, path_regex, host)

    def requests(self):
        return self.log.entries()

    def clear_requests(self):
        self.log.clear()

    def reset(self):
        """Empty state (same seeded ids again), knobs back to the constructor's values, log cleared."""
        self.state.reset()
        self.knobs.reset()
        self.knobs.apply(self._defaults)
        self.log.clear()

    # ---- state --------------------------------------------------------------------------------------------
    tenant_id = property(lambda self: self.state.tenant_id)
    subscription_id = property(lambda self: self.state.subscription_id)
    user = property(lambda self: dict(self.state.user))

    def snapshot(self):
        return self.state.snapshot()

    def replicate(self):
        """Azure catches up: objects still hidden by a replication delay become visible now."""
        with self.state.lock:
            self.state.directory.replicate()

    def add_subscription(self, display_name=None):
        """Another subscription of the tenant; returns its id (subscription_id stays the default and first)."""
        return self.state.add_subscription(display_name)

    def add_resource_group(self, name, location=None, tags=None, subscription=None):
        return self.state.add_resource_group(name, location, tags, subscription)

    def add_storage_account(self, rg, name, hns=True, sku="Standard_LRS", kind="StorageV2", cors_rules=None,
                            location=None, properties=None, blob_properties=None, subscription=None):
        return self.state.add_storage_account(rg, name, hns, sku, kind, cors_rules, location, properties,
                                              blob_properties, subscription)

    def blob_service_properties(self, rg, account, subscription=None):
        """The blob service's properties as stored (CORS, retention, versioning, change feed, ...)."""
        return self.state.blob_service_properties(rg, account, subscription)

    def add_container(self, rg, account, name, subscription=None):
        return self.state.add_container(rg, account, name, subscription)

    def add_application(self, display_name, sign_in_audience="AzureADMyOrg", owned=True, owners=None, **fields):
        return self.state.add_application(display_name, sign_in_audience, owned, owners, **fields)

    def add_external_application(self, app_id, display_name, sign_in_audience="AzureADMultipleOrgs",
                                 publisher_tenant_id=None, publisher_name=None, verified_publisher=None):
        """publisher_tenant_id defaults to OTHER_TENANT_ID, publisher_name to OTHER_TENANT_NAME; verified_publisher
        is a dict {displayName, verifiedPublisherId, addedDateTime} (default: all null)."""
        return self.state.add_external_application(app_id, display_name, sign_in_audience, publisher_tenant_id,
                                                   publisher_name, verified_publisher)

    def add_user(self, user_principal_name, display_name):
        return self.state.add_user(user_principal_name, display_name)

    def add_managed_identity(self, display_name, resource_group="identities", subscription=None):
        return self.state.add_managed_identity(display_name, resource_group, subscription)

    def add_owner(self, object_id, owner_id):
        self.state.add_owner(object_id, owner_id)

    def add_password(self, object_id, display_name="secret", end_date_time=None):
        return self.state.add_password(object_id, display_name, end_date_time)

    def add_key(self, object_id, display_name="certificate"):
        return self.state.add_key(object_id, display_name)

    def add_app_role_assignment(self, sp_id, resource_display_name="Microsoft Graph",
                                app_role_id=MICROSOFT_GRAPH_APPLICATION_READWRITE_ALL):
        return self.state.add_app_role_assignment(sp_id, resource_display_name, app_role_id)

    def add_directory_role_member(self, sp_id, role_display_name="Global Reader"):
        return self.state.add_directory_role_member(sp_id, role_display_name)

    def add_federated_credential(self, app_object_id, name, issuer, subject, audiences=None, description=None):
        return self.state.add_federated_credential(app_object_id, name, issuer, subject, audiences, description)

    def add_service_principal(self, app_id):
        return self.state.add_service_principal(app_id)

    def add_role_assignment(self, scope, role, principal_id, principal_type="ServicePrincipal", name=None,
                            description=None):
        return self.state.add_role_assignment(scope, role, principal_id, principal_type, name, description)

    def seed_demo(self):
        return self.state.seed_demo()
