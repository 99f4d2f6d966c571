"""ARM Microsoft.Authorization contracts: role assignments at any scope, role definitions, permissions."""
# pylint: disable=redefined-outer-name,too-many-positional-arguments,unused-argument
import re
import uuid

import pytest

from .conftest import API, ARM, BLOB_CONTRIBUTOR, BLOB_DELEGATOR, error_of, follow_arm
from .test_arm_storage import assert_arm_error

RA_API = {"api-version": "2022-04-01"}
BUILT_INS = {"Owner": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Contributor": "b24988ac-6180-42a0-ab88-20f7382dd24c",
             "Reader": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
             "User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
             "Role Based Access Control Administrator": "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
             "Storage Blob Data Contributor": BLOB_CONTRIBUTOR,
             "Storage Blob Data Reader": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
             "Storage Blob Delegator": BLOB_DELEGATOR}


def role_id(emu, guid):
    return f"/subscriptions/{emu.subscription_id}/providers/Microsoft.Authorization/roleDefinitions/{guid}"


def put_ra(http, emu, scope, principal_id, role=BLOB_CONTRIBUTOR, name=None):
    name = name or str(uuid.uuid4())
    body = {"properties": {"roleDefinitionId": role_id(emu, role), "principalId": principal_id,
                           "principalType": "ServicePrincipal"}}
    return http.put(f"{ARM}{scope}/providers/Microsoft.Authorization/roleAssignments/{name}", params=RA_API,
                    json=body), name


def list_ras(http, scope, flt=None):
    params = {"$filter": flt} if flt else {}
    return follow_arm(http, f"{ARM}{scope}/providers/Microsoft.Authorization/roleAssignments", **params)[0]


def user_grant_ids(http, emu, scope):
    """The ids of the signed-in user's own role assignments seen from scope."""
    return [ra["id"] for ra in list_ras(http, scope, f"assignedTo('{emu.user['id']}')")]


# ---- role definitions ------------------------------------------------------------------------------------
@pytest.mark.parametrize("name,guid", sorted(BUILT_INS.items()))
def test_role_definitions_by_name_at_any_scope(http, emu, world, name, guid):
    for scope in (world["sub"], world["account"], world["container"]):
        found = http.get(f"{ARM}{scope}/providers/Microsoft.Authorization/roleDefinitions",
                         params={"api-version": "2022-05-01-preview", "$filter": f"roleName eq '{name}'"}).json()
        assert [d["name"] for d in found["value"]] == [guid]
        assert found["value"][0]["id"] == role_id(emu, guid)
        assert found["value"][0]["properties"]["roleName"] == name


def test_role_definition_by_id_and_unknown(http, emu, world):
    url = f"{ARM}{world['account']}/providers/Microsoft.Authorization/roleDefinitions"
    assert http.get(f"{url}/{BLOB_DELEGATOR}", params=API).json()["properties"]["roleName"] == "Storage Blob Delegator"
    assert http.get(f"{url}/{uuid.uuid4()}", params=API).status_code == 404
    assert len(follow_arm(http, url)[0]) == len(BUILT_INS)


# ---- role assignment PUT rules ---------------------------------------------------------------------------
def test_create_is_201_and_idempotent(http, emu, world):
    first, name = put_ra(http, emu, world["container"], world["sp_id"])
    assert first.status_code == 201
    assert first.json()["properties"]["scope"] == world["container"]
    again, _ = put_ra(http, emu, world["container"], world["sp_id"], name=name)
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert len(emu.snapshot()["roleAssignments"]) == 1


def test_same_name_other_properties_is_400(http, emu, world):
    _, name = put_ra(http, emu, world["account"], world["sp_id"])
    response, _ = put_ra(http, emu, world["account"], world["sp_id"], role=BLOB_DELEGATOR, name=name)
    assert_arm_error(response, 400, "RoleAssignmentUpdateNotPermitted")


def test_same_triple_other_name_is_409(http, emu, world):
    _, name = put_ra(http, emu, world["account"], world["sp_id"])
    response, _ = put_ra(http, emu, world["account"], world["sp_id"])
    error = assert_arm_error(response, 409, "RoleAssignmentExists")
    existing = re.fullmatch(r"The role assignment already exists\. The ID of the existing role assignment is "
                            r"([0-9a-f]{32})\.", error["message"])
    assert existing and existing.group(1) == name.replace("-", "")


def test_name_must_be_guid(http, emu, world):
    response, _ = put_ra(http, emu, world["account"], world["sp_id"], name="not-a-guid")
    assert_arm_error(response, 400, "InvalidRoleAssignmentId")


def test_unknown_principal_and_role(http, emu, world):
    response, _ = put_ra(http, emu, world["account"], str(uuid.uuid4()))
    error = assert_arm_error(response, 400, "PrincipalNotFound")
    assert "replication delay" in error["message"] and "principalType" in error["message"]
    response, _ = put_ra(http, emu, world["account"], world["sp_id"], role=str(uuid.uuid4()))
    assert_arm_error(response, 400, "RoleDefinitionDoesNotExist")


def test_missing_scope_is_404(http, emu, world):
    response, _ = put_ra(http, emu, world["account"].replace("acct", "nosuch"), world["sp_id"])
    assert_arm_error(response, 404, "ResourceNotFound")
    response, _ = put_ra(http, emu, world["container"].replace("data", "nosuch"), world["sp_id"])
    assert response.status_code == 404
    response, _ = put_ra(http, emu, world["rg"].replace("/rg", "/norg"), world["sp_id"])
    assert_arm_error(response, 404, "ResourceGroupNotFound")


def test_assign_to_signed_in_user(http, emu, world):
    response, _ = put_ra(http, emu, world["rg"], emu.user["id"], role=BUILT_INS["Reader"])
    assert response.status_code == 201


def test_scope_casing_is_canonicalised(http, emu, world):
    response, _ = put_ra(http, emu, world["account"].replace("resourceGroups/rg", "resourcegroups/RG"), world["sp_id"])
    assert response.json()["properties"]["scope"] == world["account"]


# ---- get, delete, list -----------------------------------------------------------------------------------
def test_get_and_delete(http, emu, world):
    created, name = put_ra(http, emu, world["account"], world["sp_id"])
    url = f"{ARM}{world['account']}/providers/Microsoft.Authorization/roleAssignments/{name}"
    assert http.get(url, params=RA_API).json()["id"] == created.json()["id"]
    assert http.delete(url, params=RA_API).status_code == 200
    assert http.get(url, params=RA_API).status_code == 404
    assert http.delete(url, params=RA_API).status_code == 204


def test_list_at_above_and_below(http, emu, world):
    other = emu.add_service_principal(emu.add_application("other")[1])
    at_sub = emu.add_role_assignment(world["sub"], "Reader", other)
    at_account = emu.add_role_assignment(world["account"], "Storage Blob Delegator", world["sp_id"])
    at_container = emu.add_role_assignment(world["container"], "Storage Blob Data Contributor", world["sp_id"])

    def ids(items):
        return sorted(i["id"] for i in items)
    owner = user_grant_ids(http, emu, world["sub"])
    assert ids(list_ras(http, world["account"])) == sorted([at_sub, at_account, at_container] + owner)
    assert ids(list_ras(http, world["account"], "atScope()")) == sorted([at_sub, at_account] + owner)
    assert ids(list_ras(http, world["account"], f"principalId eq '{world['sp_id']}'")) == sorted(
        [at_account, at_container])
    assert ids(list_ras(http, world["sub"], f"assignedTo('{other}')")) == [at_sub]
    assert ids(list_ras(http, world["container"], f"atScope() and assignedTo('{world['sp_id']}')")) == sorted(
        [at_account, at_container])
    response = http.get(f"{ARM}{world['account']}/providers/Microsoft.Authorization/roleAssignments",
                        params=dict(RA_API, **{"$filter": f"atScope() and principalId eq '{other}'"}))
    assert response.status_code == 400 and error_of(response)["code"]


def test_list_is_paged(http, emu, world):
    for i in range(5):
        sp = emu.add_service_principal(emu.add_application(f"a{i}")[1])
        emu.add_role_assignment(world["account"], "Reader", sp)
    items, pages = follow_arm(http, f"{ARM}{world['sub']}/providers/Microsoft.Authorization/roleAssignments")
    assert len(items) == 6 and pages == 3  # with the signed-in user's Owner grant


# ---- permissions -----------------------------------------------------------------------------------------
def test_permissions_owner_like_by_default_and_reflect_denials(http, emu, world):
    url = f"{ARM}{world['account']}/providers/Microsoft.Authorization/permissions"
    perms = http.get(url, params=API).json()["value"][0]
    assert perms["actions"] == ["*"] and perms["notActions"] == []
    assert set(perms) == {"actions", "notActions", "dataActions", "notDataActions"}
    emu.deny("arm.roleAssignments.write")
    perms = http.get(url, params=API).json()["value"][0]
    assert "Microsoft.Authorization/*/Write" in perms["notActions"]
    assert "Microsoft.Authorization/*/Delete" in perms["notActions"]


# ---- role assignments granted only under an ABAC condition -----------------------------------------------
BLOB_READER = BUILT_INS["Storage Blob Data Reader"]


def constrain(guids, principal_types=None):
    """The portal's multi-line "Constrain roles" / "Constrain roles and principal types" condition."""
    def expression(source):
        text = (f"  @{source}[Microsoft.Authorization/roleAssignments:RoleDefinitionId] "
                f"ForAnyOfAnyValues:GuidEquals {{{', '.join(guids)}}}\n")
        if principal_types:
            listed = ", ".join(f"'{t}'" for t in principal_types)
            text += (f"  AND\n  @{source}[Microsoft.Authorization/roleAssignments:PrincipalType] "
                     f"ForAnyOfAnyValues:StringEqualsIgnoreCase {{{listed}}}\n")
        return text
    return ("(\n (\n  !(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})\n )\n OR\n (\n"
            f"{expression('Request')} )\n)\nAND\n(\n (\n"
            "  !(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})\n )\n OR\n (\n"
            f"{expression('Resource')} )\n)")


def abac_refusal(response, emu, action, scope, name):
    error = assert_arm_error(response, 403, "AuthorizationFailed")
    assert error["message"] == (
        f"The client '{emu.user['userPrincipalName']}' with object id '{emu.user['id']}' does not have "
        f"authorization or an ABAC condition not fulfilled to perform action '{action}' over scope "
        f"'{scope}/providers/Microsoft.Authorization/roleAssignments/{name}' or the scope is invalid. "
        "If access was recently granted, please refresh your credentials.")


def test_permissions_with_a_condition(http, emu, world):
    url = f"{ARM}{world['account']}/providers/Microsoft.Authorization/permissions"
    condition = constrain([BLOB_CONTRIBUTOR, BLOB_DELEGATOR], ["ServicePrincipal"])
    emu.grant_role_assignments_with_condition(condition)
    owner_like, conditional = http.get(url, params=API).json()["value"]
    assert owner_like == {"actions": ["*"], "notActions": ["Microsoft.Authorization/*/Write",
                                                           "Microsoft.Authorization/*/Delete"],
                          "dataActions": [], "notDataActions": []}
    assert conditional == {"actions": ["Microsoft.Authorization/roleAssignments/write",
                                       "Microsoft.Authorization/roleAssignments/delete"],
                           "notActions": [], "dataActions": [], "notDataActions": [],
                           "condition": condition, "conditionVersion": "2.0"}
    emu.deny("arm.blobServices.write")
    assert http.get(url, params=API).json()["value"][0]["notActions"][-1] == \
        "Microsoft.Storage/storageAccounts/blobServices/write"
    emu.deny("arm.roleAssignments.write")  # a denial wins over the conditional grant
    assert len(http.get(url, params=API).json()["value"]) == 1
    emu.allow()
    emu.grant_role_assignments_with_condition(None)
    assert http.get(url, params=API).json()["value"] == [
        {"actions": ["*"], "notActions": [], "dataActions": [], "notDataActions": []}]


def test_condition_allows_only_the_listed_roles(http, emu, world):
    emu.grant_role_assignments_with_condition(constrain([BLOB_CONTRIBUTOR, BLOB_DELEGATOR]))
    assert put_ra(http, emu, world["container"], world["sp_id"])[0].status_code == 201
    assert put_ra(http, emu, world["account"], world["sp_id"], role=BLOB_DELEGATOR.upper())[0].status_code == 201
    response, name = put_ra(http, emu, world["account"], world["sp_id"], role=BLOB_READER)
    abac_refusal(response, emu, "Microsoft.Authorization/roleAssignments/write", world["account"], name)
    assert len(emu.snapshot()["roleAssignments"]) == 2


def test_condition_on_principal_type(http, emu, world):
    emu.grant_role_assignments_with_condition(constrain([BLOB_CONTRIBUTOR], ["User"]))
    response, name = put_ra(http, emu, world["account"], world["sp_id"])
    abac_refusal(response, emu, "Microsoft.Authorization/roleAssignments/write", world["account"], name)
    body = {"properties": {"roleDefinitionId": role_id(emu, BLOB_CONTRIBUTOR), "principalId": emu.user["id"],
                           "principalType": "User"}}
    url = f"{ARM}{world['account']}/providers/Microsoft.Authorization/roleAssignments/{uuid.uuid4()}"
    assert http.put(url, params=RA_API, json=body).status_code == 201
    emu.grant_role_assignments_with_condition(constrain([BLOB_CONTRIBUTOR], ["servicePRINCIPAL"]))
    assert put_ra(http, emu, world["account"], world["sp_id"])[0].status_code == 201


def test_condition_guards_delete_by_the_existing_assignment(http, emu, world):
    reader = emu.add_role_assignment(world["account"], "Storage Blob Data Reader", world["sp_id"])
    contributor = emu.add_role_assignment(world["account"], "Storage Blob Data Contributor", world["sp_id"])
    emu.grant_role_assignments_with_condition(constrain([BLOB_CONTRIBUTOR]))
    response = http.delete(f"{ARM}{reader}", params=RA_API)
    abac_refusal(response, emu, "Microsoft.Authorization/roleAssignments/delete", world["account"],
                 reader.rsplit("/", 1)[-1])
    assert http.delete(f"{ARM}{contributor}", params=RA_API).status_code == 200
    assert [ra["id"] for ra in emu.snapshot()["roleAssignments"]] == [reader]


def test_condition_for_write_only_leaves_delete_alone(http, emu, world):
    reader = emu.add_role_assignment(world["account"], "Storage Blob Data Reader", world["sp_id"])
    emu.grant_role_assignments_with_condition(
        "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR "
        f"(@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals "
        f"{{{BLOB_DELEGATOR}}}))")
    assert put_ra(http, emu, world["account"], world["sp_id"])[0].status_code == 403
    assert put_ra(http, emu, world["account"], world["sp_id"], role=BLOB_DELEGATOR)[0].status_code == 201
    assert http.delete(f"{ARM}{reader}", params=RA_API).status_code == 200


def test_condition_without_a_role_or_type_set_allows(http, emu, world):
    emu.grant_role_assignments_with_condition(
        "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'data'")
    assert put_ra(http, emu, world["account"], world["sp_id"], role=BLOB_READER)[0].status_code == 201


def test_condition_knob_through_admin_document_and_reset(emu):
    condition = constrain([BLOB_CONTRIBUTOR])
    emu.knobs.apply({"role_assignment_condition": condition})
    assert emu.knobs.role_assignment_condition == condition
    assert emu.knobs.describe()["role_assignment_condition"] == condition
    emu.reset()
    assert emu.knobs.role_assignment_condition is None
    assert emu.knobs.describe()["role_assignment_condition"] is None


# ---- the SDK clients the extension uses ------------------------------------------------------------------
class _Credential:  # pylint: disable=too-few-public-methods
    def __init__(self, emu):
        self.emu = emu

    def get_token(self, *scopes, **kwargs):
        from azure.core.credentials import AccessToken
        import time
        return AccessToken(self.emu.token("https://management.core.windows.net/"), int(time.time()) + 3600)


def sdk_kwargs(emu):
    return {"connection_verify": emu.ca_bundle, "proxies": {"https": emu.proxy_url}, "retry_backoff_factor": 0.01}


def test_authorization_sdk_5_0_0b2(emu, world):
    from azure.mgmt.authorization import AuthorizationManagementClient
    client = AuthorizationManagementClient(_Credential(emu), emu.subscription_id, **sdk_kwargs(emu))
    created = client.role_assignments.create(
        world["container"], str(uuid.uuid4()),
        {"properties": {"roleDefinitionId": role_id(emu, BLOB_CONTRIBUTOR), "principalId": world["sp_id"],
                        "principalType": "ServicePrincipal"}})
    assert created.properties.principal_id == world["sp_id"]
    for i in range(3):
        emu.add_role_assignment(world["account"], "Reader", emu.add_service_principal(emu.add_application(f"x{i}")[1]))
    listed = list(client.role_assignments.list_for_scope(world["sub"], filter=f"principalId eq '{world['sp_id']}'"))
    assert [r.id for r in listed] == [created.id]
    assert len(list(client.role_assignments.list_for_scope(world["account"]))) == 5  # and the user's Owner grant
    found = list(client.role_definitions.list(world["account"], filter="roleName eq 'Storage Blob Delegator'"))
    assert found[0].name == BLOB_DELEGATOR


def test_storage_sdk_25(emu, world):
    from azure.mgmt.storage import StorageManagementClient
    from azure.mgmt.storage.models import BlobServiceProperties, CorsRule, CorsRules
    for i in range(3):
        emu.add_storage_account("rg", f"more{i}")
    client = StorageManagementClient(_Credential(emu), emu.subscription_id, **sdk_kwargs(emu))
    assert sorted(a.name for a in client.storage_accounts.list()) == ["acct", "more0", "more1", "more2"]
    account = client.storage_accounts.get_properties("rg", "acct")
    assert account.is_hns_enabled is True
    rule = CorsRule(allowed_origins=["https://app.activeloop.ai"], allowed_methods=["GET", "HEAD"],
                    allowed_headers=["*"], exposed_headers=[], max_age_in_seconds=0)
    client.blob_services.set_service_properties("rg", "acct", BlobServiceProperties(cors=CorsRules(cors_rules=[rule])))
    props = client.blob_services.get_service_properties("rg", "acct")
    assert props.cors.cors_rules[0].allowed_origins == ["https://app.activeloop.ai"]
    assert client.blob_containers.get("rg", "acct", "data").name == "data"
