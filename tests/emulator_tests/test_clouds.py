"""The US Government cloud: graph.microsoft.us, management.usgovcloudapi.net and login.microsoftonline.us are
served like the public hosts (same state), through the proxy, with the host asked in links and the log."""
# pylint: disable=redefined-outer-name,unused-argument
import socket
import ssl

import pytest
import requests

from .conftest import API, GRAPH, follow_arm, follow_graph, jwt_claims
from .test_plumbing import connect

GOV_GRAPH = "https://graph.microsoft.us/v1.0"
GOV_ARM = "https://management.usgovcloudapi.net"
GOV_LOGIN = "https://login.microsoftonline.us"
GOV_HOSTS = ("graph.microsoft.us", "management.usgovcloudapi.net", "login.microsoftonline.us")


def test_proxy_tunnels_and_certificate_covers_the_gov_hosts(emu):
    context = ssl.create_default_context(cafile=emu.ca_bundle)
    for host in GOV_HOSTS:
        assert connect(emu.proxy_port, f"{host}:443").endswith("200 Connection Established")
        with socket.create_connection(("127.0.0.1", emu.https_port), timeout=5) as raw:
            with context.wrap_socket(raw, server_hostname=host) as tls:
                assert tls.version() in ("TLSv1.2", "TLSv1.3")
    assert connect(emu.proxy_port, "graph.microsoft.us:80").startswith("HTTP/1.1 403")
    assert connect(emu.proxy_port, "management.core.usgovcloudapi.net:443").startswith("HTTP/1.1 403")


def test_gov_graph_shares_state_and_links_to_the_host_asked(http, emu):
    for name in ("a1", "a2", "a3"):
        assert http.post(f"{GOV_GRAPH}/applications", json={"displayName": name}).status_code == 201
    first = http.get(f"{GOV_GRAPH}/applications").json()
    assert first["@odata.context"] == f"{GOV_GRAPH}/$metadata#applications"
    assert first["@odata.nextLink"].startswith(f"{GOV_GRAPH}/applications?")
    items, pages = follow_graph(http, f"{GOV_GRAPH}/applications")
    assert [a["displayName"] for a in items] == ["a1", "a2", "a3"] and pages == 2
    app = http.get(f"{GOV_GRAPH}/applications/{items[0]['id']}").json()
    assert app["@odata.context"] == f"{GOV_GRAPH}/$metadata#applications/$entity"
    public = http.get(f"{GRAPH}/applications").json()  # one directory, whichever cloud's host is asked
    assert public["@odata.context"] == f"{GRAPH}/$metadata#applications" and len(public["value"]) == 2
    assert http.get(f"{GOV_GRAPH}/applications", headers={"Authorization": ""}).status_code == 401
    log = emu.requests()
    assert {(e["host"], e["service"]) for e in log[:-2]} == {("graph.microsoft.us", "graph")}
    assert (log[-2]["host"], log[-2]["service"]) == ("graph.microsoft.com", "graph")


def test_gov_arm_shares_state_and_links_to_the_host_asked(http, emu, world):
    emu.add_storage_account("rg", "acct2")
    emu.add_storage_account("rg", "acct3")
    sub = world["sub"]
    assert http.get(f"{GOV_ARM}/subscriptions", params=API).json()["value"][0]["subscriptionId"] == \
        emu.subscription_id
    first = http.get(f"{GOV_ARM}{sub}/providers/Microsoft.Storage/storageAccounts", params=API).json()
    assert first["nextLink"].startswith(f"{GOV_ARM}{sub}/providers/Microsoft.Storage/storageAccounts?")
    items, pages = follow_arm(http, f"{GOV_ARM}{sub}/providers/Microsoft.Storage/storageAccounts")
    assert sorted(a["name"] for a in items) == ["acct", "acct2", "acct3"] and pages == 2
    assert http.get(f"{GOV_ARM}{world['container']}", params=API).json()["name"] == "data"
    assert {(e["host"], e["service"]) for e in emu.requests()} == {("management.usgovcloudapi.net", "arm")}


def test_gov_login_documents_are_built_from_the_host_asked(http, emu):
    config = http.get(f"{GOV_LOGIN}/common//v2.0/.well-known/openid-configuration").json()
    for key in ("token_endpoint", "authorization_endpoint", "jwks_uri", "end_session_endpoint"):
        assert config[key].startswith(f"{GOV_LOGIN}/common/"), key
    assert config["issuer"] == f"{GOV_LOGIN}/{{tenantid}}/v2.0"
    assert config["cloud_instance_name"] == "microsoftonline.us" and config["msgraph_host"] == "graph.microsoft.us"
    tenant = http.get(f"{GOV_LOGIN}/{emu.tenant_id}/v2.0/.well-known/openid-configuration").json()
    assert tenant["issuer"] == f"{GOV_LOGIN}/{emu.tenant_id}/v2.0"
    assert http.get(f"{GOV_LOGIN}/nosuchtenant/v2.0/.well-known/openid-configuration").status_code == 400
    discovery = http.get(f"{GOV_LOGIN}/common/discovery/instance", params={"api-version": "1.1"}).json()
    assert discovery["tenant_discovery_endpoint"] == f"{GOV_LOGIN}/common/v2.0/.well-known/openid-configuration"
    assert discovery["metadata"][0]["preferred_network"] == "login.microsoftonline.us"
    public = http.get("https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration").json()
    assert public["issuer"] == "https://login.microsoftonline.com/{tenantid}/v2.0"
    assert {e["host"] for e in emu.requests()} == {"login.microsoftonline.us", "login.microsoftonline.com"}
    assert {e["service"] for e in emu.requests()} == {"login"}


@pytest.mark.parametrize("resource", ["https://management.core.usgovcloudapi.net/", "https://graph.microsoft.us/"])
def test_token_audience_is_the_gov_resource(emu, resource):
    response = requests.post(f"http://127.0.0.1:{emu.token_port}/oauth2/token", data={"resource": resource},
                             headers={"Metadata": "true"}, timeout=5)
    assert response.status_code == 200 and response.json()["resource"] == resource
    assert jwt_claims(response.json()["access_token"])["aud"] == resource
    assert emu.requests()[0]["body"] == {"resource": resource}


def test_knobs_by_service_name_match_both_clouds(http, emu):
    emu.throttle(host="graph", count=2, retry_after=0)
    emu.fail(host="arm", count=2, status=503)
    emu.throttle(host="graph.microsoft.com", count=1, retry_after=0)  # a host name matches that host only
    seen = []
    remove = emu.on_request(lambda entry: seen.append(entry["host"]), host="login")
    assert http.get(f"{GOV_GRAPH}/applications").status_code == 429
    assert http.get(f"{GRAPH}/applications").status_code == 429
    assert http.get(f"{GOV_GRAPH}/applications").status_code == 200  # the host rule waits for graph.microsoft.com
    assert http.get(f"{GRAPH}/applications").status_code == 429
    assert http.get(f"{GOV_ARM}/subscriptions", params=API).status_code == 503
    assert http.get("https://management.azure.com/subscriptions", params=API).status_code == 503
    assert http.get(f"{GOV_ARM}/subscriptions", params=API).status_code == 200
    http.get(f"{GOV_LOGIN}/common/v2.0/.well-known/openid-configuration")
    http.get("https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration")
    remove()
    assert seen == ["login.microsoftonline.us", "login.microsoftonline.com"]
