"""The bridge's process killed mid-call and started again (systemd would): the new process
knows nothing of the calls before it, so its first resync ends those the PBX no longer has
and keeps those it still has; no pop rings on."""
import threading

import pytest
from sqlalchemy import select

from survey_app import create_app
from survey_app.extensions import db
from survey_app.models import Call
from tests.telephony.ami_peer import AmiPeer, wait_until
from tests.telephony.sockets import open_socket, session_cookie
from tests.telephony.transcripts import messages

pytestmark = pytest.mark.database("postgresql")  # end to end: the production database


def _calls(app) -> list[Call]:
    with app.app_context():
        calls = db.session.scalars(select(Call).order_by(Call.id)).all()
        db.session.expunge_all()
        return calls


def _before(transcript: str, event: str) -> int:
    return next(i for i, m in enumerate(messages(transcript)) if m.get("Event") == event)


def _ringing_then_the_bridge_dies(app, pbx) -> threading.Event:
    """The call of inbound_answered.ami rings at 305 and is held there; then the bridge's
    process is gone (stopped, its memory of the call with it)."""
    held = threading.Event()
    pbx("inbound_answered.ami", pauses={_before("inbound_answered.ami", "DialEnd"): held})
    assert wait_until(lambda: [c.state for c in _calls(app)] == ["ringing"])
    app.extensions["telephony"].stop()
    return held


def _restarted_bridge(app, transcript: str) -> tuple:
    """A new process: a new app on the same database and its bridge, logged in to a PBX
    that replays `transcript` (whose channels up are what CoreShowChannels lists)."""
    restarted = create_app(dict(app.config))
    peer = AmiPeer(transcript, pace=0.001)
    peer.configure(restarted)
    restarted.extensions["telephony"].start_bridge()
    return restarted, peer


def test_a_call_that_ended_while_the_bridge_was_down_ends_at_its_restart(app, pbx,
                                                                         live_server):
    held = _ringing_then_the_bridge_dies(app, pbx)
    restarted, peer = _restarted_bridge(app, "operator_registration.ami")  # no call up
    try:
        assert wait_until(lambda: _calls(app)[0].state == "ended", timeout=10)
        [call] = _calls(app)
        assert (call.outcome, call.answered_at) == ("no_answer", None)
        ws = open_socket(live_server, session_cookie(app, "operator"))  # a page opened now
        try:
            first = ws.receive(timeout=5)
        finally:
            ws.close()
        assert 'id="call-pops"' in first and "pop-ringing" not in first
    finally:
        held.set()
        restarted.extensions["telephony"].stop()
        peer.close()


def test_a_call_still_up_at_the_restart_is_kept_and_ends_when_it_does(app, pbx):
    held = _ringing_then_the_bridge_dies(app, pbx)
    restarted, peer = _restarted_bridge(app, "reconnect_mid_call.ami")  # a call up, talking
    try:
        assert wait_until(lambda: any(c.linkedid == "1795635619.46" for c in _calls(app)),
                          timeout=10)
        assert wait_until(lambda: all(c.ended_at for c in _calls(app)), timeout=10)
        outcomes = {c.linkedid: c.outcome for c in _calls(app)}
        assert outcomes == {"1795635395.0": "no_answer", "1795635619.46": "answered"}
    finally:
        held.set()
        restarted.extensions["telephony"].stop()
        peer.close()
