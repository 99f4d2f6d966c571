"""Fixtures: one emulator per session on a random token port (reset before every test), and helpers."""
# pylint: disable=redefined-outer-name,too-many-positional-arguments,unused-argument
import base64
import json

import pytest

from tests.emulator import Emulator

GRAPH = "https://graph.microsoft.com/v1.0"
ARM = "https://management.azure.com"
API = {"api-version": "2023-05-01"}
BLOB_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
BLOB_DELEGATOR = "db58b8e5-c6ad-4a2a-8342-4190687cbf4a"


@pytest.fixture(scope="session")
def shared_emulator():
    with Emulator(seed=1234, token_port=0) as emulator:
        yield emulator


@pytest.fixture
def emu(shared_emulator):
    shared_emulator.reset()
    yield shared_emulator
    shared_emulator.reset()


@pytest.fixture
def http(emu):
    with emu.session() as session:
        yield session


@pytest.fixture
def world(emu):
    """A resource group 'rg' with HNS account 'acct' holding container 'data', and an app with its SP."""
    emu.add_resource_group("rg", "eastus")
    emu.add_storage_account("rg", "acct", hns=True)
    emu.add_container("rg", "acct", "data")
    object_id, app_id = emu.add_application("deeplake-app")
    sp_id = emu.add_service_principal(app_id)
    sub = f"/subscriptions/{emu.subscription_id}"
    account = f"{sub}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct"
    return {"sub": sub, "rg": f"{sub}/resourceGroups/rg", "account": account,
            "container": f"{account}/blobServices/default/containers/data",
            "app_object_id": object_id, "app_id": app_id, "sp_id": sp_id}


def error_of(response):
    return response.json()["error"]


def jwt_claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def follow_graph(http, url, **params):
    """All items of a Graph collection, following @odata.nextLink; returns (items, pages)."""
    items, pages = [], 0
    response = http.get(url, params=params)
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["value"]
        pages += 1
        if "@odata.nextLink" not in body:
            return items, pages
        response = http.get(body["@odata.nextLink"])


def follow_arm(http, url, **params):
    items, pages = [], 0
    response = http.get(url, params=dict(API, **params))
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["value"]
        pages += 1
        if not body.get("nextLink"):
            return items, pages
        response = http.get(body["nextLink"])
