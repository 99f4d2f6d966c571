"""Plumbing: TLS, the CONNECT proxy, host dispatch, login documents, the token endpoint, the admin API,
start/stop, determinism and the `python -m tests.emulator` entry point."""
# pylint: disable=redefined-outer-name,too-many-positional-arguments,unused-argument
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time

import pytest
import requests

from tests.emulator import Emulator, EmulatorError

from .conftest import GRAPH, jwt_claims

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LOGIN = "https://login.microsoftonline.com"


def connect(proxy_port, target):
    with socket.create_connection(("127.0.0.1", proxy_port), timeout=5) as sock:
        sock.sendall(f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n".encode())
        return sock.recv(1024).split(b"\r\n", 1)[0].decode()


def test_proxy_tunnels_only_the_emulated_hosts(emu):
    assert connect(emu.proxy_port, "graph.microsoft.com:443").endswith("200 Connection Established")
    assert connect(emu.proxy_port, "example.com:443").startswith("HTTP/1.1 403")
    assert connect(emu.proxy_port, "graph.microsoft.com:80").startswith("HTTP/1.1 403")
    assert connect(emu.proxy_port, "acct.blob.core.windows.net:443").startswith("HTTP/1.1 403")


def test_proxy_refuses_plain_requests(emu):
    with socket.create_connection(("127.0.0.1", emu.proxy_port), timeout=5) as sock:
        sock.sendall(b"GET http://example.com/ HTTP/1.1\r\nHost: example.com\r\n\r\n")
        assert b"405" in sock.recv(1024)


def test_tls_certificate_covers_hosts_and_needs_the_ca(emu):
    context = ssl.create_default_context(cafile=emu.ca_bundle)
    for host in ("graph.microsoft.com", "management.azure.com", "login.microsoftonline.com", "localhost"):
        with socket.create_connection(("127.0.0.1", emu.https_port), timeout=5) as raw:
            with context.wrap_socket(raw, server_hostname=host) as tls:
                assert tls.version() in ("TLSv1.2", "TLSv1.3")
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f"{GRAPH}/me", proxies={"https": emu.proxy_url}, timeout=5)


def test_unknown_host_is_404(emu):
    response = requests.get(f"https://127.0.0.1:{emu.https_port}/", verify=emu.ca_bundle, timeout=5)
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/common//v2.0/.well-known/openid-configuration",
                                  "/common/v2.0/.well-known/openid-configuration",
                                  "/organizations/v2.0/.well-known/openid-configuration",
                                  "/TENANT/v2.0/.well-known/openid-configuration",
                                  "/TENANT/.well-known/openid-configuration"])
def test_openid_configuration(http, emu, path):
    response = http.get(LOGIN + path.replace("TENANT", emu.tenant_id))
    assert response.status_code == 200
    body = response.json()
    assert body["token_endpoint"].startswith(LOGIN) and body["authorization_endpoint"].startswith(LOGIN)
    assert body["msgraph_host"] == "graph.microsoft.com"


def test_unknown_tenant_and_instance_discovery(http, emu):
    assert http.get(f"{LOGIN}/nosuchtenant/v2.0/.well-known/openid-configuration").status_code == 400
    discovery = http.get(f"{LOGIN}/common/discovery/instance",
                         params={"api-version": "1.1", "authorization_endpoint": f"{LOGIN}/common/oauth2/authorize"})
    assert discovery.json()["metadata"][0]["preferred_network"] == "login.microsoftonline.com"


def test_token_endpoint(emu):
    url = f"http://127.0.0.1:{emu.token_port}/oauth2/token"
    response = requests.post(url, data={"resource": "https://management.core.windows.net/"},
                             headers={"Metadata": "true"}, timeout=5)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer" and int(body["expires_in"]) > 3000
    claims = jwt_claims(body["access_token"])
    assert claims["aud"] == "https://management.core.windows.net/"
    assert (claims["tid"], claims["oid"]) == (emu.tenant_id, emu.user["id"])
    assert claims["unique_name"] == claims["upn"] == emu.user["userPrincipalName"]
    assert {"iss", "iat", "nbf", "exp", "name", "sub"} <= set(claims)
    assert requests.post(url, data={"resource": "x"}, timeout=5).status_code == 400  # no Metadata header
    assert requests.post(url, data={}, headers={"Metadata": "true"}, timeout=5).status_code == 400


def test_admin_api(emu):
    admin = f"http://127.0.0.1:{emu.token_port}/_emulator"
    seeded = requests.post(f"{admin}/seed", json={"preset": "demo", "applications": [{"display_name": "a1"}]},
                           timeout=5).json()
    assert [a["name"] for a in seeded["state"]["storageAccounts"]] == ["deeplakedemo01", "deeplakeplain01"]
    assert seeded["created"]["applications"][0][0] == seeded["state"]["applications"][0]["id"]
    knobs = requests.post(f"{admin}/knobs", json={"page_size": 5, "deny": ["graph.applications.read"],
                                                  "throttle": {"host": "arm", "count": 2}}, timeout=5).json()
    assert knobs["page_size"] == 5 and knobs["denied"] == ["graph.applications.read"]
    assert knobs["throttles"][0]["count"] == 2
    state = requests.get(f"{admin}/state", timeout=5).json()
    assert state["knobs"]["page_size"] == 5 and state["tenantId"] == emu.tenant_id
    with emu.session() as http:
        assert http.get(f"{GRAPH}/applications").status_code == 403
    log = requests.get(f"{admin}/requests", timeout=5).json()
    assert [(e["path"], e["status"]) for e in log] == [("/v1.0/applications", 403)]  # admin calls not logged
    assert requests.get(f"{admin}/info", timeout=5).json()["proxy_port"] == emu.proxy_port
    assert requests.post(f"{admin}/seed", json={"bogus": []}, timeout=5).status_code == 400
    assert requests.post(f"{admin}/reset", timeout=5).status_code == 200
    assert emu.snapshot()["storageAccounts"] == [] and emu.page_size == 2
    assert requests.get(f"{admin}/nothing", timeout=5).status_code == 404


def test_env_for_az(emu, tmp_path):
    env = emu.env(tmp_path, base={"PATH": "/bin", "HTTP_PROXY": "http://elsewhere"})
    assert env["HTTPS_PROXY"] == env["https_proxy"] == emu.proxy_url
    assert env["REQUESTS_CA_BUNDLE"] == emu.ca_bundle and env["AZURE_CONFIG_DIR"] == str(tmp_path)
    assert env["AZUREPS_HOST_ENVIRONMENT"].startswith("cloud-shell") and env["ACC_CLOUD"]
    assert "localhost" in env["NO_PROXY"] and "HTTP_PROXY" not in env and env["PATH"] == "/bin"


def test_start_stop_releases_ports_and_threads():
    before = set(threading.enumerate())
    emulator = Emulator(token_port=0).start()
    ports = (emulator.token_port, emulator.https_port, emulator.proxy_port)
    with emulator.session() as http:  # leave a keep-alive tunnel open
        assert http.get(f"{GRAPH}/me").status_code == 200
        started = time.monotonic()
        emulator.stop()
        assert time.monotonic() - started < 2
    deadline = time.monotonic() + 1
    while set(threading.enumerate()) - before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not set(threading.enumerate()) - before  # listener and connection threads are gone
    for port in ports:
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", port))
    emulator.stop()  # idempotent


def test_taken_token_port_is_a_clear_error():
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen(1)
        port = blocker.getsockname()[1]
        with pytest.raises(EmulatorError, match=f"Port {port}.*already in use"):
            Emulator(token_port=port).start()


def test_ids_are_deterministic():
    def run():
        with Emulator(seed=7, token_port=0) as emulator:
            object_id, app_id = emulator.add_application("x")
            sp_id = emulator.add_service_principal(app_id)
            return emulator.tenant_id, emulator.subscription_id, object_id, app_id, sp_id
    assert run() == run()
    with Emulator(seed=8, token_port=0) as other:
        assert other.tenant_id != run()[0]


def test_python_dash_m_runs_until_sigterm(tmp_path):
    process = subprocess.Popen(  # pylint: disable=consider-using-with
        [sys.executable, "-m", "tests.emulator", "--token-port", "0", "--seed", "demo", "--latency-ms", "1",
         "--config-dir", str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        while not lines or not lines[-1].startswith("# admin API"):
            line = process.stdout.readline()
            assert line, process.stderr.read()
            lines.append(line.strip())
        exports = dict(line[len("export "):].split("=", 1) for line in lines if line.startswith("export "))
        assert exports["AZURE_CONFIG_DIR"] == str(tmp_path) and exports["HTTPS_PROXY"].startswith("http://127.0.0.1:")
        admin = lines[-1].split()[3]
        state = json.loads(requests.get(admin, timeout=5).text)
        assert state["storageAccounts"][0]["name"] == "deeplakedemo01" and state["knobs"]["latency_ms"] == 1
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
