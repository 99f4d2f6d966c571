"""Identity: login.microsoftonline.com's (and .us's) discovery documents (what MSAL fetches before it asks for a
token) and Cloud Shell's local token endpoint, POST http://localhost:50342/oauth2/token, which answers
unsigned-looking JWTs for the signed-in user."""
import json
import time

from .errors import ApiError
from .routing import Router, json_response
from .util import b64url

# Error builders and handlers share one signature; not all of them need the request.
# pylint: disable=unused-argument

AZURE_CLI_CLIENT_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
TOKEN_LIFETIME = 3599
ALIASES = ["login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net"]
# What differs per cloud in the login documents, by the login host asked. The US Government values are best
# guesses (aliases from MSAL's well-known hosts), not verified against live Azure.
CLOUDS = {
    "login.microsoftonline.com": {"cloud_instance_name": "microsoftonline.com", "msgraph_host": "graph.microsoft.com",
                                  "rbac_url": "https://pas.windows.net", "aliases": ALIASES,
                                  "preferred_cache": "login.windows.net"},
    "login.microsoftonline.us": {"cloud_instance_name": "microsoftonline.us", "msgraph_host": "graph.microsoft.us",
                                 "rbac_url": "https://pasff.usgovcloudapi.net",
                                 "aliases": ["login.microsoftonline.us", "login.usgovcloudapi.net"],
                                 "preferred_cache": "login.microsoftonline.us"},
}


def mint_token(state, resource, now=None):
    """header.payload.signature where the signature is a fixed placeholder: never a real secret."""
    now = int(now or time.time())
    user = state.user
    claims = {"aud": resource, "iss": f"https://sts.windows.net/{state.tenant_id}/", "iat": now, "nbf": now,
              "exp": now + TOKEN_LIFETIME, "tid": state.tenant_id, "oid": user["id"],
              "sub": b64url(user["id"].encode())[:43], "upn": user["userPrincipalName"],
              "unique_name": user["userPrincipalName"], "name": user["displayName"],
              "given_name": user["givenName"], "family_name": user["surname"], "appid": AZURE_CLI_CLIENT_ID,
              "idtyp": "user", "scp": "user_impersonation", "ver": "1.0", "amr": ["pwd"]}
    header = {"typ": "JWT", "alg": "RS256", "kid": "emulator"}
    return ".".join((b64url(json.dumps(header)), b64url(json.dumps(claims)), b64url("fakesig")))


class TokenService:
    """The Cloud Shell token endpoint on the plain-HTTP listener."""
    name = "token"

    def __init__(self, state):
        self.state = state

    def handle(self, request):
        try:
            if request.method != "POST" or request.path.rstrip("/") != "/oauth2/token":
                raise ApiError(404, "NotFound", f"No such endpoint: {request.method} {request.path}")
            if (request.header("Metadata") or "").lower() != "true":
                raise ApiError(400, "BadRequest", "Required metadata header not specified or not correct")
            resource = request.form().get("resource")
            if not resource:
                raise ApiError(400, "BadRequest", "Required parameter 'resource' is missing.")
            now = int(time.time())
            return json_response(200, {
                "access_token": mint_token(self.state, resource, now), "refresh_token": "",
                "expires_in": str(TOKEN_LIFETIME), "expires_on": str(now + TOKEN_LIFETIME),
                "not_before": str(now), "resource": resource, "token_type": "Bearer"})
        except ApiError as err:
            return self.error_response(request, err)

    @staticmethod
    def error_response(request, err):
        # The shape is what MSAL parses (error.code, error.message); Cloud Shell's own texts are unknown.
        return json_response(err.status, {"error": {"code": err.code, "message": err.message}}, err.headers)


class LoginService:
    """login.microsoftonline.com and .us: OpenID configuration and instance discovery, built from the host asked."""
    name = "login"

    def __init__(self, state):
        self.state = state
        self.router = Router()
        self.router.add("GET", r"/(?P<tenant>[^/]+)/+(?:v2\.0/+)?\.well-known/openid-configuration",
                        self.openid_configuration)
        self.router.add("GET", r"/(?P<tenant>[^/]+)/+discovery/+(?:v2\.0/+)?instance", self.instance_discovery)

    def handle(self, request):
        try:
            handler, match = self.router.resolve(request.method, request.path)
            if handler is None:
                raise ApiError(404, "invalid_request", f"The emulator does not serve {request.method} "
                                                       f"{request.path} (only Cloud Shell token flows are supported).")
            return handler(request, **match.groupdict())
        except ApiError as err:
            return self.error_response(request, err)

    @staticmethod
    def error_response(request, err):
        return json_response(err.status, {"error": err.code, "error_description": err.message,
                                          "error_codes": [], "timestamp": time.strftime("%Y-%m-%d %H:%M:%SZ")},
                             err.headers)

    def _check_tenant(self, tenant):
        known = {"common", "organizations", "consumers", self.state.tenant_id,
                 self.state.directory.organization["verifiedDomains"][0]["name"]}
        if tenant.lower() not in known:
            raise ApiError(400, "invalid_tenant", f"AADSTS90002: Tenant '{tenant}' not found. Check to make sure "
                                                  "you have the correct tenant ID and are signing into the correct "
                                                  "cloud.")

    def openid_configuration(self, request, tenant):
        self._check_tenant(tenant)
        login, cloud = f"https://{request.host}", _cloud(request)
        base = f"{login}/{tenant}"
        issuer_tenant = "{tenantid}" if tenant.lower() in ("common", "organizations", "consumers") else \
            self.state.tenant_id
        return json_response(200, {
            "token_endpoint": f"{base}/oauth2/v2.0/token",
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt",
                                                      "client_secret_basic"],
            "jwks_uri": f"{base}/discovery/v2.0/keys", "response_modes_supported": ["query", "fragment", "form_post"],
            "subject_types_supported": ["pairwise"], "id_token_signing_alg_values_supported": ["RS256"],
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "issuer": f"{login}/{issuer_tenant}/v2.0", "request_uri_parameter_supported": False,
            "userinfo_endpoint": f"https://{cloud['msgraph_host']}/oidc/userinfo",
            "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
            "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
            "http_logout_supported": True, "frontchannel_logout_supported": True,
            "end_session_endpoint": f"{base}/oauth2/v2.0/logout",
            "claims_supported": ["sub", "iss", "cloud_instance_name", "cloud_instance_host_name",
                                 "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr",
                                 "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"],
            "kerberos_endpoint": f"{base}/kerberos", "tenant_region_scope": None,
            "cloud_instance_name": cloud["cloud_instance_name"], "cloud_graph_host_name": "graph.windows.net",
            "msgraph_host": cloud["msgraph_host"], "rbac_url": cloud["rbac_url"]})

    def instance_discovery(self, request, tenant):
        cloud = _cloud(request)
        return json_response(200, {
            "tenant_discovery_endpoint": f"https://{request.host}/{tenant}/v2.0/.well-known/openid-configuration",
            "api-version": request.param("api-version") or "1.1",
            "metadata": [{"preferred_network": cloud["aliases"][0], "preferred_cache": cloud["preferred_cache"],
                          "aliases": cloud["aliases"]}]})


def _cloud(request):
    return CLOUDS.get(request.host, CLOUDS["login.microsoftonline.com"])
