"""ARM error answers with Azure's codes and message texts."""
from .errors import ApiError

NOT_FOUND_FIX = "For more details please go to https://aka.ms/ARMResourceNotFoundFix"


def missing_api_version():
    return ApiError(400, "MissingApiVersionParameter",
                    "The api-version query parameter (?api-version=) is required for all requests.")


def subscription_not_found(subscription_id):
    return ApiError(404, "SubscriptionNotFound", f"The subscription '{subscription_id}' could not be found.")


def group_not_found(name):
    return ApiError(404, "ResourceGroupNotFound", f"Resource group '{name}' could not be found.")


def resource_not_found(type_and_name, group):
    return ApiError(404, "ResourceNotFound",
                    f"The Resource '{type_and_name}' under resource group '{group}' was not found. {NOT_FOUND_FIX}")


def container_not_found():
    return ApiError(404, "ContainerNotFound", "The specified container does not exist.")


def authorization_failed(user, action, scope):
    return ApiError(403, "AuthorizationFailed",
                    f"The client '{user['userPrincipalName']}' with object id '{user['id']}' does not have "
                    f"authorization to perform action '{action}' over scope '{scope}' or the scope is invalid. "
                    "If access was recently granted, please refresh your credentials.")


def invalid(code, message):
    return ApiError(400, code, message)


def no_route(request):
    return ApiError(404, "NotFound", f"The emulator has no ARM route for {request.method} {request.path}.")
