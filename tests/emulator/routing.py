"""Request/response objects and a tiny regex router shared by every emulated service."""
# pylint: disable=too-many-positional-arguments,too-many-instance-attributes,too-few-public-methods
import json
import re
import urllib.parse

from .util import dumps

DROP = object()  # a handler result meaning: close the connection without answering


class Request:
    def __init__(self, method, host, raw_path, headers, body, listener):
        self.method = method.upper()
        self.host = host
        self.listener = listener
        self.raw_path = raw_path
        split = urllib.parse.urlsplit(raw_path)
        self.path = urllib.parse.unquote(split.path)
        self.query_string = split.query
        self.query = {k: v[-1] for k, v in urllib.parse.parse_qs(split.query, keep_blank_values=True).items()}
        self.headers = headers
        self.body = body
        self.service = None

    def header(self, name, default=None):
        return self.headers.get(name, default)

    def param(self, name, default=None):
        """A query parameter, matched case-insensitively (ARM and Graph both accept any case)."""
        lower = name.lower()
        for key, value in self.query.items():
            if key.lower() == lower:
                return value
        return default

    def json(self):
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def form(self):
        return {k: v[-1] for k, v in urllib.parse.parse_qs(self.body.decode("utf-8", "replace")).items()}

    def logged_body(self):
        if not self.body:
            return None
        parsed = self.json()
        if parsed is not None:
            return parsed
        if "x-www-form-urlencoded" in (self.header("Content-Type") or ""):
            return self.form()
        return self.body.decode("utf-8", "replace")


class Response:
    def __init__(self, status, body=b"", headers=None, content_type="application/json; charset=utf-8"):
        self.status = status
        self.headers = dict(headers or {})
        if body is None:
            body = b""
        if not isinstance(body, (bytes, str)):
            body = dumps(body)
        self.body = body.encode() if isinstance(body, str) else body
        if self.body and content_type:
            self.headers.setdefault("Content-Type", content_type)


def json_response(status, obj, headers=None):
    return Response(status, dumps(obj), headers)


class Router:
    """Ordered (methods, regex, handler) table; paths match case-insensitively and in full."""

    def __init__(self):
        self._routes = []

    def add(self, methods, pattern, handler):
        self._routes.append((set(methods.split()), re.compile(pattern + r"/?$", re.IGNORECASE), handler))

    def resolve(self, method, path):
        """(handler, match) for the request, (None, True) when only the method differs, (None, None) if no path."""
        path_known = False
        for methods, regex, handler in self._routes:
            match = regex.match(path)
            if match:
                if method in methods:
                    return handler, match
                path_known = True
        return None, path_known


def bearer_token(request):
    value = request.header("Authorization") or ""
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None
