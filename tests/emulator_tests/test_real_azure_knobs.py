"""The knobs for how real Azure differs from the happy path, and the contracts added with them: Graph's uniqueName
upsert and soft delete, list lag, service principal refusals, non-owners, consent, blob service PUTs, endpoints."""
# pylint: disable=redefined-outer-name,unused-argument
import time

from .conftest import API, ARM, GRAPH, error_of

UPSERT = {"Prefer": "create-if-missing"}
FIC = {"name": "cred1", "issuer": "https://i", "subject": "s", "audiences": ["a"]}


def upsert(http, key, name="app", prefer=True):
    return http.patch(f"{GRAPH}/applications(uniqueName='{key}')", json={"displayName": name},
                      headers=UPSERT if prefer else {})


def test_upsert_creates_once_then_updates_and_needs_the_header(http, emu):
    assert upsert(http, "k1", prefer=False).status_code == 404
    created = upsert(http, "k1")
    assert created.status_code == 201 and created.json()["uniqueName"] == "k1"
    again = upsert(http, "k1", name="renamed")
    assert again.status_code == 204 and not again.content
    read = http.get(f"{GRAPH}/applications(uniqueName='k1')").json()
    assert read["id"] == created.json()["id"] and read["displayName"] == "renamed"
    assert len(emu.snapshot()["applications"]) == 1


def test_upsert_of_an_existing_key_applies_the_body(http, emu):
    created = http.patch(f"{GRAPH}/applications(uniqueName='k4')", headers=UPSERT,
                         json={"displayName": "first", "tags": ["a", "b"], "notes": "kept"}).json()
    again = http.patch(f"{GRAPH}/applications(uniqueName='k4')", headers=UPSERT,
                       json={"displayName": "second", "tags": ["HideApp"]})
    assert again.status_code == 204 and not again.content
    read = http.get(f"{GRAPH}/applications/{created['id']}").json()
    assert (read["displayName"], read["tags"], read["notes"]) == ("second", ["HideApp"], "kept")
    assert read["uniqueName"] == "k4"


def test_a_deleted_application_keeps_its_unique_name(http, emu):
    app = upsert(http, "k2").json()
    assert http.delete(f"{GRAPH}/applications/{app['id']}").status_code == 204
    refused = upsert(http, "k2")
    assert refused.status_code == 400 and "uniqueName already exists" in error_of(refused)["message"]
    assert [a["uniqueName"] for a in emu.snapshot()["deletedApplications"]] == ["k2"]
    assert upsert(http, "k2-2").status_code == 201


def test_list_lag_hides_new_objects_from_lists_but_not_from_keys(http, emu):
    emu.graph_list_lag = 0.6
    app = upsert(http, "k3", name="lagging").json()
    sp = http.post(f"{GRAPH}/servicePrincipals", json={"appId": app["appId"]}).json()
    assert http.get(f"{GRAPH}/applications", params={"$filter": "displayName eq 'lagging'"}).json()["value"] == []
    assert http.get(f"{GRAPH}/servicePrincipals", params={"$filter": f"appId eq '{app['appId']}'"}).json()[
        "value"] == []
    assert http.get(f"{GRAPH}/applications(uniqueName='k3')").status_code == 200
    assert http.get(f"{GRAPH}/servicePrincipals(appId='{app['appId']}')").json()["id"] == sp["id"]
    time.sleep(0.65)
    assert len(http.get(f"{GRAPH}/applications", params={"$filter": "displayName eq 'lagging'"}).json()["value"]) == 1


def test_a_principal_for_a_replicating_application_can_be_refused_with_403(http, emu):
    emu.graph_replication_delay = 0.6
    emu.sp_create_forbidden_while_replicating = True
    app = http.post(f"{GRAPH}/applications", json={"displayName": "new"}).json()
    refused = http.post(f"{GRAPH}/servicePrincipals", json={"appId": app["appId"]})
    assert refused.status_code == 403 and "must in the local tenant" in error_of(refused)["message"]
    time.sleep(0.65)
    assert http.post(f"{GRAPH}/servicePrincipals", json={"appId": app["appId"]}).status_code == 201


def test_non_owners_may_not_read_or_change_credentials(http, emu):
    object_id, _ = emu.add_application("foreign", owned=False)
    emu.add_federated_credential(object_id, "c", "https://i", "other-subject")
    listing = {"$filter": "displayName eq 'foreign'", "$expand": "federatedIdentityCredentials"}
    emu.non_owner_access = "deny"
    assert http.get(f"{GRAPH}/applications", params=listing).status_code == 403
    assert http.get(f"{GRAPH}/applications", params={"$filter": "displayName eq 'foreign'"}).status_code == 200
    emu.non_owner_access = "empty"
    assert http.get(f"{GRAPH}/applications", params=listing).json()["value"][0]["federatedIdentityCredentials"] == []
    assert http.post(f"{GRAPH}/applications/{object_id}/federatedIdentityCredentials", json=FIC).status_code == 403
    emu.non_owner_access = None
    assert http.post(f"{GRAPH}/applications/{object_id}/federatedIdentityCredentials", json=FIC).status_code == 201


def test_credential_values_over_600_characters_are_refused(http, emu):
    app = http.post(f"{GRAPH}/applications", json={"displayName": "x"}).json()
    too_long = dict(FIC, audiences=["a" * 601])
    refused = http.post(f"{GRAPH}/applications/{app['id']}/federatedIdentityCredentials", json=too_long)
    assert refused.status_code == 400 and "audiences" in error_of(refused)["message"]


def test_consent_is_needed_to_install_another_tenants_application(http, emu):
    emu.add_external_application("3c8e1a57-2f4b-4d6e-9a0c-7b5d2e1f4a68", "Deep Lake")
    emu.deny("graph.consent")
    refused = http.post(f"{GRAPH}/servicePrincipals", json={"appId": "3c8e1a57-2f4b-4d6e-9a0c-7b5d2e1f4a68"})
    assert refused.status_code == 403
    emu.allow()
    body = {"appId": "3c8e1a57-2f4b-4d6e-9a0c-7b5d2e1f4a68", "tags": ["az-deeplake"]}
    created = http.post(f"{GRAPH}/servicePrincipals", json=body)
    assert created.status_code == 201 and created.json()["tags"] == ["az-deeplake"]


def test_a_blob_service_put_can_reset_what_it_leaves_out(http, emu):
    emu.add_resource_group("rg", "eastus")
    settings = {"isVersioningEnabled": True, "deleteRetentionPolicy": {"enabled": True, "days": 7}}
    emu.add_storage_account("rg", "acct", blob_properties=settings)
    url = (f"{ARM}/subscriptions/{emu.subscription_id}/resourceGroups/rg/providers/Microsoft.Storage/"
           "storageAccounts/acct/blobServices/default")
    cors_only = {"properties": {"cors": {"corsRules": []}}}
    assert http.put(url, params=API, json=cors_only).status_code == 200
    assert emu.blob_service_properties("rg", "acct")["isVersioningEnabled"] is True  # the documented reading
    emu.blob_put_resets_omitted = True
    assert http.put(url, params=API, json=cors_only).status_code == 200
    after = emu.blob_service_properties("rg", "acct")
    assert "isVersioningEnabled" not in after and after["deleteRetentionPolicy"]["enabled"] is False


def test_accounts_can_carry_every_readiness_problem(http, emu):
    emu.add_resource_group("rg", "eastus")
    problems = {"publicNetworkAccess": "Disabled", "networkAcls": {"defaultAction": "Deny"},
                "dnsEndpointType": "AzureDnsZone"}
    emu.add_storage_account("rg", "acct", properties=problems)
    account = http.get(f"{ARM}/subscriptions/{emu.subscription_id}/resourceGroups/rg/providers/Microsoft.Storage/"
                       "storageAccounts/acct", params=API).json()["properties"]
    assert account["publicNetworkAccess"] == "Disabled" and account["networkAcls"]["defaultAction"] == "Deny"
    assert account["primaryEndpoints"]["blob"] == "https://acct.z13.blob.storage.azure.net/"
