"""ARM routes for Microsoft.Storage: storage accounts, blobServices/default (CORS) and containers."""
# Route handlers share one signature: (service, request, **path groups).
# pylint: disable=unused-argument,too-many-positional-arguments
import re

from . import arm_errors
from .errors import ApiError
from .routing import Response, json_response
from .util import deep_merge, public

ACCOUNT_NAME = re.compile(r"^[a-z0-9]{3,24}$")
CONTAINER_NAME = re.compile(r"^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$")
CORS_FIELDS = ("allowedOrigins", "allowedMethods", "allowedHeaders", "exposedHeaders", "maxAgeInSeconds")
CORS_METHODS = {"DELETE", "GET", "HEAD", "MERGE", "POST", "OPTIONS", "PUT", "PATCH", "CONNECT", "TRACE"}
MAX_CORS_RULES = 5
READ_ONLY_PROPS = {"provisioningState", "creationTime", "primaryEndpoints", "primaryLocation", "statusOfPrimary",
                   "isHnsEnabled"}
RESTORE_COMPUTED = ("lastEnabledTime", "minRestoreTime")
BLOB_WRITE = "Microsoft.Storage/storageAccounts/blobServices/write"


def register(router, rg, sub):
    provider = r"/providers/Microsoft\.Storage"
    account = rg + provider + r"/storageAccounts/(?P<account>[^/]+)"
    blob = account + r"/blobServices/default"
    router.add("GET", sub + provider + r"/storageAccounts", list_accounts)
    router.add("GET", rg + provider + r"/storageAccounts", list_accounts)
    router.add("POST", sub + provider + r"/checkNameAvailability", check_name)
    router.add("GET", account, get_account)
    router.add("PUT", account, put_account)
    router.add("PATCH", account, patch_account)
    router.add("DELETE", account, delete_account)
    router.add("GET", account + r"/blobServices", list_blob_services)
    router.add("GET", blob, get_blob_service)
    router.add("PUT", blob, put_blob_service)
    router.add("GET", blob + r"/containers", list_containers)
    router.add("GET", blob + r"/containers/(?P<container>[^/]+)", get_container)
    router.add("PUT PATCH", blob + r"/containers/(?P<container>[^/]+)", put_container)
    router.add("DELETE", blob + r"/containers/(?P<container>[^/]+)", delete_container)


# ---- accounts ------------------------------------------------------------------------------------------
def list_accounts(svc, request, sub, rg=None):
    resources = svc.state.resources
    resources.require_subscription(sub)
    if rg is not None:
        resources.require_group(sub, rg)
    return svc.listing(request, [public(a) for a in resources.accounts_in(sub, rg)])


def check_name(svc, request, sub):
    svc.state.resources.require_subscription(sub)
    name = svc.body(request).get("name") or ""
    if not ACCOUNT_NAME.match(name):
        return json_response(200, {"nameAvailable": False, "reason": "AccountNameInvalid",
                                   "message": _invalid_name_message(name)})
    if svc.state.resources.account(name):
        return json_response(200, {"nameAvailable": False, "reason": "AlreadyExists",
                                   "message": f"The storage account named {name} is already taken."})
    return json_response(200, {"nameAvailable": True})


def _invalid_name_message(name):
    return (f"{name} is not a valid storage account name. Storage account name must be between 3 and 24 "
            "characters in length and use numbers and lower-case letters only.")


def get_account(svc, request, sub, rg, account):
    svc.state.resources.require_subscription(sub)
    return json_response(200, public(svc.state.resources.require_account(sub, rg, account)))


def put_account(svc, request, sub, rg, account):
    resources = svc.state.resources
    resources.require_subscription(sub)
    group = resources.require_group(sub, rg)
    data = svc.body(request)
    if not ACCOUNT_NAME.match(account):
        raise arm_errors.invalid("AccountNameInvalid", _invalid_name_message(account))
    existing = resources.account(account)
    if existing is not None and existing is not resources.account(account, sub, rg):
        raise ApiError(409, "StorageAccountAlreadyTaken", f"The storage account named {account} is already taken.")
    props = {k: v for k, v in (data.get("properties") or {}).items() if k not in READ_ONLY_PROPS}
    sku = (data.get("sku") or {}).get("name") or "Standard_LRS"
    if existing is not None:
        existing["sku"] = {"name": sku, "tier": "Premium" if sku.lower().startswith("premium") else "Standard"}
        existing["kind"] = data.get("kind") or existing["kind"]
        deep_merge(existing["properties"], props)
        existing["tags"] = dict(data.get("tags") or existing["tags"])
        return json_response(200, public(existing))
    record = resources.create_account(group, account, data.get("location"), sku, data.get("kind") or "StorageV2",
                                      bool((data.get("properties") or {}).get("isHnsEnabled")), props,
                                      data.get("tags"))
    return json_response(200, public(record))


def patch_account(svc, request, sub, rg, account):
    svc.state.resources.require_subscription(sub)
    record = svc.state.resources.require_account(sub, rg, account)
    data = svc.body(request)
    deep_merge(record["properties"], {k: v for k, v in (data.get("properties") or {}).items()
                                      if k not in READ_ONLY_PROPS})
    if "tags" in data:
        record["tags"] = dict(data["tags"] or {})
    return json_response(200, public(record))


def delete_account(svc, request, sub, rg, account):
    resources = svc.state.resources
    resources.require_subscription(sub)
    resources.require_group(sub, rg)
    record = resources.account(account, sub, rg)
    if record is None:
        return Response(204)
    resources.delete_account(record)
    return Response(200)


# ---- blob service properties ---------------------------------------------------------------------------
def list_blob_services(svc, request, sub, rg, account):
    svc.state.resources.require_subscription(sub)
    record = svc.state.resources.require_account(sub, rg, account)
    return json_response(200, {"value": [svc.state.resources.blob_service(record)]})


def get_blob_service(svc, request, sub, rg, account):
    svc.state.resources.require_subscription(sub)
    record = svc.state.resources.require_account(sub, rg, account)
    return json_response(200, svc.state.resources.blob_service(record))


def _validate_cors(account, cors):
    rules = cors.get("corsRules") if isinstance(cors, dict) else None
    if rules is None:
        rules = []
    if not isinstance(rules, list):
        raise arm_errors.invalid("InvalidRequestPropertyValue", "The value of 'corsRules' must be a list.")
    # The limits are Azure's; the error codes and texts below are unverified guesses.
    if len(rules) > MAX_CORS_RULES:
        raise arm_errors.invalid("InvalidRequestPropertyValue",
                                 f"The number of CORS rules is {len(rules)}; at most {MAX_CORS_RULES} CORS rules "
                                 "are allowed per service.")
    if rules and account["sku"]["tier"] == "Premium" and account["kind"] in ("StorageV2", "Storage"):
        raise arm_errors.invalid("FeatureNotSupportedForAccount",
                                 "CORS is not supported for premium general-purpose storage accounts.")
    for rule in rules:
        missing = [f for f in CORS_FIELDS if not isinstance(rule, dict) or f not in rule]
        if missing:
            raise arm_errors.invalid("InvalidRequestPropertyValue",
                                     f"The CORS rule is missing required properties: {', '.join(missing)}.")
        bad = [m for m in rule["allowedMethods"] if str(m).upper() not in CORS_METHODS]
        if bad or not rule["allowedMethods"] or not rule["allowedOrigins"]:
            raise arm_errors.invalid("InvalidRequestPropertyValue",
                                     f"The CORS rule has invalid allowedOrigins or allowedMethods {bad}.")
    return [{f: rule[f] for f in CORS_FIELDS} for rule in rules]


def put_blob_service(svc, request, sub, rg, account):
    resources = svc.state.resources
    resources.require_subscription(sub)
    record = resources.require_account(sub, rg, account)
    svc.require("arm.blobServices.write", BLOB_WRITE, f"{record['id']}/blobServices/default")
    props = dict(svc.body(request).get("properties") or {})
    cors = {"corsRules": _validate_cors(record, props.pop("cors"))} if "cors" in props else None
    current = record["_blob"]
    if svc.knobs.blob_put_resets_omitted:  # the pessimistic reading: what the PUT leaves out goes back to default
        record["_blob"] = resources.default_blob_properties()
    if cors is not None:
        record["_blob"]["cors"] = cors
    record["_blob"].update(props)
    _keep_computed_restore_fields(current, record["_blob"])
    return json_response(200, resources.blob_service(record))


def _keep_computed_restore_fields(before, after):
    """restorePolicy's lastEnabledTime and minRestoreTime are computed by Azure, never sent by a client."""
    old, new = before.get("restorePolicy") or {}, after.get("restorePolicy")
    if isinstance(new, dict) and new.get("enabled") and old.get("enabled"):
        for field in RESTORE_COMPUTED:
            if field in old:
                new[field] = old[field]


# ---- containers ----------------------------------------------------------------------------------------
def list_containers(svc, request, sub, rg, account):
    svc.state.resources.require_subscription(sub)
    record = svc.state.resources.require_account(sub, rg, account)
    return svc.listing(request, [dict(c) for c in record["_containers"].values()])


def get_container(svc, request, sub, rg, account, container):
    svc.state.resources.require_subscription(sub)
    record = svc.state.resources.require_account(sub, rg, account)
    return json_response(200, svc.state.resources.require_container(record, container))


def put_container(svc, request, sub, rg, account, container):
    resources = svc.state.resources
    resources.require_subscription(sub)
    record = resources.require_account(sub, rg, account)
    if not CONTAINER_NAME.match(container):
        raise arm_errors.invalid("ContainerOperationFailure", "The specified resource name contains invalid "
                                                              "characters.")
    props = {k: v for k, v in ((request.json() or {}).get("properties") or {}).items() if v is not None}
    existing = record["_containers"].get(container)
    if existing is not None:
        deep_merge(existing["properties"], props)
        return json_response(200, existing)
    if request.method == "PATCH":
        raise arm_errors.container_not_found()
    return json_response(201, resources.create_container(record, container, props))


def delete_container(svc, request, sub, rg, account, container):
    resources = svc.state.resources
    resources.require_subscription(sub)
    record = resources.require_account(sub, rg, account)
    existing = record["_containers"].get(container.lower())
    if existing is None:
        return Response(204)
    resources.delete_container(record, existing)
    return Response(200)
