"""The admin API under /_emulator/ on the plain-HTTP listener, so another process (a demo, a benchmark)
can drive an emulator started with `python -m tests.emulator`.

GET  /_emulator/state      snapshot() plus the knobs
GET  /_emulator/requests   the request log          DELETE /_emulator/requests  clears it
GET  /_emulator/info       ports, CA bundle, tenant and subscription ids
POST /_emulator/knobs      {"latency_ms", "graph_replication_delay", "principal_replication_delay", "page_size",
                            ... (every knob of knobs.SETTINGS), "deny": [...], "allow": [...],
                            "deny_role_assignment_reads": [subscription ids], "throttle": {...}|[...],
                            "fail": {...}|[...]}
POST /_emulator/reset      empty state, knobs off, log cleared
POST /_emulator/seed       {"preset": "demo"} or lists of add_* keyword arguments, e.g.
                           {"resource_groups": [{"name": "rg", "location": "eastus"}],
                            "storage_accounts": [{"rg": "rg", "name": "acct"}], "containers": [...],
                            "applications": [...], "federated_credentials": [...], "service_principals": [...],
                            "role_assignments": [...], "external_applications": [...]}; also "subscriptions",
                            "users", "managed_identities", "owners", "passwords", "keys", "app_role_assignments",
                            "directory_role_members" (SEEDERS, applied in its order)
"""
from .errors import ApiError
from .routing import json_response

SEEDERS = {"subscriptions": "add_subscription", "resource_groups": "add_resource_group",
           "storage_accounts": "add_storage_account",
           "containers": "add_container", "applications": "add_application",
           "external_applications": "add_external_application", "federated_credentials": "add_federated_credential",
           "service_principals": "add_service_principal", "role_assignments": "add_role_assignment",
           "users": "add_user", "managed_identities": "add_managed_identity", "owners": "add_owner",
           "passwords": "add_password", "keys": "add_key", "app_role_assignments": "add_app_role_assignment",
           "directory_role_members": "add_directory_role_member"}


class AdminService:  # pylint: disable=too-few-public-methods
    name = "admin"

    def __init__(self, emulator):
        self.emulator = emulator

    def handle(self, request):  # pylint: disable=too-many-return-statements
        emulator = self.emulator
        route = (request.method, request.path.rstrip("/"))
        try:
            if route == ("GET", "/_emulator/state"):
                return json_response(200, dict(emulator.snapshot(), knobs=emulator.knobs.describe()))
            if route == ("GET", "/_emulator/requests"):
                return json_response(200, emulator.requests())
            if route == ("DELETE", "/_emulator/requests"):
                emulator.clear_requests()
                return json_response(200, [])
            if route == ("GET", "/_emulator/info"):
                return json_response(200, emulator.info())
            if route == ("POST", "/_emulator/knobs"):
                emulator.knobs.apply(self._body(request))
                return json_response(200, emulator.knobs.describe())
            if route == ("POST", "/_emulator/reset"):
                emulator.reset()
                return json_response(200, emulator.snapshot())
            if route == ("POST", "/_emulator/seed"):
                return json_response(200, self._seed(self._body(request)))
            raise ApiError(404, "NotFound", f"No admin route {request.method} {request.path}")
        except ApiError as err:
            return json_response(err.status, {"error": {"code": err.code, "message": err.message}})
        except (TypeError, ValueError, KeyError) as exc:
            return json_response(400, {"error": {"code": "BadRequest", "message": f"{type(exc).__name__}: {exc}"}})

    @staticmethod
    def _body(request):
        data = request.json()
        if not isinstance(data, dict):
            raise ApiError(400, "BadRequest", "A JSON object body is expected.")
        return data

    def _seed(self, data):
        unknown = set(data) - set(SEEDERS) - {"preset"}
        if unknown:
            raise ApiError(400, "BadRequest", f"Unknown seed keys {sorted(unknown)}; known: {sorted(SEEDERS)}")
        if data.get("preset") == "demo":
            self.emulator.seed_demo()
        elif data.get("preset") is not None:
            raise ApiError(400, "BadRequest", f"Unknown preset {data['preset']!r}; known: 'demo'")
        created = {}
        for key, method in SEEDERS.items():
            for kwargs in data.get(key, []):
                created.setdefault(key, []).append(getattr(self.emulator, method)(**kwargs))
        return {"created": created, "state": self.emulator.snapshot()}
