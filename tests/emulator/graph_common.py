"""What the Graph modules share: the service root, the rights deny() names, Entra ID's error answers."""
from .errors import ApiError

ROOT = "https://graph.microsoft.com/v1.0"
READ, WRITE = "graph.applications.read", "graph.applications.write"
OWNERS_READ, GRANTS_READ = "graph.owners.read", "graph.principalGrants.read"


def not_found(object_id):
    return ApiError(404, "Request_ResourceNotFound",
                    f"Resource '{object_id}' does not exist or one of its queried reference-property objects "
                    "are not present.")


def bad_request(message, details=None):
    return ApiError(400, "Request_BadRequest", message, details)


def denied():
    return ApiError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")


def require_owner(svc, record):
    """With knob non_owner_access set, the caller holds no admin role: only owners may change an application (or
    what a service principal holds)."""
    if svc.knobs.non_owner_access and not svc.state.directory.is_owner(record):
        raise denied()
