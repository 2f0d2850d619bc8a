"""The bus: in-process, and Redis pub/sub reaching a socket held by another web process."""
import threading

import pytest

from survey_app import create_app
from survey_app.telephony.bus import LocalBus, RedisBus, topic_for
from survey_app.telephony.calls import events as ev
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
