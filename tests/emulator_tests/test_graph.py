"""Graph v1.0 contracts: applications, federated identity credentials, service principals."""
# pylint: disable=redefined-outer-name,too-many-positional-arguments,unused-argument
import pytest

from .conftest import GRAPH, error_of, follow_graph

ISSUER = "https://cognito-identity.amazonaws.com"
SUBJECT = "us-east-1:7bc30eb1-bac6-494b-bf53-5747849d45aa"
AUDIENCE = "us-east-1:57e5de2f-e2ec-4514-b9b0-f3bb8c4283c3"


def fic(name="deep_lake_credential", issuer=ISSUER, subject=SUBJECT, audiences=(AUDIENCE,)):
    return {"name": name, "issuer": issuer, "subject": subject, "audiences": list(audiences),
            "description": "Credentials for Deep Lake"}


def create_app(http, name="deeplake"):
    response = http.post(f"{GRAPH}/applications", json={"displayName": name})
    assert response.status_code == 201, response.text
    return response.json()


def assert_graph_error(response, status, code, message=None):
    assert response.status_code == status, response.text
    error = error_of(response)
    assert error["code"] == code
    assert set(error["innerError"]) == {"date", "request-id", "client-request-id"}
    if message is not None:
        assert error["message"] == message
    return error


def not_found_message(object_id):
    return (f"Resource '{object_id}' does not exist or one of its queried reference-property objects are not "
            "present.")


# ---- applications ----------------------------------------------------------------------------------------
def test_create_application_defaults(http):
    app = create_app(http)
    assert app["displayName"] == "deeplake"
    assert app["signInAudience"] == "AzureADMyOrg"
    assert app["id"] != app["appId"]
    for field in ("createdDateTime", "notes", "tags", "web", "api", "identifierUris"):
        assert field in app


def test_create_application_requires_display_name_and_known_properties(http):
    assert_graph_error(http.post(f"{GRAPH}/applications", json={}), 400, "Request_BadRequest")
    assert_graph_error(http.post(f"{GRAPH}/applications", json={"displayName": "x", "bogus": 1}), 400,
                       "Request_BadRequest")
    assert_graph_error(http.post(f"{GRAPH}/applications", json={"displayName": "x", "signInAudience": "Nope"}),
                       400, "Request_BadRequest")


def test_get_application_by_object_id_and_app_id(http):
    app = create_app(http)
    assert http.get(f"{GRAPH}/applications/{app['id']}").json()["appId"] == app["appId"]
    assert http.get(f"{GRAPH}/applications(appId='{app['appId']}')").json()["id"] == app["id"]
    assert_graph_error(http.get(f"{GRAPH}/applications/{app['appId']}"), 404, "Request_ResourceNotFound",
                       not_found_message(app["appId"]))


def test_error_envelope_echoes_client_request_id(http):
    response = http.get(f"{GRAPH}/applications/00000000-0000-0000-0000-000000000001",
                        headers={"client-request-id": "abc-123"})
    assert error_of(response)["innerError"]["client-request-id"] == "abc-123"


def test_filters(http):
    for name in ("alpha", "alphabet", "beta", "O'Brien"):
        create_app(http, name)

    def names(flt):
        return sorted(a["displayName"] for a in follow_graph(http, f"{GRAPH}/applications", **{"$filter": flt})[0])
    assert names("displayName eq 'alpha'") == ["alpha"]
    assert names("startswith(displayName,'alpha')") == ["alpha", "alphabet"]
    assert names("displayName eq 'O''Brien'") == ["O'Brien"]
    beta = follow_graph(http, f"{GRAPH}/applications", **{"$filter": "displayName eq 'beta'"})[0][0]
    assert names(f"appId eq '{beta['appId']}'") == ["beta"]
    assert_graph_error(http.get(f"{GRAPH}/applications", params={"$filter": "notes eq 'x'"}), 400,
                       "Request_UnsupportedQuery")
    assert_graph_error(http.get(f"{GRAPH}/applications", params={"$filter": "displayName ne 'x'"}), 400,
                       "Request_UnsupportedQuery")


def test_paging_and_top(http, emu):
    for i in range(5):
        create_app(http, f"app{i}")
    items, pages = follow_graph(http, f"{GRAPH}/applications")
    assert [a["displayName"] for a in items] == [f"app{i}" for i in range(5)]
    assert pages == 3
    assert follow_graph(http, f"{GRAPH}/applications", **{"$top": "1"})[1] == 5
    emu.page_size = 100
    assert follow_graph(http, f"{GRAPH}/applications")[1] == 1
    assert follow_graph(http, f"{GRAPH}/applications", **{"$top": "2"})[1] == 3


def test_next_link_keeps_filter(http):
    for i in range(3):
        create_app(http, f"keep{i}")
    create_app(http, "other")
    first = http.get(f"{GRAPH}/applications", params={"$filter": "startswith(displayName,'keep')"}).json()
    assert "startswith" in first["@odata.nextLink"] and "$skiptoken" in first["@odata.nextLink"]
    items, _ = follow_graph(http, f"{GRAPH}/applications", **{"$filter": "startswith(displayName,'keep')"})
    assert len(items) == 3


def test_expand_federated_identity_credentials(http):
    app = create_app(http)
    http.post(f"{GRAPH}/applications/{app['id']}/federatedIdentityCredentials", json=fic())
    listed = http.get(f"{GRAPH}/applications", params={"$expand": "federatedIdentityCredentials"}).json()["value"]
    assert listed[0]["federatedIdentityCredentials"][0]["subject"] == SUBJECT
    single = http.get(f"{GRAPH}/applications/{app['id']}", params={"$expand": "federatedIdentityCredentials"})
    assert len(single.json()["federatedIdentityCredentials"]) == 1
    assert "federatedIdentityCredentials" not in http.get(f"{GRAPH}/applications/{app['id']}").json()


def test_patch_and_delete_application(http, emu):
    app = create_app(http)
    response = http.patch(f"{GRAPH}/applications/{app['id']}", json={"notes": "hello", "tags": ["a"]})
    assert response.status_code == 204 and response.content == b""
    assert http.get(f"{GRAPH}/applications/{app['id']}").json()["notes"] == "hello"
    assert_graph_error(http.patch(f"{GRAPH}/applications/{app['id']}", json={"appId": "x"}), 400,
                       "Request_BadRequest")
    assert http.post(f"{GRAPH}/servicePrincipals", json={"appId": app["appId"]}).status_code == 201
    assert http.delete(f"{GRAPH}/applications/{app['id']}").status_code == 204
    assert http.get(f"{GRAPH}/applications/{app['id']}").status_code == 404
    assert emu.snapshot()["servicePrincipals"] == []


# ---- federated identity credentials -----------------------------------------------------------------------
def test_fic_lifecycle_by_id_and_name(http, emu):
    app = create_app(http)
    base = f"{GRAPH}/applications/{app['id']}/federatedIdentityCredentials"
    created = http.post(base, json=fic())
    assert created.status_code == 201
    fic_id = created.json()["id"]
    assert http.get(f"{base}/{fic_id}").json()["name"] == "deep_lake_credential"
    assert http.get(f"{base}/deep_lake_credential").json()["id"] == fic_id
    assert http.get(f"{base}(name='deep_lake_credential')").json()["id"] == fic_id
    patched = http.patch(f"{base}/deep_lake_credential", json={"description": "new"})
    assert patched.status_code == 204 and patched.content == b""
    assert http.get(base).json()["value"][0]["description"] == "new"
    assert_graph_error(http.patch(f"{base}/{fic_id}", json={"name": "renamed"}), 400, "Request_BadRequest")
    assert http.delete(f"{base}/deep_lake_credential").status_code == 204
    assert_graph_error(http.get(f"{base}/{fic_id}"), 404, "Request_ResourceNotFound")
    assert emu.snapshot()["applications"][0]["federatedIdentityCredentials"] == []


def test_fic_duplicate_name_is_409(http):
    app = create_app(http)
    base = f"{GRAPH}/applications/{app['id']}/federatedIdentityCredentials"
    http.post(base, json=fic())
    assert_graph_error(http.post(base, json=fic(subject="other")), 409, "Request_MultipleObjectsWithSameKeyValue",
                       "FederatedIdentityCredential with name deep_lake_credential already exists.")


def test_fic_issuer_subject_unique_case_sensitive(http):
    app = create_app(http)
    base = f"{GRAPH}/applications/{app['id']}/federatedIdentityCredentials"
    http.post(base, json=fic())
    error = assert_graph_error(http.post(base, json=fic(name="second")), 400, "InvalidFederatedIdentityCredentialValue")
    assert error["message"].startswith("The combination of issuer and subject must be unique for the application.")
    assert http.post(base, json=fic(name="third", subject=SUBJECT.upper())).status_code == 201


@pytest.mark.parametrize("name", ["ab", "_abc", "has space", "dot.name", "x" * 121])
def test_fic_invalid_names(http, name):
    app = create_app(http)
    assert_graph_error(http.post(f"{GRAPH}/applications/{app['id']}/federatedIdentityCredentials",
                                 json=fic(name=name)), 400, "Request_BadRequest")


def test_fic_name_limits_ok(http):
    app = create_app(http)
    base = f"{GRAPH}/applications/{app['id']}/federatedIdentityCredentials"
    assert http.post(base, json=fic(name="a-_")).status_code == 201
    assert http.post(base, json=fic(name="9" * 120, subject="s2")).status_code == 201


@pytest.mark.parametrize("audiences", [[], ["a", "b"]])
def test_fic_needs_exactly_one_audience(http, audiences):
    app = create_app(http)
    assert_graph_error(http.post(f"{GRAPH}/applications/{app['id']}/federatedIdentityCredentials",
                                 json=fic(audiences=audiences)), 400, "Request_BadRequest")


def test_fic_at_most_twenty(http, emu):
    object_id, _ = emu.add_application("many")
    for i in range(20):
        emu.add_federated_credential(object_id, f"cred{i}", ISSUER, f"subject-{i}")
    assert_graph_error(http.post(f"{GRAPH}/applications/{object_id}/federatedIdentityCredentials",
                                 json=fic(name="cred20")), 400, "Request_BadRequest")


def test_fic_on_unknown_app_is_404(http):
    missing = "11111111-2222-4333-8444-555555555555"
    assert_graph_error(http.post(f"{GRAPH}/applications/{missing}/federatedIdentityCredentials", json=fic()),
                       404, "Request_ResourceNotFound", not_found_message(missing))


# ---- service principals ----------------------------------------------------------------------------------
def test_service_principal_lifecycle(http):
    app = create_app(http)
    created = http.post(f"{GRAPH}/servicePrincipals", json={"appId": app["appId"]})
    assert created.status_code == 201
    sp = created.json()
    assert sp["appId"] == app["appId"] and sp["id"] not in (app["id"], app["appId"])
    assert_graph_error(http.post(f"{GRAPH}/servicePrincipals", json={"appId": app["appId"]}), 409,
                       "Request_MultipleObjectsWithSameKeyValue")
    assert http.get(f"{GRAPH}/servicePrincipals/{sp['id']}").json()["appId"] == app["appId"]
    assert http.get(f"{GRAPH}/servicePrincipals(appId='{app['appId']}')").json()["id"] == sp["id"]
    listed = http.get(f"{GRAPH}/servicePrincipals", params={"$filter": f"appId eq '{app['appId']}'"}).json()
    assert [s["id"] for s in listed["value"]] == [sp["id"]]
    by_name = http.get(f"{GRAPH}/servicePrincipals", params={"$filter": "displayName eq 'deeplake'"}).json()
    assert len(by_name["value"]) == 1
    assert http.delete(f"{GRAPH}/servicePrincipals/{sp['id']}").status_code == 204
    assert http.get(f"{GRAPH}/servicePrincipals/{sp['id']}").status_code == 404


def test_service_principal_for_unknown_app(http):
    app_id = "99999999-8888-4777-8666-555555555555"
    error = assert_graph_error(http.post(f"{GRAPH}/servicePrincipals", json={"appId": app_id}), 400,
                               "Request_BadRequest")
    assert error["message"] == (f"The appId '{app_id}' of the service principal does not reference a valid "
                                "application object.")
    assert error["details"][0]["code"] == "NoBackingApplicationObject"


def test_service_principal_for_external_multitenant_app(http, emu):
    vendor_app = "0a1b2c3d-0000-4000-8000-000000000abc"
    emu.add_external_application(vendor_app, "Deep Lake")
    created = http.post(f"{GRAPH}/servicePrincipals", json={"appId": vendor_app})
    assert created.status_code == 201 and created.json()["displayName"] == "Deep Lake"
    assert http.get(f"{GRAPH}/applications(appId='{vendor_app}')").status_code == 404


# ---- the rest --------------------------------------------------------------------------------------------
def test_me_organization_and_get_by_ids(http, emu, world):
    me = http.get(f"{GRAPH}/me").json()
    assert me["id"] == emu.user["id"] and me["userPrincipalName"] == emu.user["userPrincipalName"]
    assert http.get(f"{GRAPH}/organization").json()["value"][0]["id"] == emu.tenant_id
    found = http.post(f"{GRAPH}/directoryObjects/getByIds",
                      json={"ids": [world["sp_id"], me["id"], "00000000-0000-0000-0000-000000000000"],
                            "types": ["user", "servicePrincipal"]}).json()["value"]
    assert sorted(o["@odata.type"] for o in found) == ["#microsoft.graph.servicePrincipal", "#microsoft.graph.user"]


def test_requires_bearer_token(http):
    response = http.get(f"{GRAPH}/applications", headers={"Authorization": "Basic x"})
    assert_graph_error(response, 401, "InvalidAuthenticationToken")


def test_unknown_segment_is_400(http):
    assert_graph_error(http.get(f"{GRAPH}/nonsense"), 400, "BadRequest")
