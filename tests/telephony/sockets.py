"""A real WebSocket client for the operator's socket, logged in with a real session cookie."""
import re

from simple_websocket import Client

from tests.helpers import login


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
