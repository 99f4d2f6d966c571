"""The request log: one entry per request the emulated services received (admin API calls excluded)."""
import copy
import itertools
import threading
import time


class RequestLog:
    def __init__(self):
        self._lock = threading.Lock()
        self._entries = []
        self._ids = itertools.count(1)

    def start(self, request):
        entry = {"id": next(self._ids), "method": request.method, "host": request.host,
                 "service": request.service, "path": request.path, "query": dict(request.query),
                 "body": request.logged_body(), "status": None, "started": time.monotonic(), "ended": None}
        with self._lock:
            self._entries.append(entry)
        return entry

    def finish(self, entry, status):
        """status is the HTTP status, or 'drop' when the connection was closed without an answer."""
        with self._lock:
            entry["status"] = status
            entry["ended"] = time.monotonic()

    def entries(self):
        with self._lock:
            return copy.deepcopy(self._entries)

    def clear(self):
        with self._lock:
            self._entries.clear()
