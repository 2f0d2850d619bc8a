"""A web process runs at most REQUEST_SLOTS requests at once; the rest wait their turn, and
one that waits too long is told to try again in the user's language. Sockets take no slot."""
import threading

import pytest

from tests.helpers import login
from tests.telephony.sockets import open_socket, session_cookie

BUSY_UK = "Сервіс зараз недоступний"


def _count_running(app) -> dict:
    """How many requests are inside the app at once, at most (hooks of the test's own)."""
    seen = {"now": 0, "most": 0}
    lock = threading.Lock()

    @app.before_request
    def entered():
        with lock:
            seen["now"] += 1
            seen["most"] = max(seen["most"], seen["now"])

    @app.teardown_request
    def left(_error):
        with lock:
            seen["now"] -= 1
    return seen


def test_no_more_requests_run_at_once_than_the_slots_and_every_one_is_served(app):
    seen = _count_running(app)
    statuses, lock = [], threading.Lock()

    def browse():
        client = app.test_client()
        for _ in range(5):
            status = client.get("/login").status_code
            with lock:
                statuses.append(status)
    threads = [threading.Thread(target=browse) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [200] * 40
    assert seen["most"] == app.config["REQUEST_SLOTS"] == 2


def _all_slots_taken(app):
    slots = app.wsgi_app.slots
    for _ in range(app.config["REQUEST_SLOTS"]):
        assert slots.acquire(timeout=5)
    return slots


def test_a_request_that_gets_no_slot_in_time_is_told_to_try_again_in_its_language(
        app, client):
    login(client, "operator")
    app.config["REQUEST_SLOT_TIMEOUT"] = 0.2
    slots = _all_slots_taken(app)
    try:
        page = client.get("/contacts", headers={"Accept-Language": "uk"})
        fragment = client.get("/contacts?q=Уля", headers={"HX-Request": "true",
                                                            "Accept-Language": "uk"})
    finally:
        for _ in range(app.config["REQUEST_SLOTS"]):
            slots.release()
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    assert "<html" in page.text and "Traceback" not in page.text
    assert fragment.status_code == 503 and "<html" not in fragment.text
    # the operator has saved no choice: the browser's language is the page's
    assert BUSY_UK in page.text and BUSY_UK in fragment.text
    assert client.get("/contacts").status_code == 200  # the slots free: served again


@pytest.mark.database("postgresql")
def test_a_socket_opens_while_every_slot_is_taken(app, live_server):
    cookie = session_cookie(app, "operator")
    slots = _all_slots_taken(app)
    try:
        ws = open_socket(live_server, cookie)
        try:
            assert 'id="pbx-status"' in ws.receive(timeout=10)
        finally:
            ws.close()
    finally:
        for _ in range(app.config["REQUEST_SLOTS"]):
            slots.release()
