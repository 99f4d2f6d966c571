"""Knobs: replication delays, throttling, transient faults, denials, hooks, the request log, reset, latency."""
# pylint: disable=redefined-outer-name,too-many-positional-arguments,unused-argument
import time
import types
import uuid

import pytest
import requests

from .conftest import API, ARM, BLOB_CONTRIBUTOR, GRAPH, error_of
from .test_arm_authz import put_ra, sdk_kwargs, _Credential
from .test_arm_storage import RULE

DELAY = 0.6


def test_graph_replication_delay(http, emu):
    emu.graph_replication_delay = DELAY
    app = http.post(f"{GRAPH}/applications", json={"displayName": "fresh"}).json()
    assert http.get(f"{GRAPH}/applications/{app['id']}").status_code == 404
    assert http.get(f"{GRAPH}/applications(appId='{app['appId']}')").status_code == 404
    assert http.get(f"{GRAPH}/applications", params={"$filter": "displayName eq 'fresh'"}).json()["value"] == []
    fic = {"name": "cred1", "issuer": "https://i", "subject": "s", "audiences": ["a"]}
    assert http.post(f"{GRAPH}/applications/{app['id']}/federatedIdentityCredentials", json=fic).status_code == 404
    sp = http.post(f"{GRAPH}/servicePrincipals", json={"appId": app["appId"]})
    assert sp.status_code == 400 and error_of(sp)["details"][0]["code"] == "NoBackingApplicationObject"
    time.sleep(DELAY + 0.05)
    assert http.get(f"{GRAPH}/applications/{app['id']}").status_code == 200
    assert http.post(f"{GRAPH}/applications/{app['id']}/federatedIdentityCredentials", json=fic).status_code == 201
    assert http.post(f"{GRAPH}/servicePrincipals", json={"appId": app["appId"]}).status_code == 201


def test_principal_replication_delay(http, emu, world):
    emu.principal_replication_delay = DELAY
    app = http.post(f"{GRAPH}/applications", json={"displayName": "x"}).json()
    sp = http.post(f"{GRAPH}/servicePrincipals", json={"appId": app["appId"]}).json()
    assert http.get(f"{GRAPH}/servicePrincipals/{sp['id']}").status_code == 200  # Graph knows it already
    response, name = put_ra(http, emu, world["account"], sp["id"])
    assert response.status_code == 400 and error_of(response)["code"] == "PrincipalNotFound"
    time.sleep(DELAY + 0.05)
    assert put_ra(http, emu, world["account"], sp["id"], name=name)[0].status_code == 201


def test_throttle_graph_and_arm(http, emu):
    emu.throttle(host="graph", path_regex=r"/applications$", count=2, retry_after=7)
    for _ in range(2):
        response = http.get(f"{GRAPH}/applications")
        assert response.status_code == 429 and response.headers["Retry-After"] == "7"
        assert error_of(response)["code"] == "TooManyRequests" and "innerError" in error_of(response)
    assert http.get(f"{GRAPH}/applications").status_code == 200
    emu.throttle(method="GET", host="management.azure.com", retry_after=3)
    response = http.get(f"{ARM}/subscriptions", params=API)
    assert response.status_code == 429 and response.headers["Retry-After"] == "3"
    assert set(error_of(response)) == {"code", "message"}
    assert http.get(f"{ARM}/subscriptions", params=API).status_code == 200


def test_throttle_only_matching_requests(http, emu):
    emu.throttle(method="POST", host="graph")
    assert http.get(f"{GRAPH}/applications").status_code == 200
    assert http.post(f"{GRAPH}/applications", json={"displayName": "a"}).status_code == 429
    assert http.post(f"{GRAPH}/applications", json={"displayName": "a"}).status_code == 201


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_fail_with_status(http, emu, status):
    emu.fail(host="arm", status=status)
    response = http.get(f"{ARM}/subscriptions", params=API)
    assert response.status_code == status and error_of(response)["code"]
    assert http.get(f"{ARM}/subscriptions", params=API).status_code == 200


def test_fail_drop_closes_connection(http, emu):
    emu.fail(host="graph", status="drop")
    with pytest.raises(requests.ConnectionError):
        http.get(f"{GRAPH}/me")
    assert http.get(f"{GRAPH}/me").status_code == 200
    assert [e["status"] for e in emu.requests()] == ["drop", 200]


def test_fail_lost_carries_out_the_request_then_closes_connection(http, emu):
    emu.fail(method="POST", host="graph", status="lost")
    with pytest.raises(requests.ConnectionError):
        http.post(f"{GRAPH}/applications", json={"displayName": "lost-answer"})
    assert [a["displayName"] for a in emu.snapshot()["applications"]] == ["lost-answer"]
    assert [e["status"] for e in emu.requests()] == ["drop"]


def test_fail_rejects_unknown_status(emu):
    with pytest.raises(ValueError):
        emu.fail(status=404)


def test_arm_sdk_retries_throttling_faults_and_drops(emu, world):
    from azure.mgmt.storage import StorageManagementClient
    client = StorageManagementClient(_Credential(emu), emu.subscription_id, **sdk_kwargs(emu))
    emu.throttle(host="arm", path_regex="storageAccounts/acct$", retry_after=0)
    emu.fail(host="arm", path_regex="storageAccounts/acct$", status=503)
    emu.fail(host="arm", path_regex="storageAccounts/acct$", status="drop")
    assert client.storage_accounts.get_properties("rg", "acct").name == "acct"
    statuses = [e["status"] for e in emu.requests() if e["path"].endswith("/acct")]
    assert statuses == [503, "drop", 429, 200]  # faults first, in the order they were added


def arm_statuses(http, times):
    return [http.get(f"{ARM}/subscriptions", params=API).status_code for _ in range(times)]


def test_periodic_rules_answer_every_nth_matching_request(http, emu):
    emu.throttle(host="arm", every=2, retry_after=0)
    emu.fail(host="arm", every=3, status=503)
    # The fault wins on the 6th; each rule counts every matching request, also those the other one answered.
    assert arm_statuses(http, 10) == [200, 429, 503, 429, 200, 503, 200, 429, 503, 429]
    assert http.get(f"{GRAPH}/me").status_code == 200  # not matching: not counted
    faults, throttles = emu.knobs.describe()["faults"], emu.knobs.describe()["throttles"]
    assert [(r["every"], r["count"], r["fired"]) for r in faults + throttles] == [(3, None, 3), (2, None, 4)]
    assert emu.unfired_injections() == []  # a periodic rule that fired is never "left"


def test_periodic_rules_through_the_admin_api(http, emu):
    emu.knobs.apply({"fail": {"host": "arm", "every": 2, "status": 502}})
    assert arm_statuses(http, 4) == [200, 502, 200, 502]


def test_every_must_be_a_positive_number_of_requests(emu):
    with pytest.raises(ValueError):
        emu.throttle(every=0)


@pytest.mark.parametrize("inject, requests_made, unfired", [
    pytest.param(lambda emu: emu.fail(host="arm", count=2), 1, [("fail", 1, None, 1)], id="counted-half-consumed"),
    pytest.param(lambda emu: emu.fail(host="arm", count=2), 2, [], id="counted-consumed"),
    pytest.param(lambda emu: emu.throttle(host="arm", path_regex="/nothing$"), 3, [("throttle", 1, None, 0)],
                 id="pattern-never-matches"),
    pytest.param(lambda emu: emu.throttle(host="arm", every=4), 3, [("throttle", None, 4, 0)],
                 id="periodic-never-fired"),
    pytest.param(lambda emu: emu.throttle(host="arm", every=4, retry_after=0), 4, [], id="periodic-fired"),
])
def test_unfired_injections_are_listed(http, emu, inject, requests_made, unfired):
    inject(emu)
    arm_statuses(http, requests_made)
    assert [(r["kind"], r["count"], r["every"], r["fired"]) for r in emu.unfired_injections()] == unfired
    emu.discard_injections()
    assert emu.unfired_injections() == [] and arm_statuses(http, 1) == [200]


def test_a_test_that_leaves_an_injection_unfired_fails(emu):
    from tests import conftest
    emu.fail(method="PUT", host="arm", path_regex="/never$")
    teardown = conftest.pytest_runtest_teardown(types.SimpleNamespace(funcargs={"shared_emulator": emu}))
    next(teardown)  # the fixtures' teardown would run here
    with pytest.raises(pytest.fail.Exception, match=r"1 injected fault\(s\) or throttle\(s\) never fired.*never"):
        teardown.send(None)
    emu.discard_injections()


def test_deny_graph_read_and_write(http, emu):
    emu.deny("graph.applications.read")
    response = http.get(f"{GRAPH}/applications")
    assert response.status_code == 403
    assert error_of(response) | {"innerError": None} == {
        "code": "Authorization_RequestDenied", "message": "Insufficient privileges to complete the operation.",
        "innerError": None}
    assert http.get(f"{GRAPH}/servicePrincipals").status_code == 403
    emu.allow()
    emu.deny("graph.applications.write")
    assert http.post(f"{GRAPH}/applications", json={"displayName": "x"}).status_code == 403
    assert http.post(f"{GRAPH}/servicePrincipals", json={"appId": str(uuid.uuid4())}).status_code == 403
    assert http.get(f"{GRAPH}/applications").status_code == 200


def test_deny_fic_write(http, emu):
    object_id, _ = emu.add_application("x")
    emu.deny("graph.applications.write")
    fic = {"name": "cred1", "issuer": "https://i", "subject": "s", "audiences": ["a"]}
    assert http.post(f"{GRAPH}/applications/{object_id}/federatedIdentityCredentials", json=fic).status_code == 403


def test_deny_role_assignment_write(http, emu, world):
    emu.deny("arm.roleAssignments.write")
    response, _ = put_ra(http, emu, world["container"], world["sp_id"])
    assert response.status_code == 403
    error = error_of(response)
    assert error["code"] == "AuthorizationFailed"
    assert error["message"] == (
        f"The client '{emu.user['userPrincipalName']}' with object id '{emu.user['id']}' does not have authorization "
        f"to perform action 'Microsoft.Authorization/roleAssignments/write' over scope '{world['container']}' or the "
        "scope is invalid. If access was recently granted, please refresh your credentials.")


def test_deny_blob_service_write(http, emu, world):
    emu.deny("arm.blobServices.write")
    url = f"{ARM}{world['account']}/blobServices/default"
    response = http.put(url, params=API, json={"properties": {"cors": {"corsRules": [RULE]}}})
    assert response.status_code == 403 and error_of(response)["code"] == "AuthorizationFailed"
    assert http.get(url, params=API).status_code == 200
    perms = http.get(f"{ARM}{world['account']}/providers/Microsoft.Authorization/permissions", params=API).json()
    assert "Microsoft.Storage/storageAccounts/blobServices/write" in perms["value"][0]["notActions"]


def test_deny_unknown_right(emu):
    with pytest.raises(ValueError):
        emu.deny("graph.everything")


def test_on_request_hook(http, emu):
    seen = []
    remove = emu.on_request(seen.append, method="POST", path_regex="/applications$")
    http.get(f"{GRAPH}/applications")
    http.post(f"{GRAPH}/applications", json={"displayName": "hooked"})
    assert [(e["method"], e["body"]) for e in seen] == [("POST", {"displayName": "hooked"})]
    remove()
    http.post(f"{GRAPH}/applications", json={"displayName": "again"})
    assert len(seen) == 1


def test_request_log(http, emu):
    http.post(f"{GRAPH}/applications", json={"displayName": "logged"})
    http.get(f"{ARM}/subscriptions", params=API)
    log = emu.requests()
    assert [(e["method"], e["host"], e["path"], e["status"]) for e in log] == [
        ("POST", "graph.microsoft.com", "/v1.0/applications", 201),
        ("GET", "management.azure.com", "/subscriptions", 200)]
    assert log[0]["body"] == {"displayName": "logged"} and log[1]["query"] == API
    assert all(e["started"] <= e["ended"] for e in log)
    emu.clear_requests()
    assert emu.requests() == []


def test_latency(http, emu):
    emu.latency_ms = 150
    started = time.monotonic()
    http.get(f"{GRAPH}/me")
    assert time.monotonic() - started >= 0.15
    entry = emu.requests()[-1]
    assert entry["ended"] - entry["started"] >= 0.15


def test_reset_restores_everything(http, emu):
    first_ids = (emu.tenant_id, emu.subscription_id)
    object_id, _ = emu.add_application("gone")
    emu.deny("graph.applications.read")
    emu.throttle()
    emu.page_size = 50
    emu.latency_ms = 5
    emu.reset()
    assert (emu.tenant_id, emu.subscription_id) == first_ids
    assert emu.snapshot()["applications"] == [] and emu.requests() == []
    assert emu.page_size == 2 and emu.latency_ms == 0
    assert emu.knobs.describe()["denied"] == [] and emu.knobs.describe()["throttles"] == []
    assert emu.add_application("again")[0] == object_id  # same seeded ids after a reset


def test_page_size_knob_for_arm(http, emu, world):
    for i in range(4):
        emu.add_storage_account("rg", f"pp{i}")
    emu.page_size = 3
    first = http.get(f"{ARM}{world['sub']}/providers/Microsoft.Storage/storageAccounts", params=API).json()
    assert len(first["value"]) == 3 and first["nextLink"].startswith("https://management.azure.com/")


def test_role_assignment_delete_denied(http, emu, world):
    _, name = put_ra(http, emu, world["account"], world["sp_id"], role=BLOB_CONTRIBUTOR)
    emu.deny("arm.roleAssignments.write")
    url = f"{ARM}{world['account']}/providers/Microsoft.Authorization/roleAssignments/{name}"
    response = http.delete(url, params={"api-version": "2022-04-01"})
    assert response.status_code == 403 and "roleAssignments/delete" in error_of(response)["message"]
