"""When a user is disabled or given a new password, the pages they have open stop: their
socket is closed (1008, and the page reloads into the login), whatever tab it is in."""
import time

from simple_websocket import ConnectionClosed
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import User
from tests.helpers import csrf_from, login
from tests.telephony.sockets import open_socket, session_cookie


def _closed(ws, timeout: float = 5.0):
    end = time.monotonic() + timeout
    try:
        while ws.connected and time.monotonic() < end:
            ws.receive(timeout=0.2)
    except ConnectionClosed:
        pass
    return ws.connected, ws.close_reason, ws.close_message


def _admin_posts(app, path: str, **data):
    admin = app.test_client()
    login(admin, "admin")
    token = csrf_from(admin.get("/users").text)
    return admin.post(path, data={"csrf_token": token, **data})


def _id(app, username):
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def test_a_disabled_users_open_sockets_are_closed_and_others_stay(app, live_server):
    tabs = [open_socket(live_server, session_cookie(app, "operator")) for _ in range(2)]
    other = open_socket(live_server, session_cookie(app, "operator2"))
    try:
        for ws in tabs + [other]:
            assert ws.receive(timeout=15)  # the state on connect: subscribed
        response = _admin_posts(app, f"/users/{_id(app, 'operator')}/disable")
        assert response.status_code == 303
        for ws in tabs:
            assert _closed(ws) == (False, 1008, "Your session has ended. Log in again.")
        assert other.connected and other.receive(timeout=0.3) is None
    finally:
        for ws in tabs + [other]:
            if ws.connected:
                ws.close()


def test_a_new_password_closes_the_users_sockets(app, live_server):
    ws = open_socket(live_server, session_cookie(app, "operator"))
    try:
        assert ws.receive(timeout=15)
        strong = "kava-v-ranci-42"
        response = _admin_posts(app, f"/users/{_id(app, 'operator')}/password",
                                password=strong, password_again=strong)
        assert response.status_code == 303
        assert _closed(ws)[:2] == (False, 1008)
    finally:
        if ws.connected:
            ws.close()
