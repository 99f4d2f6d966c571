"""Microsoft Graph v1.0 (graph.microsoft.com; graph.microsoft.us for US Government): the service shell.
Routes live in graph_apps and graph_principals; this module owns the error envelope, denials,
entity/collection rendering."""
import uuid

from . import (graph_apps, graph_common, graph_credentials, graph_grants, graph_owners, graph_principals, graph_query,
               paging)
from .errors import ApiError
from .routing import Response, Router, bearer_token, json_response
from .util import iso

PUBLIC_HOST = "graph.microsoft.com"


class GraphService:
    name = "graph"

    def __init__(self, state, knobs):
        self.state = state
        self.knobs = knobs
        self.router = Router()
        graph_apps.register(self.router)
        graph_principals.register(self.router)
        parents = ((graph_apps.APPS, graph_apps.APP_REFS, graph_apps.find_app),
                   (graph_principals.SPS, graph_principals.SP_REFS, graph_principals.find_sp))
        graph_owners.register(self.router, parents)
        graph_credentials.register(self.router, parents)
        graph_grants.register(self.router)

    def handle(self, request):
        response = self._handle(request)
        if request.host != PUBLIC_HOST and response.body:  # @odata.context names the host asked
            response.body = response.body.replace(f"{graph_common.ROOT}/$metadata#".encode(),
                                                  f"https://{request.host}/v1.0/$metadata#".encode())
        return response

    def _handle(self, request):
        try:
            if bearer_token(request) is None:
                raise ApiError(401, "InvalidAuthenticationToken", "Access token is empty.")
            handler, match = self.router.resolve(request.method, request.path)
            if handler is None:
                raise self.no_route(request, method_only=match)
            with self.state.lock:
                return handler(self, request, **match.groupdict())
        except ApiError as err:
            return self.error_response(request, err)

    @staticmethod
    def no_route(request, method_only):
        if method_only:
            return ApiError(405, "Request_BadRequest",
                            f"Specified HTTP method is not allowed for the request uri {request.path}.")
        segment = request.path.rstrip("/").rsplit("/", 1)[-1]
        return ApiError(400, "BadRequest", f"Resource not found for the segment '{segment}'.")

    def error_response(self, request, err):
        request_id = str(uuid.uuid4())
        inner = {"date": iso(digits=0), "request-id": request_id,
                 "client-request-id": request.header("client-request-id") or request_id}
        body = {"error": {"code": err.code, "message": err.message, "innerError": inner}}
        if err.details:
            body["error"]["details"] = err.details
        headers = dict(err.headers, **{"request-id": request_id, "client-request-id": inner["client-request-id"]})
        return json_response(err.status, body, headers)

    # ---- helpers used by the route modules --------------------------------------------------------------
    def require(self, right):
        if self.knobs.is_denied(right):
            raise graph_common.denied()

    @staticmethod
    def body(request):
        data = request.json()
        if not isinstance(data, dict):
            raise graph_common.bad_request("Empty Payload. JSON content expected.")
        return data

    @staticmethod
    def reject_unknown(data, allowed, type_name):
        for key in data:
            if key not in allowed and not key.startswith("@odata"):
                raise graph_common.bad_request(
                    f"Property '{key}' does not exist as a declared property or extension property of type "
                    f"'microsoft.graph.{type_name}'.")

    @staticmethod
    def entity(context, record, status=200, request=None):
        body = {"@odata.context": f"{graph_common.ROOT}/$metadata#{context}/$entity"}
        body.update(graph_query.apply_select(record, request) if request else record)
        return json_response(status, body)

    def collection(self, request, context, records):
        size = min(graph_query.top(request) or self.knobs.page_size, self.knobs.page_size)
        result = paging.page(request, [graph_query.apply_select(r, request) for r in records], size,
                             "@odata.nextLink")
        return json_response(200, dict({"@odata.context": f"{graph_common.ROOT}/$metadata#{context}"}, **result))

    @staticmethod
    def no_content():
        return Response(204)
