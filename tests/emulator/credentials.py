"""Application and service principal credentials in Graph's shapes: passwordCredential (client secret) and
keyCredential (certificate). Stored records never hold the secret or the key: Graph returns them without."""
# pylint: disable=too-many-positional-arguments
import base64
import datetime
import hashlib

from .util import b64url, iso, utc_now

PASSWORD_YEARS = 2  # Graph's default lifetime of a secret from addPassword
KEY_YEARS = 1       # a guess: a real keyCredential ends when its certificate does
HINT_LENGTH = 3


def _years_after(start, years):
    return start + datetime.timedelta(days=365 * years)


def new_password(key_id, display_name=None, end_date_time=None, start_date_time=None):
    """(stored passwordCredential, secretText). The secret is derived from the keyId: fake, never a real one."""
    start = utc_now()
    secret = (b64url(hashlib.sha256(key_id.encode()).digest())[:3] + "8Q~"
              + b64url(hashlib.sha256(key_id[::-1].encode()).digest())[:34])
    record = {"customKeyIdentifier": None, "displayName": display_name,
              "endDateTime": end_date_time or iso(_years_after(start, PASSWORD_YEARS), digits=0),
              "hint": secret[:HINT_LENGTH], "keyId": key_id, "secretText": None,
              "startDateTime": start_date_time or iso(start, digits=0)}
    return record, secret


def new_key(key_id, display_name=None, key=None, key_type="AsymmetricX509Cert", usage="Verify",
            end_date_time=None, start_date_time=None):
    """A stored keyCredential; customKeyIdentifier is the SHA-1 thumbprint of the key bytes, as Graph computes it
    for a certificate."""
    start = utc_now()
    material = _decode(key) if key else key_id.encode()
    return {"customKeyIdentifier": base64.b64encode(hashlib.sha1(material).digest()).decode(),  # nosec: thumbprint
            "displayName": display_name, "endDateTime": end_date_time or iso(_years_after(start, KEY_YEARS), digits=0),
            "key": None, "keyId": key_id, "startDateTime": start_date_time or iso(start, digits=0),
            "type": key_type, "usage": usage}


def _decode(key):
    try:
        return base64.b64decode(key, validate=False)
    except ValueError:
        return str(key).encode()


def without_key_values(key_credentials, new_id):
    """keyCredentials as a PATCH sent them, stored as Graph keeps them: no key value, every field present."""
    return [new_key(k.get("keyId") or new_id(), k.get("displayName"), k.get("key"), k.get("type") or
                    "AsymmetricX509Cert", k.get("usage") or "Verify", k.get("endDateTime"), k.get("startDateTime"))
            for k in key_credentials or []]
