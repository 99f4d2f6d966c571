"""Several subscriptions: seeding, ARM routes within the path's subscription, role assignment lists and read
denials per subscription, the snapshot."""
# pylint: disable=redefined-outer-name,too-many-positional-arguments,unused-argument
import pytest
import requests

from .conftest import API, ARM, follow_arm
from .test_arm_authz import RA_API, list_ras, user_grant_ids
from .test_arm_storage import assert_arm_error

OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"


@pytest.fixture
def two(emu):
    """Group 'rg' with account 'acct' in the default subscription, and a group of the same name holding 'other'
    in a second subscription."""
    second = emu.add_subscription("Second")
    emu.add_resource_group("rg", "eastus")
    emu.add_storage_account("rg", "acct")
    emu.add_resource_group("rg", "westeurope", subscription=second)
    emu.add_storage_account("rg", "other", subscription=second)
    emu.add_container("rg", "other", "data", subscription=second)
    return {"first": emu.subscription_id, "second": second,
            "acct": f"/subscriptions/{emu.subscription_id}/resourceGroups/rg/providers/Microsoft.Storage/"
                    "storageAccounts/acct",
            "other": f"/subscriptions/{second}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/other"}


def test_default_subscription_stays_first(http, emu, two):
    listed = http.get(f"{ARM}/subscriptions", params={"api-version": "2022-12-01"}).json()["value"]
    assert [(s["subscriptionId"], s["displayName"], s["tenantId"]) for s in listed] == [
        (two["first"], "Emulated Subscription", emu.tenant_id), (two["second"], "Second", emu.tenant_id)]
    assert http.get(f"{ARM}/subscriptions/{two['second']}", params=API).json()["displayName"] == "Second"
    assert emu.add_subscription() != two["second"]
    assert [s["displayName"] for s in emu.snapshot()["subscriptions"]] == [
        "Emulated Subscription", "Second", "Emulated Subscription 3"]


def test_same_group_name_in_two_subscriptions(http, emu, two):
    for sub, location in ((two["first"], "eastus"), (two["second"], "westeurope")):
        group = http.get(f"{ARM}/subscriptions/{sub}/resourceGroups/rg", params=API).json()
        assert (group["id"], group["location"]) == (f"/subscriptions/{sub}/resourceGroups/rg", location)
        assert [g["name"] for g in follow_arm(http, f"{ARM}/subscriptions/{sub}/resourceGroups")[0]] == ["rg"]
    assert [(g["subscriptionId"], g["location"]) for g in emu.snapshot()["resourceGroups"]] == [
        (two["first"], "eastus"), (two["second"], "westeurope")]


def test_accounts_resolve_within_the_path_subscription(http, emu, two):
    assert http.get(f"{ARM}{two['other']}", params=API).json()["id"] == two["other"]
    misplaced = two["other"].replace(two["second"], two["first"])
    assert_arm_error(http.get(f"{ARM}{misplaced}", params=API), 404, "ResourceNotFound")
    for sub, names in ((two["first"], ["acct"]), (two["second"], ["other"])):
        listed = follow_arm(http, f"{ARM}/subscriptions/{sub}/providers/Microsoft.Storage/storageAccounts")[0]
        assert [a["name"] for a in listed] == names
    containers = follow_arm(http, f"{ARM}{two['other']}/blobServices/default/containers")[0]
    assert [c["name"] for c in containers] == ["data"]
    assert emu.blob_service_properties("rg", "other", subscription=two["second"])["cors"] == {"corsRules": []}
    assert [(a["name"], a["subscriptionId"]) for a in emu.snapshot()["storageAccounts"]] == [
        ("acct", two["first"]), ("other", two["second"])]


def test_account_names_stay_globally_unique(http, emu, two):
    taken = http.put(f"{ARM}/subscriptions/{two['second']}/resourceGroups/rg/providers/Microsoft.Storage/"
                     "storageAccounts/acct", params=API, json={"location": "eastus"})
    assert_arm_error(taken, 409, "StorageAccountAlreadyTaken")
    check = http.post(f"{ARM}/subscriptions/{two['second']}/providers/Microsoft.Storage/checkNameAvailability",
                      params=API, json={"name": "acct"}).json()
    assert check["nameAvailable"] is False and check["reason"] == "AlreadyExists"
    with pytest.raises(ValueError):
        emu.add_storage_account("rg", "acct", subscription=two["second"])


def test_delete_group_cascades_only_in_its_subscription(http, emu, two):
    assert http.delete(f"{ARM}/subscriptions/{two['second']}/resourceGroups/rg", params=API).status_code == 200
    assert [(g["name"], g["subscriptionId"]) for g in emu.snapshot()["resourceGroups"]] == [("rg", two["first"])]
    assert [a["name"] for a in emu.snapshot()["storageAccounts"]] == ["acct"]


def test_role_assignment_lists_stay_in_the_scope_subscription(http, emu, two):
    sp = emu.add_service_principal(emu.add_application("reader")[1])
    here = emu.add_role_assignment(two["acct"], "Reader", sp)
    there = emu.add_role_assignment(two["other"], "Reader", sp)
    at_second_sub = emu.add_role_assignment(f"/subscriptions/{two['second']}", "Reader", sp)
    for flt in (f"principalId eq '{sp}'", f"assignedTo('{sp}')"):
        assert [ra["id"] for ra in list_ras(http, two["acct"], flt)] == [here]
        assert [ra["id"] for ra in list_ras(http, f"/subscriptions/{two['second']}", flt)] == [there, at_second_sub]
    assert [ra["id"] for ra in list_ras(http, two["other"], "atScope()")
            if ra["properties"]["principalId"] == sp] == [there, at_second_sub]
    unfiltered = list_ras(http, f"/subscriptions/{two['first']}")
    assert [ra["id"] for ra in unfiltered] == [here] + user_grant_ids(http, emu, two["acct"])
    definition = http.get(f"{ARM}{there}", params=RA_API).json()["properties"]["roleDefinitionId"]
    assert definition.startswith(f"/subscriptions/{two['second']}/providers/Microsoft.Authorization/")
    assert [(ra["id"], ra["subscriptionId"]) for ra in emu.snapshot()["roleAssignments"]] == [
        (here, two["first"]), (there, two["second"]), (at_second_sub, two["second"])]


def test_deny_role_assignment_reads_in_one_subscription(http, emu, two):
    sp = emu.add_service_principal(emu.add_application("reader")[1])
    there = emu.add_role_assignment(two["other"], "Reader", sp)
    emu.deny_role_assignment_reads(two["second"])
    url = f"{ARM}{two['other']}/providers/Microsoft.Authorization/roleAssignments"
    for response, scope in ((http.get(url, params=dict(RA_API, **{"$filter": f"principalId eq '{sp}'"})),
                             two["other"]),
                            (http.get(f"{ARM}{there}", params=RA_API), there.split("/providers/Microsoft.Auth")[0])):
        error = assert_arm_error(response, 403, "AuthorizationFailed")
        assert error["message"] == (
            f"The client '{emu.user['userPrincipalName']}' with object id '{emu.user['id']}' does not have "
            "authorization to perform action 'Microsoft.Authorization/roleAssignments/read' over scope "
            f"'{scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.")
    assert len(list_ras(http, two["acct"])) == 1  # the other subscription still answers
    emu.reset()
    emu.add_subscription("Second")
    assert http.get(f"{ARM}/subscriptions/{two['second']}/providers/Microsoft.Authorization/roleAssignments",
                    params=RA_API).status_code == 200


def test_deny_role_assignment_reads_through_the_admin_api(http, emu, two):
    admin = f"http://127.0.0.1:{emu.token_port}/_emulator"
    knobs = requests.post(f"{admin}/knobs", json={"deny_role_assignment_reads": [two["second"]]}, timeout=5).json()
    assert knobs["role_assignment_reads_denied"] == [two["second"]]
    response = http.get(f"{ARM}/subscriptions/{two['second']}/providers/Microsoft.Authorization/roleAssignments",
                        params=RA_API)
    assert_arm_error(response, 403, "AuthorizationFailed")
    seeded = requests.post(f"{admin}/seed", json={"subscriptions": [{"display_name": "Third"}]}, timeout=5).json()
    third = seeded["created"]["subscriptions"][0]
    assert seeded["state"]["subscriptions"][-1] == {"id": third, "displayName": "Third"}


def test_seeded_assignment_outside_any_subscription_names_the_default_one(emu):
    sp = emu.add_service_principal(emu.add_application("reader")[1])
    emu.add_role_assignment("/providers/Microsoft.Management/managementGroups/mg", "Reader", sp)
    seeded = emu.snapshot()["roleAssignments"][0]
    assert (seeded["roleDefinitionId"], seeded["subscriptionId"]) == (
        f"/subscriptions/{emu.subscription_id}/providers/Microsoft.Authorization/roleDefinitions/"
        "acdd72a7-3385-48ef-bd42-f606fba81ae7", None)
