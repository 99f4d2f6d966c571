"""Azure Resource Manager (management.azure.com): the service shell plus subscriptions and resource
groups. Storage and authorization routes live in arm_storage and arm_authz."""
# Route handlers share one signature: (service, request, **path groups).
# pylint: disable=unused-argument,too-many-positional-arguments
import re
import uuid

from . import arm_authz, arm_errors, arm_storage, paging
from .errors import ApiError
from .routing import Response, Router, bearer_token, json_response
from .util import public

SUB = r"/subscriptions/(?P<sub>[^/]+)"
RG = SUB + r"/resourceGroups/(?P<rg>[^/]+)"
RG_NAME = re.compile(r"^[-\w._()]{1,90}(?<!\.)$")


class ArmService:
    name = "arm"

    def __init__(self, state, knobs):
        self.state = state
        self.knobs = knobs
        self.router = Router()
        arm_authz.register(self.router)
        arm_storage.register(self.router, RG, SUB)
        self.router.add("GET", r"/subscriptions", list_subscriptions)
        self.router.add("GET", SUB, get_subscription)
        self.router.add("GET", SUB + r"/resourceGroups", list_groups)
        self.router.add("PUT", RG, put_group)
        self.router.add("PATCH", RG, patch_group)
        self.router.add("GET HEAD", RG, get_group)
        self.router.add("DELETE", RG, delete_group)

    def handle(self, request):
        request_id = str(uuid.uuid4())
        try:
            if bearer_token(request) is None:
                raise ApiError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is "
                                                            "missing.")
            if request.param("api-version") is None:
                raise arm_errors.missing_api_version()
            # ARM ignores empty path segments: SDKs send 'providers/Microsoft.Storage//storageAccounts/...'
            # for a resource without a parent (Permissions - List For Resource).
            handler, match = self.router.resolve(request.method, re.sub('/{2,}', '/', request.path))
            if handler is None:
                raise arm_errors.no_route(request)
            with self.state.lock:
                response = handler(self, request, **match.groupdict())
        except ApiError as err:
            response = self.error_response(request, err)
        response.headers.setdefault("x-ms-request-id", request_id)
        response.headers.setdefault("x-ms-correlation-request-id",
                                    request.header("x-ms-correlation-request-id") or request_id)
        return response

    @staticmethod
    def error_response(request, err):
        body = {"error": {"code": err.code, "message": err.message}}
        if err.details:
            body["error"]["details"] = err.details
        return json_response(err.status, body, err.headers)

    # ---- helpers used by the route modules --------------------------------------------------------------
    def require(self, right, action, scope):
        if self.knobs.is_denied(right):
            raise arm_errors.authorization_failed(self.state.user, action, scope)

    def listing(self, request, items):
        return json_response(200, paging.page(request, items, self.knobs.page_size, "nextLink"))

    @staticmethod
    def body(request):
        data = request.json()
        if not isinstance(data, dict):
            raise ApiError(400, "InvalidRequestContent", "The request content was invalid and could not be "
                                                         "deserialized.")
        return data


def list_subscriptions(svc, request):
    return svc.listing(request, [dict(s) for s in svc.state.resources.subscriptions.values()])


def get_subscription(svc, request, sub):
    return json_response(200, svc.state.resources.require_subscription(sub))


def list_groups(svc, request, sub):
    svc.state.resources.require_subscription(sub)
    return svc.listing(request, [public(g) for g in svc.state.resources.groups_in(sub)])


def put_group(svc, request, sub, rg):
    resources = svc.state.resources
    resources.require_subscription(sub)
    data = svc.body(request)
    if not RG_NAME.match(rg):
        raise arm_errors.invalid("InvalidResourceGroupName",
                                 f"The resource group name '{rg}' is invalid. It can include alphanumeric, "
                                 "underscore, parentheses, hyphen, period (except at end), and Unicode characters "
                                 "that match the allowed characters.")
    existing = resources.group(sub, rg)
    if existing is not None:
        if "tags" in data:
            existing["tags"] = dict(data["tags"] or {})
        return json_response(200, public(existing))
    if not data.get("location"):
        raise arm_errors.invalid("LocationRequired", "The location property is required for this definition.")
    return json_response(201, public(resources.create_group(sub, rg, data["location"], data.get("tags"))))


def patch_group(svc, request, sub, rg):
    svc.state.resources.require_subscription(sub)
    group = svc.state.resources.require_group(sub, rg)
    data = svc.body(request)
    if "tags" in data:
        group["tags"] = dict(data["tags"] or {})
    return json_response(200, public(group))


def get_group(svc, request, sub, rg):
    svc.state.resources.require_subscription(sub)
    if request.method == "HEAD":
        return Response(204 if svc.state.resources.group(sub, rg) else 404)
    return json_response(200, public(svc.state.resources.require_group(sub, rg)))


def delete_group(svc, request, sub, rg):
    resources = svc.state.resources
    resources.require_subscription(sub)
    resources.delete_group(resources.require_group(sub, rg))
    return Response(200)
