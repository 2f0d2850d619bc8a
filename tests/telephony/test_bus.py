"""The bus: in-process, and Redis pub/sub reaching a socket held by another web process."""
import shutil
import threading
import time

import pytest

from survey_app import create_app
from survey_app.telephony.bus import RESEND, LocalBus, RedisBus, topic_for
from survey_app.telephony.calls import events as ev
from tests.conftest import start_redis
from tests.telephony.sockets import open_socket, session_cookie

# end to end: run on PostgreSQL, the production database (tests/conftest.py)
pytestmark = pytest.mark.database("postgresql")


def test_local_bus_delivers_per_topic_in_order():
    bus = LocalBus()
    mine, other = bus.subscribe(topic_for("305")), bus.subscribe(topic_for("306"))
    for n in range(3):
        bus.publish(topic_for("305"), f"m{n}")
    assert [mine.get(0.1) for _ in range(3)] == ["m0", "m1", "m2"]
    assert other.get(0.05) is None
    mine.close()
    assert bus.publish(topic_for("305"), "late") == 0


def test_a_stalled_page_loses_its_oldest_messages_not_the_newest():
    bus = LocalBus()
    inbox = bus.subscribe("ext:305")
    for n in range(600):
        bus.publish("ext:305", str(n))
    first = inbox.get(0.1)
    assert first == "100"  # 500 kept: the newest state always arrives


def test_redis_bus_carries_a_message_between_two_processes_buses(redis_url):
    one, two = RedisBus(redis_url), RedisBus(redis_url)
    try:
        inbox = two.subscribe(topic_for("305"))
        got = threading.Event()
        for _ in range(50):  # the listener thread subscribes asynchronously
            one.publish(topic_for("305"), "<div id='call-pops'>hello</div>")
            if inbox.get(0.1):
                got.set()
                break
        assert got.is_set()
    finally:
        one.close()
        two.close()


class OwnRedis:
    """A redis-server of the test's own, to stop and start again on the same port."""

    def __init__(self, folder):
        self.binary, self.folder = shutil.which("redis-server"), folder
        self.server, self.url = start_redis(self.binary, folder)

    def stop(self) -> None:
        self.server.kill()  # as a crash: no goodbye to the clients
        self.server.wait(timeout=10)

    def start(self) -> None:
        port = int(self.url.rsplit(":", 1)[1].split("/")[0])
        self.server, _ = start_redis(self.binary, self.folder, port=port)


def _received(inbox, wanted: str, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if inbox.get(0.2) == wanted:
            return True
    return False


def test_after_redis_restarts_the_bus_subscribes_again_and_every_socket_resends(tmp_path):
    redis = OwnRedis(tmp_path)
    one, two = RedisBus(redis.url), RedisBus(redis.url)
    try:
        inbox = two.subscribe(topic_for("305"))
        assert any(one.publish(topic_for("305"), "before") == 2 for _ in _tries())  # both
        assert _received(inbox, "before")
        redis.stop()
        assert one.publish(topic_for("305"), "lost") == 0  # dropped, not raised
        assert one.failing() is not None
        redis.start()
        assert _received(inbox, RESEND)  # what was lost is sent anew from the database
        # both processes listen again (each subscribes again on its own, within a second)
        assert any(one.publish(topic_for("305"), "after") == 2 for _ in _tries())
        assert _received(inbox, "after")
    finally:
        one.close()
        two.close()
        redis.stop()


def _tries(times: int = 50, pause: float = 0.1):
    """Up to `times` rounds, `pause` apart: the listener thread subscribes asynchronously."""
    for _ in range(times):
        yield
        time.sleep(pause)


def test_a_pop_lost_while_redis_was_down_reaches_the_page_when_it_is_back(
        app, tmp_path, live_server):
    """A call rings while Redis is down: its pop is lost on the way, and the page gets it
    with the state resent when the bus is back, not at its next reload."""
    redis = OwnRedis(tmp_path)
    app.extensions["telephony"].bus = RedisBus(redis.url)
    other = create_app({**app.config, "REDIS_URL": redis.url})
    ws = open_socket(live_server, session_cookie(app, "operator"))
    try:
        assert "Уляненко Олександра" not in ws.receive(timeout=5)
        redis.stop()
        other.extensions["telephony"].apply([ev.CallEvent(
            ev.RINGING, "1795635395.1", "305", ev.INBOUND, number="+380501234567")])
        redis.start()
        frame = ws.receive(timeout=15)
        assert frame and "Уляненко Олександра" in frame
    finally:
        ws.close()
        app.extensions["telephony"].bus.close()
        other.extensions["telephony"].bus.close()
        redis.stop()


def test_pop_reaches_the_socket_held_by_another_web_process(app, redis_url, live_server):
    """`app` serves the socket; a second app (another process) records the ringing call."""
    app.extensions["telephony"].bus = RedisBus(redis_url)
    other = create_app({**app.config, "REDIS_URL": redis_url})
    ws = open_socket(live_server, session_cookie(app, "operator"))
    try:
        ws.receive(timeout=5)
        frame = None
        for attempt in range(20):
            other.extensions["telephony"].apply([ev.CallEvent(
                ev.RINGING, f"1795635395.{attempt}", "305", ev.INBOUND,
                number="+380501234567")])
            frame = ws.receive(timeout=0.25)
            if frame:
                break
        assert frame and "Уляненко Олександра" in frame
    finally:
        ws.close()
        app.extensions["telephony"].bus.close()
        other.extensions["telephony"].bus.close()


def test_the_local_bus_knows_which_topics_a_socket_reads():
    bus = LocalBus()
    assert not bus.listened(topic_for("305", "uk"))
    with bus.subscribe(topic_for("305", "uk")):
        assert bus.listened(topic_for("305", "uk"))
        assert not bus.listened(topic_for("305", "en"))
    assert not bus.listened(topic_for("305", "uk"))
