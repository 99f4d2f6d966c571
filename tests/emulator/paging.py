"""Server-driven paging shared by Graph (@odata.nextLink) and ARM (nextLink)."""
import base64
import urllib.parse

from .errors import ApiError
from .util import b64url

SKIP_TOKEN = "$skiptoken"


def _decode(token):
    try:
        padded = token + "=" * (-len(token) % 4)
        kind, _, value = base64.urlsafe_b64decode(padded).decode().partition(":")
        if kind != "offset":
            raise ValueError(token)
        return int(value)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "InvalidSkipToken", f"The skip token '{token}' is not valid.") from exc


def page(request, items, page_size, link_key):
    """One page of items for this request, as {"value": [...], link_key: next URL (if more)}."""
    token = request.param(SKIP_TOKEN)
    offset = _decode(token) if token else 0
    end = offset + max(1, int(page_size))
    result = {"value": items[offset:end]}
    if end < len(items):
        query = {k: v for k, v in request.query.items() if k.lower() != SKIP_TOKEN}
        query[SKIP_TOKEN] = b64url(f"offset:{end}")
        path = urllib.parse.quote(request.path, safe="/()'=,$:@")
        result[link_key] = f"https://{request.host}{path}?" + urllib.parse.urlencode(
            query, quote_via=urllib.parse.quote, safe="$'(),:")
    return result
