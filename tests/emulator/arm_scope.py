"""ARM scopes the emulator understands (subscription, resource group, storage account, blob service,
container): parsing, resolving to canonical casing, and the at/above/below relations."""
import re

from .errors import ApiError

SCOPE = re.compile(
    r"^/subscriptions/(?P<sub>[^/]+)"
    r"(?:/resourceGroups/(?P<rg>[^/]+)"
    r"(?:/providers/Microsoft\.Storage/storageAccounts/(?P<account>[^/]+)"
    r"(?P<blob>/blobServices/default(?:/containers/(?P<container>[^/]+))?)?)?)?$", re.IGNORECASE)


def resolve(resources, scope):
    """The canonical form of scope; raises the 404 ARM answers with when a part of it does not exist."""
    match = SCOPE.match(scope.rstrip("/"))
    if not match:
        raise ApiError(400, "InvalidResourceScope" if scope else "MissingSubscription",
                       f"The scope '{scope}' is not supported by the emulator or is invalid.")
    sub = match["sub"]
    canonical = resources.require_subscription(sub)["id"]
    if match["rg"]:
        canonical = resources.require_group(sub, match["rg"])["id"]
    if match["account"]:
        account = resources.require_account(sub, match["rg"], match["account"])
        canonical = account["id"]
        if match["blob"]:
            canonical += "/blobServices/default"
        if match["container"]:
            canonical = resources.require_container(account, match["container"])["id"]
    return canonical


def subscription_of(scope):
    """The subscription id of a scope (lowercase), or None."""
    match = SCOPE.match(scope.rstrip("/"))
    return match["sub"].lower() if match else None


def is_at_or_above(outer, inner):
    """True when outer is inner itself or one of its ancestors (case-insensitive)."""
    outer, inner = outer.lower().rstrip("/"), inner.lower().rstrip("/")
    return inner == outer or inner.startswith(outer + "/")


def related(first, second):
    """Either scope is at, above or below the other."""
    return is_at_or_above(first, second) or is_at_or_above(second, first)
