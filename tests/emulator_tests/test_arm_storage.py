"""ARM contracts: subscriptions, resource groups, storage accounts, blob service CORS, containers."""
# pylint: disable=redefined-outer-name,too-many-positional-arguments,unused-argument
import pytest

from .conftest import API, ARM, error_of, follow_arm

RULE = {"allowedOrigins": ["https://app.activeloop.ai"], "allowedMethods": ["GET", "HEAD"], "allowedHeaders": ["*"],
        "exposedHeaders": [], "maxAgeInSeconds": 0}


def assert_arm_error(response, status, code, message=None):
    assert response.status_code == status, response.text
    error = error_of(response)
    assert error["code"] == code and set(error) >= {"code", "message"}
    if message is not None:
        assert error["message"] == message
    return error


def blob_url(world):
    return f"{ARM}{world['account']}/blobServices/default"


def test_api_version_required(http, emu):
    assert_arm_error(http.get(f"{ARM}/subscriptions"), 400, "MissingApiVersionParameter",
                     "The api-version query parameter (?api-version=) is required for all requests.")


def test_any_api_version_is_accepted(http, emu):
    assert http.get(f"{ARM}/subscriptions", params={"api-version": "1999-01-01"}).status_code == 200


def test_subscriptions(http, emu):
    listed = http.get(f"{ARM}/subscriptions", params={"api-version": "2022-12-01"}).json()["value"]
    assert [(s["subscriptionId"], s["tenantId"], s["state"]) for s in listed] == [
        (emu.subscription_id, emu.tenant_id, "Enabled")]
    assert http.get(f"{ARM}/subscriptions/{emu.subscription_id}", params=API).status_code == 200
    assert_arm_error(http.get(f"{ARM}/subscriptions/00000000-0000-0000-0000-000000000000", params=API), 404,
                     "SubscriptionNotFound")


def test_resource_groups(http, emu):
    url = f"{ARM}/subscriptions/{emu.subscription_id}/resourcegroups/MyRG"
    assert http.put(url, params=API, json={"location": "westus"}).status_code == 201
    assert http.put(url, params=API, json={"location": "westus"}).status_code == 200
    assert http.get(url.replace("MyRG", "myrg"), params=API).json()["name"] == "MyRG"
    assert http.head(url, params=API).status_code == 204
    assert http.delete(url, params=API).status_code == 200
    assert http.head(url, params=API).status_code == 404
    assert_arm_error(http.get(url, params=API), 404, "ResourceGroupNotFound",
                     "Resource group 'MyRG' could not be found.")


def test_create_account_synchronously(http, emu):
    emu.add_resource_group("rg")
    url = (f"{ARM}/subscriptions/{emu.subscription_id}/resourceGroups/rg/providers/Microsoft.Storage/"
           "storageAccounts/new1")
    body = {"location": "eastus", "kind": "StorageV2", "sku": {"name": "Standard_LRS"},
            "properties": {"isHnsEnabled": True}}
    created = http.put(url, params=API, json=body)
    assert created.status_code == 200
    account = created.json()
    assert account["properties"]["provisioningState"] == "Succeeded"
    assert account["properties"]["isHnsEnabled"] is True
    assert account["sku"] == {"name": "Standard_LRS", "tier": "Standard"}
    assert account["properties"]["primaryEndpoints"]["dfs"] == "https://new1.dfs.core.windows.net/"
    assert http.get(url, params=API).json()["id"] == account["id"]


def test_account_name_rules(http, emu):
    emu.add_resource_group("rg")
    emu.add_resource_group("other")
    emu.add_storage_account("other", "taken1")
    base = f"{ARM}/subscriptions/{emu.subscription_id}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts"
    body = {"location": "eastus", "kind": "StorageV2", "sku": {"name": "Standard_LRS"}}
    assert_arm_error(http.put(f"{base}/Bad_Name", params=API, json=body), 400, "AccountNameInvalid")
    assert_arm_error(http.put(f"{base}/taken1", params=API, json=body), 409, "StorageAccountAlreadyTaken")


def test_account_not_found_messages(http, emu):
    emu.add_resource_group("rg")
    sub = f"{ARM}/subscriptions/{emu.subscription_id}"
    assert_arm_error(http.get(f"{sub}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/nope",
                              params=API), 404, "ResourceNotFound",
                     "The Resource 'Microsoft.Storage/storageAccounts/nope' under resource group 'rg' was not found. "
                     "For more details please go to https://aka.ms/ARMResourceNotFoundFix")
    assert_arm_error(http.get(f"{sub}/resourceGroups/norg/providers/Microsoft.Storage/storageAccounts/nope",
                              params=API), 404, "ResourceGroupNotFound", "Resource group 'norg' could not be found.")


def test_list_accounts_paged_by_subscription_and_group(http, emu):
    emu.add_resource_group("rg1")
    emu.add_resource_group("rg2")
    for i in range(3):
        emu.add_storage_account("rg1", f"one{i}")
    emu.add_storage_account("rg2", "two0")
    sub = f"{ARM}/subscriptions/{emu.subscription_id}"
    items, pages = follow_arm(http, f"{sub}/providers/Microsoft.Storage/storageAccounts")
    assert sorted(a["name"] for a in items) == ["one0", "one1", "one2", "two0"] and pages == 2
    items, pages = follow_arm(http, f"{sub}/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts")
    assert len(items) == 3 and pages == 2


def test_paths_are_case_insensitive(http, emu, world):
    url = f"{ARM}{world['account']}".replace("resourceGroups", "RESOURCEGROUPS")
    url = url.replace("Microsoft.Storage", "microsoft.storage")
    assert http.get(url, params=API).json()["name"] == "acct"


def test_delete_account_cascades(http, emu, world):
    emu.add_role_assignment(world["container"], "Storage Blob Data Contributor", world["sp_id"])
    assert http.delete(f"{ARM}{world['account']}", params=API).status_code == 200
    assert http.delete(f"{ARM}{world['account']}", params=API).status_code == 204
    snap = emu.snapshot()
    assert snap["storageAccounts"] == [] and snap["roleAssignments"] == []


def test_delete_group_cascades(http, emu, world):
    assert http.delete(f"{ARM}{world['rg']}", params=API).status_code == 200
    assert emu.snapshot()["storageAccounts"] == []


# ---- blob service / CORS ---------------------------------------------------------------------------------
def test_new_account_has_no_cors_rules(http, world):
    body = http.get(blob_url(world), params=API).json()
    assert body["name"] == "default" and body["properties"]["cors"]["corsRules"] == []


def test_cors_put_replaces_rules_and_keeps_other_properties(http, emu, world):
    second = dict(RULE, allowedOrigins=["https://example.org"])
    put = http.put(blob_url(world), params=API, json={"properties": {"cors": {"corsRules": [RULE, second]}}})
    assert put.status_code == 200 and len(put.json()["properties"]["cors"]["corsRules"]) == 2
    http.put(blob_url(world), params=API, json={"properties": {"cors": {"corsRules": [RULE]}}})
    assert emu.snapshot()["storageAccounts"][0]["corsRules"] == [RULE]
    http.put(blob_url(world), params=API,
             json={"properties": {"deleteRetentionPolicy": {"enabled": True, "days": 7}}})
    props = http.get(blob_url(world), params=API).json()["properties"]
    assert props["cors"]["corsRules"] == [RULE] and props["deleteRetentionPolicy"]["days"] == 7
    http.put(blob_url(world), params=API, json={"properties": {"cors": {"corsRules": []}}})
    assert http.get(blob_url(world), params=API).json()["properties"]["cors"]["corsRules"] == []


def test_cors_at_most_five_rules(http, world):
    ok = http.put(blob_url(world), params=API, json={"properties": {"cors": {"corsRules": [RULE] * 5}}})
    assert ok.status_code == 200
    assert_arm_error(http.put(blob_url(world), params=API, json={"properties": {"cors": {"corsRules": [RULE] * 6}}}),
                     400, "InvalidRequestPropertyValue")


def test_cors_rule_needs_all_fields(http, world):
    partial = {k: v for k, v in RULE.items() if k != "exposedHeaders"}
    assert_arm_error(http.put(blob_url(world), params=API, json={"properties": {"cors": {"corsRules": [partial]}}}),
                     400, "InvalidRequestPropertyValue")


@pytest.mark.parametrize("kind,refused", [("StorageV2", True), ("Storage", True), ("BlockBlobStorage", False)])
def test_cors_refused_on_premium_general_purpose(http, emu, kind, refused):
    emu.add_resource_group("rg")
    emu.add_storage_account("rg", "prem", sku="Premium_LRS", kind=kind)
    url = (f"{ARM}/subscriptions/{emu.subscription_id}/resourceGroups/rg/providers/Microsoft.Storage/"
           "storageAccounts/prem/blobServices/default")
    response = http.put(url, params=API, json={"properties": {"cors": {"corsRules": [RULE]}}})
    assert response.status_code == (400 if refused else 200), response.text


def test_blob_service_only_get_and_put(http, world):
    assert http.delete(blob_url(world), params=API).status_code == 404


# ---- containers ------------------------------------------------------------------------------------------
def test_containers(http, emu, world):
    base = f"{blob_url(world)}/containers"
    assert http.put(f"{base}/second", params=API, json={"properties": {}}).status_code == 201
    assert http.put(f"{base}/second", params=API, json={"properties": {}}).status_code == 200
    assert http.get(f"{base}/second", params=API).json()["name"] == "second"
    http.put(f"{base}/third", params=API, json={})
    items, pages = follow_arm(http, base)
    assert sorted(c["name"] for c in items) == ["data", "second", "third"] and pages == 2
    assert http.delete(f"{base}/second", params=API).status_code == 200
    assert_arm_error(http.get(f"{base}/second", params=API), 404, "ContainerNotFound",
                     "The specified container does not exist.")
    assert emu.snapshot()["storageAccounts"][0]["containers"] == ["data", "third"]


@pytest.mark.parametrize("name", ["ab", "Upper", "double--hyphen", "-start", "end-", "x" * 64])
def test_container_name_rules(http, world, name):
    response = http.put(f"{blob_url(world)}/containers/{name}", params=API, json={})
    assert response.status_code == 400


def test_arm_requires_bearer_token(http, emu):
    response = http.get(f"{ARM}/subscriptions", params=API, headers={"Authorization": "Basic x"})
    assert_arm_error(response, 401, "AuthenticationFailed")
