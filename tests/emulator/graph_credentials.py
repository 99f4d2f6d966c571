"""Graph actions on the credentials of applications and service principals: addPassword, removePassword, addKey,
removeKey. The secret of a new password is returned once, in addPassword's answer; reads never show it."""
# Route handlers share one signature: (finder, service, request, **path groups).
# pylint: disable=unused-argument,too-many-positional-arguments
import functools

from . import graph_common as g
from .routing import json_response

KEY_TYPES = {"AsymmetricX509Cert", "X509CertAndPassword", "Symmetric"}
KEY_USAGES = {"Verify", "Sign"}


def register(router, parents):
    """parents: (collection path, key patterns, finder(svc, **path groups)) of applications and service principals."""
    for base, refs, find in parents:
        for ref in refs:
            for action, handler in (("addPassword", add_password), ("removePassword", remove_password),
                                    ("addKey", add_key), ("removeKey", remove_key)):
                router.add("POST", base + ref + "/" + action, functools.partial(handler, find))


def _target(find, svc, keys):
    svc.require(g.WRITE)
    record = find(svc, **keys)
    g.require_owner(svc, record)
    return record


def _credential_body(svc, request, name, required):
    value = svc.body(request).get(name)
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise g.bad_request(f"Invalid value specified for property '{name}'.")
    return value


def add_password(find, svc, request, **keys):
    record = _target(find, svc, keys)
    asked = _credential_body(svc, request, "passwordCredential", required=False)
    stored, secret = svc.state.directory.add_password(record, asked.get("displayName"), asked.get("endDateTime"))
    return json_response(200, dict({"@odata.context": f"{g.ROOT}/$metadata#microsoft.graph.passwordCredential"},
                                   **dict(stored, secretText=secret)))


def add_key(find, svc, request, **keys):
    record = _target(find, svc, keys)
    asked = _credential_body(svc, request, "keyCredential", required=True)
    if not isinstance(asked.get("key"), str) or not asked["key"]:
        raise g.bad_request("Invalid value specified for property 'key' of resource 'KeyCredential'.")
    if asked.get("type") not in KEY_TYPES or asked.get("usage") not in KEY_USAGES:
        raise g.bad_request("Invalid value specified for property 'type' or 'usage' of resource 'KeyCredential'.")
    _require_proof(svc, request)
    stored = svc.state.directory.add_key(record, asked.get("displayName"), asked["key"], asked["type"],
                                         asked["usage"], asked.get("endDateTime"), asked.get("startDateTime"))
    return json_response(200, dict({"@odata.context": f"{g.ROOT}/$metadata#microsoft.graph.keyCredential"},
                                   **stored))


def _require_proof(svc, request):
    """Graph checks a JWT signed with an existing key; the emulator only wants a non-empty string."""
    proof = svc.body(request).get("proof")
    if not isinstance(proof, str) or not proof:
        raise g.bad_request("Invalid value specified for property 'proof'.")  # text unverified


def _remove(find, svc, request, keys, collection, needs_proof):
    record = _target(find, svc, keys)
    key_id = svc.body(request).get("keyId")
    if needs_proof:
        _require_proof(svc, request)
    found = next((c for c in record[collection] if isinstance(key_id, str) and c["keyId"] == key_id.lower()), None)
    if found is None:  # status and text unverified
        raise g.not_found(key_id)
    record[collection].remove(found)
    return svc.no_content()


def remove_password(find, svc, request, **keys):
    return _remove(find, svc, request, keys, "passwordCredentials", needs_proof=False)


def remove_key(find, svc, request, **keys):
    return _remove(find, svc, request, keys, "keyCredentials", needs_proof=True)
