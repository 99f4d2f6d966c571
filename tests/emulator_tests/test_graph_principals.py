"""Graph v1.0: who can act as an application. Users, owners of applications and service principals (also by
$expand), their credentials (addPassword, addKey and their removal), what a service principal holds in Graph
(appRoleAssignments, memberOf), and whose application a service principal stands for (publisher fields)."""
# pylint: disable=redefined-outer-name,too-many-positional-arguments,unused-argument
import base64

import pytest
import requests

from tests.emulator import Emulator

from .conftest import GRAPH, follow_graph
from .test_graph import assert_graph_error, not_found_message

UPN = "grace@contoso.onmicrosoft.com"
GLOBAL_READER = "f2ef992c-3afb-46b9-b7cf-a126ee74c451"
MANAGED_IDENTITY_TENANT = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"
NO_PUBLISHER = {"displayName": None, "verifiedPublisherId": None, "addedDateTime": None}
CERTIFICATE = base64.b64encode(b"not really a certificate").decode()


@pytest.fixture
def grace(emu):
    return emu.add_user(UPN, "Grace Hopper")


def owner_ref(object_id):
    return {"@odata.id": f"https://graph.microsoft.com/v1.0/directoryObjects/{object_id}"}


def owners(http, path):
    return [(o["@odata.type"], o["id"], o["displayName"]) for o in follow_graph(http, f"{GRAPH}/{path}/owners")[0]]


def user_entry(user_id, name):
    return ("#microsoft.graph.user", user_id, name)


# ---- users -----------------------------------------------------------------------------------------------
def test_add_user_and_get_by_id_or_upn(http, emu, grace):
    assert grace != emu.user["id"]
    for key in (grace, UPN):
        user = http.get(f"{GRAPH}/users/{key}").json()
        assert (user["id"], user["userPrincipalName"], user["displayName"]) == (grace, UPN, "Grace Hopper")
    assert http.get(f"{GRAPH}/users/{emu.user['id']}").json()["displayName"] == emu.user["displayName"]
    missing = "00000000-0000-0000-0000-000000000001"
    assert_graph_error(http.get(f"{GRAPH}/users/{missing}"), 404, "Request_ResourceNotFound",
                       not_found_message(missing))


# ---- owners ----------------------------------------------------------------------------------------------
def test_application_owners_seeded_listed_added_and_removed(http, emu, world, grace):
    object_id, app_id = emu.add_application("owned", owners=[grace])
    me = user_entry(emu.user["id"], emu.user["displayName"])
    assert owners(http, f"applications/{object_id}") == [me, user_entry(grace, "Grace Hopper")]
    assert owners(http, f"applications(appId='{app_id}')") == [me, user_entry(grace, "Grace Hopper")]
    listed = http.get(f"{GRAPH}/applications/{object_id}/owners").json()
    assert listed["@odata.context"] == f"{GRAPH}/$metadata#directoryObjects"
    assert listed["value"][1]["userPrincipalName"] == UPN
    url = f"{GRAPH}/applications/{object_id}/owners"
    added = http.post(f"{url}/$ref", json=owner_ref(world["sp_id"]))
    assert added.status_code == 204 and not added.content
    sp_owner = follow_graph(http, url)[0][2]
    assert (sp_owner["@odata.type"], sp_owner["id"], sp_owner["appId"]) == (
        "#microsoft.graph.servicePrincipal", world["sp_id"], world["app_id"])
    assert_graph_error(http.post(f"{url}/$ref", json=owner_ref(grace)), 400, "Request_BadRequest",
                       "One or more added object references already exist for the following modified properties: "
                       "'owners'.")
    missing = "00000000-0000-0000-0000-000000000002"
    assert_graph_error(http.post(f"{url}/$ref", json=owner_ref(missing)), 404, "Request_ResourceNotFound")
    assert_graph_error(http.post(f"{url}/$ref", json={"@odata.id": "nonsense"}), 400, "Request_BadRequest")
    assert http.delete(f"{url}/{grace}/$ref").status_code == 204
    assert_graph_error(http.delete(f"{url}/{grace}/$ref"), 404, "Request_ResourceNotFound")
    assert [o[1] for o in owners(http, f"applications/{object_id}")] == [emu.user["id"], world["sp_id"]]


def test_application_without_the_user_as_owner(http, emu, grace):
    object_id, _ = emu.add_application("theirs", owned=False, owners=[grace])
    assert owners(http, f"applications/{object_id}") == [user_entry(grace, "Grace Hopper")]
    with pytest.raises(KeyError):
        emu.add_application("nobody's", owners=["00000000-0000-0000-0000-000000000003"])


def test_an_application_created_over_http_is_owned_by_its_creator(http, emu):
    app = http.post(f"{GRAPH}/applications", json={"displayName": "mine"}).json()
    assert owners(http, f"applications/{app['id']}") == [user_entry(emu.user["id"], emu.user["displayName"])]


def test_service_principal_owners(http, emu, world, grace):
    assert owners(http, f"servicePrincipals/{world['sp_id']}") == []
    emu.add_owner(world["sp_id"], grace)
    assert owners(http, f"servicePrincipals(appId='{world['app_id']}')") == [user_entry(grace, "Grace Hopper")]
    url = f"{GRAPH}/servicePrincipals/{world['sp_id']}/owners"
    assert http.post(f"{url}/$ref", json=owner_ref(emu.user["id"])).status_code == 204
    assert http.delete(f"{url}/{grace}/$ref").status_code == 204
    assert [o[1] for o in owners(http, f"servicePrincipals/{world['sp_id']}")] == [emu.user["id"]]
    with pytest.raises(KeyError):
        emu.add_owner("00000000-0000-0000-0000-000000000004", grace)


def test_expand_owners_on_every_read_by_key(http, emu, world, grace):
    object_id, app_id = emu.add_application("keyed", uniqueName="key-1", owners=[grace])
    emu.add_owner(world["sp_id"], grace)
    for path in (f"applications/{object_id}", f"applications(appId='{app_id}')", "applications(uniqueName='key-1')",
                 f"servicePrincipals/{world['sp_id']}", f"servicePrincipals(appId='{world['app_id']}')"):
        body = http.get(f"{GRAPH}/{path}", params={"$expand": "owners"}).json()
        assert grace in [o["id"] for o in body["owners"]], path
    narrowed = http.get(f"{GRAPH}/applications/{object_id}", params={"$expand": "owners($select=id)"}).json()
    assert narrowed["owners"][1] == {"@odata.type": "#microsoft.graph.user", "id": grace}
    both = http.get(f"{GRAPH}/applications/{object_id}", params={"$expand": "owners,federatedIdentityCredentials"})
    assert_graph_error(both, 400, "Request_BadRequest")
    assert_graph_error(http.get(f"{GRAPH}/servicePrincipals/{world['sp_id']}",
                                params={"$expand": "federatedIdentityCredentials"}), 400, "BadRequest")


def test_deny_owner_reads(http, emu, world):
    emu.deny("graph.owners.read")
    for path in (f"applications/{world['app_object_id']}/owners", f"servicePrincipals/{world['sp_id']}/owners"):
        assert_graph_error(http.get(f"{GRAPH}/{path}"), 403, "Authorization_RequestDenied")
    assert_graph_error(http.get(f"{GRAPH}/applications/{world['app_object_id']}", params={"$expand": "owners"}),
                       403, "Authorization_RequestDenied")
    assert http.get(f"{GRAPH}/applications/{world['app_object_id']}").status_code == 200


# ---- credentials -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["applications", "servicePrincipals"])
def test_add_and_remove_password(http, emu, world, kind):
    object_id = world["app_object_id"] if kind == "applications" else world["sp_id"]
    url = f"{GRAPH}/{kind}/{object_id}"
    added = http.post(f"{url}/addPassword", json={"passwordCredential": {"displayName": "ci",
                                                                         "endDateTime": "2031-01-01T00:00:00Z"}})
    assert added.status_code == 200
    secret = added.json()
    assert set(secret) == {"@odata.context", "customKeyIdentifier", "displayName", "endDateTime", "hint", "keyId",
                           "secretText", "startDateTime"}
    assert (secret["displayName"], secret["endDateTime"], secret["hint"]) == (
        "ci", "2031-01-01T00:00:00Z", secret["secretText"][:3])
    assert len(secret["secretText"]) == 40
    stored = http.get(url).json()["passwordCredentials"]
    assert stored == [dict({k: v for k, v in secret.items() if k != "@odata.context"}, secretText=None)]
    listed = follow_graph(http, f"{GRAPH}/{kind}")[0]
    assert [c["secretText"] for item in listed for c in item["passwordCredentials"]] == [None]
    assert http.post(f"{url}/removePassword", json={"keyId": secret["keyId"]}).status_code == 204
    assert http.get(url).json()["passwordCredentials"] == []
    assert_graph_error(http.post(f"{url}/removePassword", json={"keyId": secret["keyId"]}), 404,
                       "Request_ResourceNotFound")


def test_add_password_default_lifetime_is_two_years(http, world):
    secret = http.post(f"{GRAPH}/applications/{world['app_object_id']}/addPassword", json={}).json()
    assert int(secret["endDateTime"][:4]) - int(secret["startDateTime"][:4]) in (1, 2)
    assert secret["displayName"] is None


@pytest.mark.parametrize("kind", ["applications", "servicePrincipals"])
def test_add_and_remove_key(http, emu, world, kind):
    object_id = world["app_object_id"] if kind == "applications" else world["sp_id"]
    url = f"{GRAPH}/{kind}/{object_id}"
    body = {"keyCredential": {"type": "AsymmetricX509Cert", "usage": "Verify", "key": CERTIFICATE,
                              "displayName": "cert"}, "passwordCredential": None, "proof": "eyJ.proof.jwt"}
    added = http.post(f"{url}/addKey", json=body)
    assert added.status_code == 200
    key = added.json()
    assert (key["key"], key["type"], key["usage"], key["displayName"]) == (None, "AsymmetricX509Cert", "Verify", "cert")
    assert set(key) - {"@odata.context"} == {"customKeyIdentifier", "displayName", "endDateTime", "key", "keyId",
                                             "startDateTime", "type", "usage"}
    assert http.get(url).json()["keyCredentials"] == [{k: v for k, v in key.items() if k != "@odata.context"}]
    assert_graph_error(http.post(f"{url}/addKey", json=dict(body, proof=None)), 400, "Request_BadRequest")
    assert_graph_error(http.post(f"{url}/addKey", json={"keyCredential": {"type": "AsymmetricX509Cert"},
                                                        "proof": "p"}), 400, "Request_BadRequest")
    assert http.post(f"{url}/removeKey", json={"keyId": key["keyId"], "proof": "p"}).status_code == 204
    assert http.get(url).json()["keyCredentials"] == []


def test_seeded_credentials(http, emu, world):
    password = emu.add_password(world["app_object_id"])
    key = emu.add_key(world["sp_id"])
    app = http.get(f"{GRAPH}/applications/{world['app_object_id']}").json()
    assert [(c["keyId"], c["displayName"], c["secretText"]) for c in app["passwordCredentials"]] == [
        (password, "secret", None)]
    sp = http.get(f"{GRAPH}/servicePrincipals/{world['sp_id']}").json()
    assert [(c["keyId"], c["displayName"], c["key"]) for c in sp["keyCredentials"]] == [(key, "certificate", None)]
    dated = emu.add_password(world["sp_id"], "old", end_date_time="2020-01-01T00:00:00Z")
    sp = http.get(f"{GRAPH}/servicePrincipals/{world['sp_id']}").json()
    assert [(c["keyId"], c["endDateTime"]) for c in sp["passwordCredentials"]] == [(dated, "2020-01-01T00:00:00Z")]


def test_credentials_need_write_rights(http, emu, world):
    emu.deny("graph.applications.write")
    assert_graph_error(http.post(f"{GRAPH}/applications/{world['app_object_id']}/addPassword", json={}), 403,
                       "Authorization_RequestDenied")


def test_patched_key_credentials_are_stored_without_key_values(http, world):
    url = f"{GRAPH}/applications/{world['app_object_id']}"
    patch = {"keyCredentials": [{"type": "AsymmetricX509Cert", "usage": "Verify", "key": CERTIFICATE}]}
    assert http.patch(url, json=patch).status_code == 204
    stored = http.get(url).json()["keyCredentials"]
    assert [(k["key"], k["type"], k["usage"]) for k in stored] == [(None, "AsymmetricX509Cert", "Verify")]


# ---- what a service principal holds in Graph -------------------------------------------------------------
def test_app_role_assignments_and_member_of(http, emu, world):
    assignment = emu.add_app_role_assignment(world["sp_id"])
    role = emu.add_directory_role_member(world["sp_id"])
    granted = follow_graph(http, f"{GRAPH}/servicePrincipals/{world['sp_id']}/appRoleAssignments")[0]
    assert [(a["id"], a["appRoleId"], a["principalId"], a["principalType"], a["principalDisplayName"],
             a["resourceDisplayName"]) for a in granted] == [
        (assignment, "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9", world["sp_id"], "ServicePrincipal", "deeplake-app",
         "Microsoft Graph")]
    assert set(granted[0]) == {"id", "deletedDateTime", "appRoleId", "createdDateTime", "principalDisplayName",
                               "principalId", "principalType", "resourceDisplayName", "resourceId"}
    member_of = follow_graph(http, f"{GRAPH}/servicePrincipals(appId='{world['app_id']}')/memberOf")[0]
    assert member_of == [{"@odata.type": "#microsoft.graph.directoryRole", "id": role, "deletedDateTime": None,
                          "description": "Can read everything that a Global Administrator can, but not update "
                                         "anything.", "displayName": "Global Reader", "roleTemplateId": GLOBAL_READER}]
    other = emu.add_service_principal(emu.add_application("other")[1])
    assert emu.add_directory_role_member(other, "global reader") == role  # one activated role per tenant
    second = emu.add_app_role_assignment(other, "Office 365 Exchange Online", "dc50a0fb-09a3-484d-be87-e023b12c6440")
    granted = follow_graph(http, f"{GRAPH}/servicePrincipals/{other}/appRoleAssignments")[0]
    assert [a["id"] for a in granted] == [second] and granted[0]["resourceId"] != assignment
    with pytest.raises(KeyError):
        emu.add_directory_role_member(other, "No Such Role")


def test_deny_principal_grant_reads(http, emu, world):
    emu.deny("graph.principalGrants.read")
    for what in ("appRoleAssignments", "memberOf"):
        assert_graph_error(http.get(f"{GRAPH}/servicePrincipals/{world['sp_id']}/{what}"), 403,
                           "Authorization_RequestDenied")


# ---- whose application -----------------------------------------------------------------------------------
def publisher(sp):
    return (sp["appOwnerOrganizationId"], sp["publisherName"], sp["verifiedPublisher"], sp["servicePrincipalType"])


def test_local_application_service_principal_is_published_by_this_tenant(http, emu, world):
    sp = http.get(f"{GRAPH}/servicePrincipals/{world['sp_id']}").json()
    assert publisher(sp) == (emu.tenant_id, "Contoso (emulated)", NO_PUBLISHER, "Application")
    assert http.get(f"{GRAPH}/applications(appId='{world['app_id']}')").status_code == 200


def test_external_application_publisher_defaults_and_explicit(http, emu):
    emu.add_external_application("0a1b2c3d-0000-4000-8000-000000000001", "Deep Lake")
    created = http.post(f"{GRAPH}/servicePrincipals", json={"appId": "0a1b2c3d-0000-4000-8000-000000000001"}).json()
    assert publisher(created) == (Emulator.OTHER_TENANT_ID, Emulator.OTHER_TENANT_NAME, NO_PUBLISHER, "Application")
    verified = {"displayName": "Activeloop", "verifiedPublisherId": "1234567", "addedDateTime": "2023-01-01T00:00:00Z"}
    emu.add_external_application("0a1b2c3d-0000-4000-8000-000000000002", "Deep Lake", publisher_name="Activeloop",
                                 publisher_tenant_id="7e1b8c2d-0000-4000-8000-000000000003",
                                 verified_publisher=verified)
    sp_id = emu.add_service_principal("0a1b2c3d-0000-4000-8000-000000000002")
    assert publisher(http.get(f"{GRAPH}/servicePrincipals/{sp_id}").json()) == (
        "7e1b8c2d-0000-4000-8000-000000000003", "Activeloop", verified, "Application")


def test_managed_identity(http, emu):
    sp_id, app_id = emu.add_managed_identity("deeplake-identity")
    sp = http.get(f"{GRAPH}/servicePrincipals/{sp_id}").json()
    assert (sp["appId"], sp["displayName"], sp["appOwnerOrganizationId"], sp["servicePrincipalType"]) == (
        app_id, "deeplake-identity", MANAGED_IDENTITY_TENANT, "ManagedIdentity")
    assert sp["alternativeNames"] == [
        "isExplicit=True", f"/subscriptions/{emu.subscription_id}/resourcegroups/identities/providers/"
                           "Microsoft.ManagedIdentity/userAssignedIdentities/deeplake-identity"]
    assert_graph_error(http.get(f"{GRAPH}/applications(appId='{app_id}')"), 404, "Request_ResourceNotFound")
    assert [(s["id"], s["appId"]) for s in emu.snapshot()["servicePrincipals"]] == [(sp_id, app_id)]


# ---- seeding through the admin API -----------------------------------------------------------------------
def test_admin_api_seeds_principals_and_what_they_hold(http, emu):
    admin = f"http://127.0.0.1:{emu.token_port}/_emulator"
    seeded = requests.post(f"{admin}/seed", timeout=5, json={
        "users": [{"user_principal_name": UPN, "display_name": "Grace Hopper"}],
        "managed_identities": [{"display_name": "mi"}]}).json()
    user_id = seeded["created"]["users"][0]
    sp_id = seeded["created"]["managed_identities"][0][0]
    seeded = requests.post(f"{admin}/seed", timeout=5, json={
        "owners": [{"object_id": sp_id, "owner_id": user_id}], "passwords": [{"object_id": sp_id}],
        "keys": [{"object_id": sp_id}], "app_role_assignments": [{"sp_id": sp_id}],
        "directory_role_members": [{"sp_id": sp_id, "role_display_name": "Application Administrator"}]}).json()
    assert set(seeded["created"]) == {"owners", "passwords", "keys", "app_role_assignments",
                                      "directory_role_members"}
    assert [o[1] for o in owners(http, f"servicePrincipals/{sp_id}")] == [user_id]
    sp = http.get(f"{GRAPH}/servicePrincipals/{sp_id}").json()
    assert (len(sp["passwordCredentials"]), len(sp["keyCredentials"])) == (1, 1)
    roles = follow_graph(http, f"{GRAPH}/servicePrincipals/{sp_id}/memberOf")[0]
    assert [r["roleTemplateId"] for r in roles] == ["9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3"]
