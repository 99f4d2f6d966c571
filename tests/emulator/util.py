"""Small helpers shared by the emulator modules."""
import base64
import copy
import datetime
import json
import re

GUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)


def is_guid(value):
    return isinstance(value, str) and bool(GUID_RE.match(value))


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


def iso(moment=None, digits=7):
    """Azure-style UTC timestamp, e.g. 2024-05-01T10:11:12.1234567Z (Graph uses digits=0)."""
    moment = moment or utc_now()
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if digits:
        text += "." + moment.strftime("%f").ljust(digits, "0")[:digits]
    return text + "Z"


def b64url(data):
    if isinstance(data, str):
        data = data.encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def dumps(obj):
    return json.dumps(obj, separators=(",", ":")).encode()


def public(record):
    """A deep copy of a stored record without its private (underscore) keys."""
    return {k: copy.deepcopy(v) for k, v in record.items() if not k.startswith("_")}


def deep_merge(target, changes):
    """Merge nested dicts of changes into target in place (lists and scalars are replaced)."""
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            deep_merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)
    return target
