"""A real WebSocket client for the operator's socket, logged in with a real session cookie."""
import re

from simple_websocket import Client as _Client

from tests.helpers import login


class Client(_Client):
    """simple_websocket 1.1.0's Client reads the handshake's 101 with one recv(); a frame the
    server sent right after it, caught in that same read, waits in wsproto's buffer until
    more bytes arrive: for a socket sent nothing else, never (the state on connect, under
    load). Hand it over at once."""

    def handshake(self):
        super().handshake()
        self._handle_events()


def session_cookie(app, username: str) -> str:
    """Log in through the app (form, CSRF and all) and return the session cookie it set."""
    client = app.test_client()
    login(client, username)
    return f"session={client.get_cookie('session').value}"


def open_socket(base_url: str, cookie: str | None, language: str | None = None) -> Client:
    """The operator's socket; `language` is the browser's Accept-Language, if any."""
    url = base_url.replace("http://", "ws://") + "/ws/calls"
    headers = ({"Cookie": cookie} if cookie else {}) | (
        {"Accept-Language": language} if language else {})
    return Client.connect(url, headers=headers or None)


def pop_ids(html: str) -> list[str]:
    return re.findall(r'id="(pop-\d+)"', html)


def receive_until(ws: Client, predicate, timeout: float = 5.0) -> str:
    """Frames until one satisfies the predicate; fails the test after `timeout` seconds."""
    import time
    end = time.monotonic() + timeout
    while True:
        left = end - time.monotonic()
        assert left > 0, "no matching frame arrived in time"
        frame = ws.receive(timeout=left)
        if frame is not None and predicate(frame):
            return frame


def refusal(base_url: str, cookie: str | None) -> tuple[int, str]:
    """The close frame the server answers the socket with, read to the end of the stream.

    simple_websocket's Client loses a close frame that arrives in the same read as the
    handshake's 101 (it then reports 1005), so a refusal is read here with wsproto itself.
    """
    import socket
    from urllib.parse import urlsplit

    from wsproto import ConnectionType, WSConnection
    from wsproto.events import AcceptConnection, CloseConnection, Request

    url = urlsplit(base_url)
    ws = WSConnection(ConnectionType.CLIENT)
    headers = [("Cookie", cookie)] if cookie else []
    with socket.create_connection((url.hostname, url.port), timeout=5) as sock:
        sock.sendall(ws.send(Request(host=url.netloc, target="/ws/calls", extra_headers=headers)))
        accepted = False
        while data := sock.recv(4096):
            ws.receive_data(data)
            for event in ws.events():
                accepted = accepted or isinstance(event, AcceptConnection)
                if isinstance(event, CloseConnection):
                    assert accepted, "closed before the handshake was accepted"
                    return event.code, event.reason
    raise AssertionError("the server ended the stream without a close frame")
