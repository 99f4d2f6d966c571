"""A CONNECT-only forward proxy: tunnels the emulated hosts to the local TLS listener, refuses the rest."""
import selectors
import socket
import socketserver

from .server import ConnectionTracker, LoopbackServer


class _ProxyHandler(socketserver.BaseRequestHandler):
    def _reply(self, status_line):
        self.request.sendall(f"HTTP/1.1 {status_line}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode())

    def _read_head(self):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.request.recv(4096)
            if not chunk:
                return None
            data += chunk
            if len(data) > 65536:
                return None
        return data.split(b"\r\n", 1)[0].decode("latin-1")

    def handle(self):
        server = self.server
        server.tracker.add(self.request)
        try:
            self.request.settimeout(30)
            line = self._read_head()
            if not line:
                return
            parts = line.split()
            if len(parts) < 2 or parts[0].upper() != "CONNECT":
                self._reply("405 Method Not Allowed")
                return
            host, _, port = parts[1].rpartition(":")
            if host.lower() not in server.allowed_hosts or port != "443":
                self._reply("403 Forbidden")
                return
            upstream = socket.create_connection(("127.0.0.1", server.target_port))
            for sock in (upstream, self.request):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            server.tracker.add(upstream)
            try:
                self.request.sendall(b"HTTP/1.1 200 Connection Established\r\n\r\n")
                self.request.settimeout(None)
                _relay(self.request, upstream)
            finally:
                server.tracker.discard(upstream)
                upstream.close()
        except OSError:
            pass
        finally:
            server.tracker.discard(self.request)


QUICKACK = getattr(socket, "TCP_QUICKACK", None)


def _relay(a, b):
    """Copy bytes both ways until either side closes. Clients tunnelling through a proxy often leave Nagle on
    and send a request's head and body in two writes; acking at once (TCP_QUICKACK, Linux) avoids the 40 ms
    delayed-ACK stall on every request with a body."""
    peer = {a: b, b: a}
    with selectors.DefaultSelector() as sel:
        sel.register(a, selectors.EVENT_READ)
        sel.register(b, selectors.EVENT_READ)
        while True:
            for key, _ in sel.select(timeout=120) or [(None, None)]:
                if key is None:
                    return  # idle
                data = key.fileobj.recv(65536)
                if not data:
                    return
                if QUICKACK is not None:
                    key.fileobj.setsockopt(socket.IPPROTO_TCP, QUICKACK, 1)
                peer[key.fileobj].sendall(data)


class ConnectProxy(LoopbackServer, socketserver.ThreadingTCPServer):
    name = "proxy"

    def __init__(self, target_port, allowed_hosts):
        self.target_port = target_port
        self.allowed_hosts = {h.lower() for h in allowed_hosts}
        self.tracker = ConnectionTracker()
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.port = self.server_address[1]
