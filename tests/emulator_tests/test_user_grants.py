"""The signed-in user's own role assignments (derived from the knobs), the built-in definitions they name, and
the permissions answer without conditions (knob permissions_hide_conditions)."""
# pylint: disable=redefined-outer-name,too-many-positional-arguments,unused-argument
import pytest

from .conftest import API, ARM
from .test_arm_authz import BUILT_INS, RA_API, list_ras

CONDITION = ("((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR "
             "(@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals "
             "{ba92f5b4-2d11-453d-a403-e96b0029c9fe}))")
RBAC_ADMIN = "Role Based Access Control Administrator"


def grants(http, emu, scope, flt):
    """(scope, role name, principalType, condition, conditionVersion) of the user's assignments seen from scope."""
    names = {guid: name for name, guid in BUILT_INS.items()}
    return [(ra["properties"]["scope"], names[ra["properties"]["roleDefinitionId"].rsplit("/", 1)[-1]],
             ra["properties"]["principalType"], ra["properties"]["condition"], ra["properties"]["conditionVersion"])
            for ra in list_ras(http, scope, flt.format(user=emu.user["id"]))]


@pytest.mark.parametrize("flt", ["assignedTo('{user}')", "principalId eq '{user}'"])
def test_user_grants_follow_the_knobs(http, emu, world, flt):
    sub = world["sub"]
    assert grants(http, emu, world["account"], flt) == [(sub, "Owner", "User", None, None)]
    emu.grant_role_assignments_with_condition(CONDITION)
    assert grants(http, emu, world["account"], flt) == [(sub, "Contributor", "User", None, None),
                                                        (sub, RBAC_ADMIN, "User", CONDITION, "2.0")]
    emu.deny("arm.roleAssignments.write")
    assert grants(http, emu, world["account"], flt) == [(sub, "Contributor", "User", None, None)]
    emu.allow()
    emu.grant_role_assignments_with_condition(None)
    assert grants(http, emu, world["container"], flt) == [(sub, "Owner", "User", None, None)]


def test_user_grants_exist_in_every_subscription_but_not_in_the_snapshot(http, emu, world):
    second = emu.add_subscription()
    assert grants(http, emu, f"/subscriptions/{second}", "atScope()") == [
        (f"/subscriptions/{second}", "Owner", "User", None, None)]
    assert grants(http, emu, world["account"], "") == [(world["sub"], "Owner", "User", None, None)]
    assert emu.snapshot()["roleAssignments"] == []


def test_user_grant_reads_by_id_and_blocks_a_duplicate(http, emu, world):
    owner = list_ras(http, world["sub"], f"assignedTo('{emu.user['id']}')")[0]
    assert http.get(f"{ARM}{owner['id']}", params=RA_API).json() == owner
    duplicate = http.put(f"{ARM}{world['sub']}/providers/Microsoft.Authorization/roleAssignments/"
                         "11111111-2222-3333-4444-555555555555", params=RA_API,
                         json={"properties": {"roleDefinitionId": owner["properties"]["roleDefinitionId"],
                                              "principalId": emu.user["id"], "principalType": "User"}})
    assert duplicate.status_code == 409 and duplicate.json()["error"]["code"] == "RoleAssignmentExists"


@pytest.mark.parametrize("name,permissions", [
    ("Owner", {"actions": ["*"], "notActions": [], "dataActions": [], "notDataActions": []}),
    ("Contributor", {"actions": ["*"], "notActions": [
        "Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write",
        "Microsoft.Authorization/elevateAccess/Action", "Microsoft.Blueprint/blueprintAssignments/write",
        "Microsoft.Blueprint/blueprintAssignments/delete", "Microsoft.Compute/galleries/share/action",
        "Microsoft.Purview/consents/write", "Microsoft.Purview/consents/delete",
        "Microsoft.Resources/deploymentStacks/manageDenySetting/action", "Microsoft.Subscription/cancel/action",
        "Microsoft.Subscription/enable/action"], "dataActions": [], "notDataActions": []}),
    (RBAC_ADMIN, {"actions": ["Microsoft.Authorization/roleAssignments/write",
                              "Microsoft.Authorization/roleAssignments/delete", "*/read", "Microsoft.Support/*"],
                  "notActions": [], "dataActions": [], "notDataActions": []}),
])
def test_granted_role_definitions_carry_real_permissions(http, emu, world, name, permissions):
    url = f"{ARM}{world['account']}/providers/Microsoft.Authorization/roleDefinitions/{BUILT_INS[name]}"
    definition = http.get(url, params=API).json()
    assert definition["properties"]["roleName"] == name
    assert definition["properties"]["permissions"] == [permissions]


def test_permissions_hide_conditions(http, emu, world):
    url = f"{ARM}{world['account']}/providers/Microsoft.Authorization/permissions"
    emu.grant_role_assignments_with_condition(CONDITION)
    shown = http.get(url, params=API).json()["value"]
    assert [(p.get("condition"), p.get("conditionVersion")) for p in shown] == [(None, None), (CONDITION, "2.0")]
    emu.permissions_hide_conditions = True
    hidden = http.get(url, params=API).json()["value"]
    assert hidden == [shown[0], {k: v for k, v in shown[1].items() if k not in ("condition", "conditionVersion")}]
    assert set(hidden[1]) == {"actions", "notActions", "dataActions", "notDataActions"}
