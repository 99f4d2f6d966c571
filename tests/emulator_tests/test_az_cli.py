"""The real az (2.91) against the emulator in an emulated Cloud Shell: az login --identity, then core
commands. These need the Cloud Shell token port, 50342, free on this machine."""
# pylint: disable=redefined-outer-name,too-many-positional-arguments,unused-argument
import json

import pytest

from tests.cloudshell import CloudShell

from .conftest import BLOB_CONTRIBUTOR, BLOB_DELEGATOR, GRAPH

ISSUER = "https://cognito-identity.amazonaws.com"
SUBJECT = "us-east-1:7bc30eb1-bac6-494b-bf53-5747849d45aa"
AUDIENCE = "us-east-1:57e5de2f-e2ec-4514-b9b0-f3bb8c4283c3"


def json_of(shell, *args):
    return shell.az(*args, check=True).json


def calls(emulator):
    """(method, host, path, query) of the Graph and ARM requests, without the token plumbing."""
    return [(e["method"], e["host"], e["path"], e["query"]) for e in emulator.requests()
            if e["service"] in ("graph", "arm")]


@pytest.fixture(scope="module")
def cloud_shell(cloud_shell_emulator, tmp_path_factory):
    """The session's Cloud Shell emulator and an az config dir logged in with `az login --identity`."""
    cloud_shell_emulator.reset()
    shell = CloudShell(cloud_shell_emulator, str(tmp_path_factory.mktemp("az-cli")))
    login = shell.login().json
    yield shell, login, cloud_shell_emulator.requests()


@pytest.fixture
def az(cloud_shell):
    shell = cloud_shell[0]
    shell.emulator.reset()  # same seeded tenant and subscription ids: the login stays valid
    yield shell
    shell.emulator.reset()


@pytest.fixture
def world(az):
    emu = az.emulator
    emu.add_resource_group("rg", "eastus")
    emu.add_storage_account("rg", "acct", hns=True)
    emu.add_container("rg", "acct", "data")
    _, app_id = emu.add_application("deeplake-app")
    sub = f"/subscriptions/{emu.subscription_id}"
    account = f"{sub}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct"
    return {"app_id": app_id, "sp_id": emu.add_service_principal(app_id), "account": account,
            "container": f"{account}/blobServices/default/containers/data"}


def test_login_identity(cloud_shell):
    az, login, log = cloud_shell
    emu = az.emulator
    assert [(s["id"], s["tenantId"], s["user"]["name"], s["user"]["type"], s["user"]["cloudShellID"])
            for s in login] == [(emu.subscription_id, emu.tenant_id, emu.user["userPrincipalName"], "user", True)]
    assert [(e["method"], e["host"], e["path"]) for e in log] == [
        ("GET", "login.microsoftonline.com", "/common//v2.0/.well-known/openid-configuration"),
        ("POST", "localhost", "/oauth2/token"),
        ("POST", "localhost", "/oauth2/token"),
        ("GET", "management.azure.com", "/subscriptions")]
    assert log[1]["body"] == {"resource": "https://management.core.windows.net/"}
    assert log[3]["query"] == {"api-version": "2022-12-01"}


def test_ad_app_create(az):
    app = json_of(az, "ad", "app", "create", "--display-name", "deeplake-fic")
    assert [(a["appId"], a["displayName"]) for a in az.emulator.snapshot()["applications"]] == [
        (app["appId"], "deeplake-fic")]
    assert calls(az.emulator) == [
        ("GET", "graph.microsoft.com", "/v1.0/applications", {"$filter": "startswith(displayName,'deeplake-fic')"}),
        ("POST", "graph.microsoft.com", "/v1.0/applications", {})]
    az.emulator.clear_requests()
    again = json_of(az, "ad", "app", "create", "--display-name", "deeplake-fic")  # az patches an exact-name match
    assert again["appId"] == app["appId"] and len(az.emulator.snapshot()["applications"]) == 1
    assert [c[0] for c in calls(az.emulator)] == ["GET", "PATCH", "GET"]


def test_ad_app_federated_credential_create_and_list(az, world):
    parameters = json.dumps({"name": "deep_lake_credential", "issuer": ISSUER, "subject": SUBJECT,
                             "audiences": [AUDIENCE], "description": "Credentials for Deep Lake"})
    created = json_of(az, "ad", "app", "federated-credential", "create", "--id", world["app_id"],
                      "--parameters", parameters)
    assert created["name"] == "deep_lake_credential"
    fics = az.emulator.snapshot()["applications"][0]["federatedIdentityCredentials"]
    assert [(f["issuer"], f["subject"], f["audiences"]) for f in fics] == [(ISSUER, SUBJECT, [AUDIENCE])]
    listed = json_of(az, "ad", "app", "federated-credential", "list", "--id", world["app_id"])
    assert [f["id"] for f in listed] == [created["id"]]
    duplicate = az.az("ad", "app", "federated-credential", "create", "--id", world["app_id"], "--parameters",
                      parameters)
    assert duplicate.returncode != 0 and "already exists" in duplicate.stderr


def test_ad_sp_create(az):
    _, app_id = az.emulator.add_application("needs-sp")
    sp = json_of(az, "ad", "sp", "create", "--id", app_id)
    assert [(s["id"], s["appId"]) for s in az.emulator.snapshot()["servicePrincipals"]] == [(sp["id"], app_id)]
    assert calls(az.emulator)[-1] == ("POST", "graph.microsoft.com", "/v1.0/servicePrincipals", {})


def test_role_assignment_create_on_container_and_account(az, world):
    common = ["role", "assignment", "create", "--assignee-object-id", world["sp_id"],
              "--assignee-principal-type", "ServicePrincipal"]
    on_container = json_of(az, *common, "--role", "Storage Blob Data Contributor", "--scope", world["container"])
    on_account = json_of(az, *common, "--role", "Storage Blob Delegator", "--scope", world["account"])
    assert on_container["scope"] == world["container"] and on_account["scope"] == world["account"]
    snap = {(ra["scope"], ra["roleName"], ra["principalId"]) for ra in az.emulator.snapshot()["roleAssignments"]}
    assert snap == {(world["container"], "Storage Blob Data Contributor", world["sp_id"]),
                    (world["account"], "Storage Blob Delegator", world["sp_id"])}
    methods = [(m, p.split("/providers/Microsoft.Authorization/")[-1].split("/")[0]) for m, _, p, _ in calls(az.emulator)]
    assert methods == [("GET", "roleDefinitions"), ("PUT", "roleAssignments")] * 2
    bodies = [e["body"]["properties"] for e in az.emulator.requests() if e["method"] == "PUT"]
    assert [(b["roleDefinitionId"].rsplit("/", 1)[-1], b["principalId"], b["principalType"]) for b in bodies] == [
        (BLOB_CONTRIBUTOR, world["sp_id"], "ServicePrincipal"), (BLOB_DELEGATOR, world["sp_id"], "ServicePrincipal")]


def test_role_assignment_create_fails_before_principal_replicates(az, world):
    az.emulator.principal_replication_delay = 60
    _, app_id = az.emulator.add_application("late")
    with az.emulator.session() as http:
        sp_id = http.post(f"{GRAPH}/servicePrincipals", json={"appId": app_id}).json()["id"]
    proc = az.az("role", "assignment", "create", "--assignee-object-id", sp_id, "--assignee-principal-type",
                 "ServicePrincipal", "--role", "Storage Blob Data Contributor", "--scope", world["account"])
    assert proc.returncode != 0 and "PrincipalNotFound" in proc.stderr


def test_storage_account_list_and_show(az, world):
    for i in range(3):
        az.emulator.add_storage_account("rg", f"extra{i}", hns=False)
    names = json_of(az, "storage", "account", "list", "--query", "[].name")
    assert sorted(names) == ["acct", "extra0", "extra1", "extra2"]
    list_pages = [c for c in calls(az.emulator) if c[2].endswith("/storageAccounts")]
    assert len(list_pages) == 2  # paged by nextLink at the default page size of 2
    shown = json_of(az, "storage", "account", "show", "-n", "acct")
    assert shown["isHnsEnabled"] is True and shown["id"] == world["account"]


def test_storage_cors_rule_add_and_list(az, world):
    added = json_of(az, "storage", "account", "blob-service-properties", "cors-rule", "add", "-n", "acct", "-g", "rg",
                    "--origins", "https://app.activeloop.ai", "--methods", "GET", "HEAD", "--allowed-headers", "*",
                    "--max-age", "0")
    rule = {"allowedOrigins": ["https://app.activeloop.ai"], "allowedMethods": ["GET", "HEAD"],
            "allowedHeaders": ["*"], "exposedHeaders": [], "maxAgeInSeconds": 0}
    assert added == [rule]
    assert az.emulator.snapshot()["storageAccounts"][0]["corsRules"] == [rule]
    assert json_of(az, "storage", "account", "blob-service-properties", "cors-rule", "list", "-n", "acct",
                   "-g", "rg") == [rule]


def test_hook_can_kill_az_mid_command(az):
    holder = {}
    az.emulator.on_request(lambda entry: holder["proc"].kill(), method="POST", path_regex=r"^/v1\.0/applications$")
    holder["proc"] = az.start("ad", "app", "create", "--display-name", "interrupted")
    holder["proc"].communicate(timeout=120)
    assert holder["proc"].returncode < 0  # killed by the signal
    assert [a["displayName"] for a in az.emulator.snapshot()["applications"]] == ["interrupted"]


def test_several_subscriptions(az, tmp_path):
    emu = az.emulator
    second = emu.add_subscription("Second")
    emu.add_resource_group("rg", "westeurope", subscription=second)
    emu.add_storage_account("rg", "otheracct", subscription=second)
    sp_id = emu.add_service_principal(emu.add_application("reader")[1])
    assigned = emu.add_role_assignment(f"/subscriptions/{second}/resourceGroups/rg", "Reader", sp_id)
    shell = CloudShell(emu, str(tmp_path))  # a fresh login sees both subscriptions
    assert [(s["id"], s["isDefault"]) for s in shell.login().json] == [(emu.subscription_id, True), (second, False)]
    assert [(s["id"], s["name"]) for s in json_of(shell, "account", "list")] == [
        (emu.subscription_id, "Emulated Subscription"), (second, "Second")]
    assert [a["name"] for a in json_of(shell, "storage", "account", "list", "--subscription", second)] == ["otheracct"]
    assert json_of(shell, "storage", "account", "list") == []
    listed = json_of(shell, "role", "assignment", "list", "--subscription", second, "--all")
    assert sorted((ra["id"], ra["roleDefinitionName"]) for ra in listed) == sorted(
        [(assigned, "Reader")] + [(ra["id"], "Owner") for ra in listed if ra["principalId"] == emu.user["id"]])
    assert len(listed) == 2
    shell.az("account", "set", "-s", second, check=True)
    assert json_of(shell, "account", "show")["id"] == second
    assert [a["name"] for a in json_of(shell, "storage", "account", "list")] == ["otheracct"]


def test_ad_app_and_sp_owners(az, world):
    emu = az.emulator
    grace = emu.add_user("grace@contoso.onmicrosoft.com", "Grace Hopper")
    az.az("ad", "app", "owner", "add", "--id", world["app_id"], "--owner-object-id", grace, check=True)
    listed = json_of(az, "ad", "app", "owner", "list", "--id", world["app_id"])
    assert [(o["id"], o["@odata.type"]) for o in listed] == [
        (emu.user["id"], "#microsoft.graph.user"), (grace, "#microsoft.graph.user")]
    posted = [e["body"] for e in emu.requests() if e["method"] == "POST" and e["service"] == "graph"]
    assert posted == [{"@odata.id": f"https://graph.microsoft.com/v1.0/directoryObjects/{grace}"}]
    az.az("ad", "app", "owner", "remove", "--id", world["app_id"], "--owner-object-id", grace, check=True)
    assert [o["id"] for o in json_of(az, "ad", "app", "owner", "list", "--id", world["app_id"])] == [emu.user["id"]]
    emu.add_owner(world["sp_id"], grace)
    assert [o["id"] for o in json_of(az, "ad", "sp", "owner", "list", "--id", world["sp_id"])] == [grace]


@pytest.mark.parametrize("kind", ["app", "sp"])
def test_ad_credential_reset_append(az, world, kind):
    emu = az.emulator
    object_id = world["sp_id"] if kind == "sp" else emu.snapshot()["applications"][0]["id"]
    kept = emu.add_password(object_id, "existing")
    reset = json_of(az, "ad", kind, "credential", "reset", "--id", world["app_id"], "--append",
                    "--display-name", "deeplake")
    assert reset["appId"] == world["app_id"] and len(reset["password"]) == 40
    collection = "servicePrincipals" if kind == "sp" else "applications"
    with emu.session() as http:
        stored = http.get(f"{GRAPH}/{collection}/{object_id}").json()["passwordCredentials"]
    assert [(c["keyId"] == kept, c["displayName"], c["secretText"]) for c in stored] == [
        (True, "existing", None), (False, "deeplake", None)]
    assert stored[1]["hint"] == reset["password"][:3]
    listed = json_of(az, "ad", kind, "credential", "list", "--id", world["app_id"])
    assert sorted(c["displayName"] for c in listed) == ["deeplake", "existing"]


def test_ad_app_update(az, world):
    az.az("ad", "app", "update", "--id", world["app_id"], "--display-name", "renamed", check=True)
    az.az("ad", "app", "update", "--id", world["app_id"], "--set", 'tags=["HideApp"]', check=True)
    app = az.emulator.snapshot()["applications"][0]
    assert (app["appId"], app["displayName"], app["tags"]) == (world["app_id"], "renamed", ["HideApp"])
    patches = [e["body"] for e in az.emulator.requests() if e["method"] == "PATCH"]
    assert patches == [{"displayName": "renamed"}, {"tags": ["HideApp"]}]
