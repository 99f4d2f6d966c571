"""Threaded HTTP(S) listeners that hand every request to one application callable.

The application is called as app(request) and returns a routing.Response or routing.DROP.
stop() closes the listening socket and every open connection, so ports and threads go at once.
"""
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .routing import DROP, Request


class ConnectionTracker:
    def __init__(self):
        self._lock = threading.Lock()
        self._sockets = set()

    def add(self, sock):
        with self._lock:
            self._sockets.add(sock)

    def discard(self, sock):
        with self._lock:
            self._sockets.discard(sock)

    def close_all(self):
        """Shut every open connection down; the thread that owns each socket then sees EOF and closes it.
        (Closing here instead would race with that thread's select/epoll and could leave it waiting.)"""
        with self._lock:
            sockets, self._sockets = list(self._sockets), set()
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "AzureEmulator/1.0"
    sys_version = ""
    timeout = 60  # idle keep-alive connections are closed after this long

    def log_message(self, *args):  # keep test output clean
        pass

    def _serve(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        host = (self.headers.get("Host") or "").lower()
        if host.count(":") == 1:  # drop the port (not for bracketed IPv6 literals)
            host = host.split(":")[0]
        request = Request(self.command, host, self.path, self.headers, body, self.server.name)
        response = self.server.app(request)
        if response is DROP:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        # One write for head and body: separate small writes stall on Nagle + delayed ACK.
        reason = self.responses.get(response.status, ("",))[0]
        head = [f"HTTP/1.1 {response.status} {reason}", f"Server: {self.server_version}",
                f"Date: {self.date_time_string()}", f"Content-Length: {len(response.body)}"]
        head += [f"{key}: {value}" for key, value in response.headers.items()]
        body = response.body if self.command != "HEAD" else b""
        self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve


class LoopbackServer:
    """Mixin for the threaded servers on 127.0.0.1: serve in a thread; stop() ends it, its socket and every open
    connection (tracked in self.tracker) at once. Connection resets are normal here and not reported."""
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False
    name = "server"
    _thread = None

    def handle_error(self, request, client_address):
        pass

    def start(self):
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"emulator-{self.name}", daemon=True)
        self._thread.start()

    def stop(self):
        self.shutdown()
        self.server_close()
        self.tracker.close_all()
        if self._thread is not None:
            self._thread.join(timeout=5)


class HttpListener(LoopbackServer, ThreadingHTTPServer):
    def __init__(self, name, port, app, ssl_context=None):
        self.name = name
        self.app = app
        self.ssl_context = ssl_context
        self.tracker = ConnectionTracker()
        super().__init__(("127.0.0.1", port), _Handler)
        self.port = self.server_address[1]

    def finish_request(self, request, client_address):
        try:
            request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self.ssl_context is not None:
                request.settimeout(30)
                request = self.ssl_context.wrap_socket(request, server_side=True)
                request.settimeout(None)
        except (OSError, ssl.SSLError):
            request.close()
            return
        self.tracker.add(request)
        try:
            super().finish_request(request, client_address)
        finally:
            self.tracker.discard(request)

    def shutdown_request(self, request):
        try:
            super().shutdown_request(request)
        except OSError:
            pass
