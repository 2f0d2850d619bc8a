"""Real bytes end to end: replaying AMI peer -> pyst2 bridge -> translator -> call log ->
bus -> the operator's WebSocket (a real client)."""
import json
import logging

import pytest
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Call, User
from survey_app.telephony.bus import DEBUG_MARK
from tests.telephony.ami_peer import wait_until
from tests.telephony.sockets import open_socket, receive_until, session_cookie

# end to end: run on PostgreSQL, the production database (tests/conftest.py)
pytestmark = pytest.mark.database("postgresql")


@pytest.fixture
def connect(app, live_server, pbx):
    """Open the operators' sockets first, then start the bridge against a replaying peer."""
    opened = []

    def run(transcript, usernames=("operator",), **peer_options):
        sockets = [open_socket(live_server, session_cookie(app, name)) for name in usernames]
        opened.extend(sockets)
        for ws in sockets:
            ws.receive(timeout=5)  # the state on connect
        pbx(transcript, **peer_options)
        return sockets

    yield run
    for ws in opened:
        ws.close()


def _calls(app):
    with app.app_context():
        return db.session.scalars(select(Call).order_by(Call.id)).all()


def test_inbound_answered_call_pops_with_the_contact_and_ends_answered(app, connect):
    [ws] = connect("inbound_answered.ami")
    ringing = receive_until(ws, lambda f: "Incoming call" in f or "Talking" in f)
    assert "Уляненко Олександра" in ringing and "+380 50 123 4567" in ringing
    receive_until(ws, lambda f: "Ended" in f)
    assert wait_until(lambda: _calls(app) and _calls(app)[0].ended_at is not None)
    [call] = _calls(app)
    assert (call.extension, call.direction, call.outcome) == ("305", "inbound", "answered")
    assert call.contact_id is not None and call.answered_at is not None


def test_unknown_and_withheld_callers(app, connect):
    [ws] = connect(["unknown_caller.ami"])
    frame = receive_until(ws, lambda f: "Create contact" in f)
    assert "0442223344" in frame


def test_withheld_number_says_so(app, connect):
    [ws] = connect("anonymous_caller.ami")
    assert "withheld the number" in receive_until(ws, lambda f: "pop-" in f)


def test_concurrent_calls_reach_the_right_operators_only(app, connect):
    mine, theirs = connect("concurrent_calls.ami", usernames=("operator", "operator2"))
    assert wait_until(lambda: len(_calls(app)) == 4 and all(c.ended_at for c in _calls(app)),
                      timeout=10)
    by_extension = {}
    for call in _calls(app):
        by_extension.setdefault(call.extension, set()).add(call.external_number)
    for ws, extension in ((mine, "305"), (theirs, "306")):
        frame = receive_until(ws, lambda f: "pop-" in f)
        others = set().union(*(n for e, n in by_extension.items() if e != extension))
        assert not any(number in frame for number in others - by_extension[extension])


def test_dropped_connection_mid_call_reconnects_resyncs_and_ends_the_pop(app, connect):
    [ws] = connect(["inbound_answered.ami", "reconnect_mid_call.ami"], drop_after=14)
    assert wait_until(lambda: app.extensions["telephony"].bridge.connected, timeout=10)
    assert wait_until(lambda: _calls(app) and all(c.ended_at for c in _calls(app)),
                      timeout=10)
    receive_until(ws, lambda f: "Ended" in f, timeout=10)


def test_raw_ami_events_reach_only_an_operator_with_debug_on(app, connect):
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "operator")).telephony_debug = True
        db.session.commit()
    debugging, plain = connect("concurrent_calls.ami", usernames=("operator", "operator2"))
    for ws, debug_on in ((debugging, True), (plain, False)):
        frames = []
        receive_until(ws, lambda f, frames=frames: frames.append(f) or "Ended" in f)
        raw = [f for f in frames if f.startswith(DEBUG_MARK)]
        assert bool(raw) is debug_on
        assert all(_names_305(f) for f in raw)


def _names_305(frame: str) -> bool:
    event = json.loads(frame[len(DEBUG_MARK):])
    return any(k.endswith("Channel") and v.startswith("PJSIP/305-") for k, v in event.items())


@pytest.mark.parametrize(("transcript", "answered_by", "closed_for"), [
    ("inbound_queue_local_members.ami", "305", "306"),  # ringall: 306's phone rang too
    ("inbound_queue.ami", "306", "305"),  # 305 rang first, unanswered; the queue moved on
])
def test_when_one_operator_answers_the_others_pops_close(app, connect, transcript,
                                                         answered_by, closed_for):
    sockets = dict(zip(("305", "306"), connect(transcript, usernames=("operator", "operator2")),
                       strict=True))
    receive_until(sockets[closed_for], lambda f: 'class="pop pop-ringing"' in f)
    receive_until(sockets[answered_by], lambda f: "Talking" in f)
    receive_until(sockets[closed_for], lambda f: 'id="call-pops"' in f and "pop-" not in f)
    assert wait_until(lambda: all(c.ended_at for c in _calls(app)) and len(_calls(app)) == 2)
    outcome = {c.extension: (c.outcome, c.dismissed) for c in _calls(app)}
    assert outcome[answered_by] == ("answered", False)
    assert outcome[closed_for][1] is True  # kept in the Calls section, gone from the pops


def test_a_late_resync_keeps_the_call_that_rings_meanwhile(app, pbx, caplog):
    """The resync's channel list comes 0.3 s after the call began to ring: it lists that call,
    as Asterisk does, so the pop keeps ringing (an empty list ended it, 'no answer')."""
    from threading import Event

    from tests.telephony.transcripts import messages
    answer = Event()
    dial_end = next(i for i, m in enumerate(messages("inbound_answered.ami"))
                    if m.get("Event") == "DialEnd")
    caplog.set_level(logging.INFO, logger="survey_app.telephony.pipeline")
    pbx("inbound_answered.ami", delays={"CoreShowChannels": 0.3}, pauses={dial_end: answer})
    try:
        assert wait_until(lambda: any(r.getMessage().startswith("PBX resync: ")
                                      for r in caplog.records))
        [call] = _calls(app)
        assert (call.state, call.outcome) == ("ringing", None)
    finally:
        answer.set()
    assert wait_until(lambda: _calls(app)[0].outcome == "answered")
