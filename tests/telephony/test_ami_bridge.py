"""The AMI bridge against a real TCP peer replaying recorded Asterisk sessions: the stream."""
import socket
import threading
import warnings

import pytest

from survey_app.telephony.ami import bridge as ami
from survey_app.telephony.ami.bridge import AmiBridge, values
from survey_app.telephony.ami.session import AmiSession
from tests.telephony import transcripts
from tests.telephony.ami_peer import AmiPeer, Recorder, build_message, wait_until

FAST = {"timeout": 1.0, "ping_interval": 5.0, "backoff_initial": 0.05, "backoff_max": 0.2}


@pytest.fixture
def bridge_for():
    """bridge_for(peer, **options) -> (bridge, recorder), started; stopped after the test."""
    made = []

    def make(peer, secret="crmsecret", recorder=None, **options):
        recorder = recorder or Recorder()
        bridge = AmiBridge(peer.host, peer.port, "crm", secret,
                           **{**recorder.callbacks(), **FAST, **options})
        made.append(bridge)
        bridge.start()
        return bridge, recorder

    yield make
    for bridge in made:
        bridge.stop()


def unsolicited(name):
    """The recorded events that no action asked for (what on_event gets in a replay)."""
    return [e for e in transcripts.events(name) if "ActionID" not in e]


@pytest.mark.parametrize("name", ["inbound_answered.ami", "concurrent_calls.ami",
                                  "inbound_queue_local_members.ami"])
def test_every_recorded_event_arrives_in_order(bridge_for, name):
    expected = transcripts.events(name)
    with AmiPeer(name) as peer:
        bridge, seen = bridge_for(peer)
        assert wait_until(lambda: len(seen.events) >= len(expected) and seen.resyncs)
        assert seen.events == expected
        assert bridge.connected
        assert seen.statuses[0][1:] == (True, f"AMI connected to 127.0.0.1:{peer.port} "
                                              "(Asterisk Call Manager/11.0.0)")
        [resync] = seen.resyncs  # the channels up when the list was asked for, if any yet
        assert {c["Channel"] for c in resync} <= {e.get("Channel") for e in expected}
        assert [a.name for a in peer.actions] == ["Login", "CoreShowChannels"]


def test_wrong_secret_is_reported_and_retried_with_growing_delays(bridge_for):
    with AmiPeer(secret="crmsecret") as peer:
        _, seen = bridge_for(peer, secret="wrong", backoff_initial=0.1, backoff_max=0.8)
        assert wait_until(lambda: len(peer.connected_at) >= 6, timeout=10)
        attempts = list(peer.connected_at)
        # while the peer still answers: an attempt as it closes finds no banner instead
        statuses = {message for _, _, message in seen.statuses}
    gaps = [b - a for a, b in zip(attempts, attempts[1:], strict=False)]
    # waits 0.1, 0.2, 0.4, 0.8, 0.8 ... each less up to 50% (jitter): the fourth is at least
    # 0.4 s, more than twice the first (at most 0.1 s plus the login's round trip)
    assert gaps[3] > 2 * gaps[0], gaps
    assert gaps[3] >= 0.4 - 0.01, gaps
    assert statuses == {"AMI login refused: Authentication failed"}


def test_asterisk_down_is_reported_and_retried_with_backoff():
    seen = Recorder()
    with socket.socket() as held:  # bound, not listening: connections are refused
        held.bind(("127.0.0.1", 0))
        port = held.getsockname()[1]
        bridge = AmiBridge("127.0.0.1", port, "crm", "crmsecret", **seen.callbacks(),
                           timeout=1.0, backoff_initial=0.1, backoff_max=0.4)
        bridge.start()
        assert wait_until(lambda: len(seen.statuses) >= 3)  # refused, and retried
        bridge.stop()
    messages = [message for _, _, message in seen.statuses]
    assert messages[-1] == "AMI bridge stopped"
    assert messages[0].startswith(f"AMI connection to 127.0.0.1:{port} failed: cannot connect")


def test_recorded_login_failure_is_reported(bridge_for):
    with AmiPeer("ami_login_failure.ami") as peer:
        _, seen = bridge_for(peer, secret="wrongsecret")
        assert wait_until(lambda: seen.statuses)
        assert seen.statuses[0][1:] == (False, "AMI login refused: Authentication failed")


def test_dropped_connection_reconnects_with_a_new_manager_and_resyncs(bridge_for, monkeypatch):
    sessions = []

    def new_session(*args, **kwargs):
        sessions.append(AmiSession(*args, **kwargs))
        return sessions[-1]

    monkeypatch.setattr(ami, "AmiSession", new_session)
    cut = b"Event: Hangup\r\nPrivilege: call,all\r\nChannel: PJSIP/tru"  # then the drop
    second = unsolicited("reconnect_mid_call.ami")
    # The first call's channel comes up only after the first resync has been read, so that
    # resync is empty however late the bridge asks (a slow CoreShowChannels reply included).
    resynced = threading.Event()
    with AmiPeer(["inbound_answered.ami", "reconnect_mid_call.ami"], pauses={2: resynced},
                 delays={"CoreShowChannels": 0.2},
                 drop_after=40, inject={40: cut}, pace=0.002) as peer:
        bridge, seen = bridge_for(peer)
        assert wait_until(lambda: seen.resyncs)
        resynced.set()
        assert wait_until(lambda: len(seen.events) >= 39 + len(second))
        assert wait_until(lambda: len(seen.resyncs) == 2)
    assert seen.events == transcripts.events("inbound_answered.ami")[:39] + second
    assert len(sessions) == 2 and sessions[0].closed.is_set()
    assert seen.resyncs[0] == []
    items = [e for e in transcripts.events("reconnect_mid_call.ami")
             if e["Event"] == "CoreShowChannel"]
    assert [drop_id(c) for c in seen.resyncs[1]] == [drop_id(c) for c in items]
    assert [ok for _, ok, _ in seen.statuses[:3]] == [True, False, True]
    assert seen.statuses[1][2] == "AMI connection lost: closed by Asterisk; reconnecting"


def drop_id(headers):
    return {k: v for k, v in headers.items() if k != "ActionID"}


def test_resync_reaches_on_resync_before_the_events_after_the_list(bridge_for):
    with AmiPeer("reconnect_mid_call.ami") as peer:
        _, seen = bridge_for(peer)
        assert wait_until(lambda: len(seen.events) >= len(unsolicited("reconnect_mid_call.ami")))
    assert seen.timeline[:4] == [("status", True), ("event", "FullyBooted"), ("resync", 2),
                                 ("event", "RTCPSent")]


def test_garbage_truncated_messages_and_cp1251_names_do_not_stop_the_bridge(bridge_for):
    cp1251 = {"Event": "Newchannel", "Channel": "PJSIP/trunk-00000099",
              "CallerIDNum": "+380501234567", "CallerIDName": "Уляненко"}
    cut_utf8 = b"Event: NewCallerid\r\nCallerIDName: " + "Уляненко".encode()[:-1] + b"\r\n\r\n"
    inject = {3: b"a garbage line\r\n", 5: b"\x00\xff\xfe junk\r\n\r\n",
              7: b"Event: Newchannel\r\nChannel: PJSIP/trunk-000\r\n\r\n",
              9: build_message(cp1251, "cp1251"), 11: cut_utf8}
    expected = transcripts.events("inbound_answered.ami")
    expected[10:10] = [{"Event": "NewCallerid", "CallerIDName": "Уляненк\ufffd"}]
    expected[8:8] = [cp1251]
    expected[6:6] = [{"Event": "Newchannel", "Channel": "PJSIP/trunk-000"}]
    with AmiPeer(inject=inject) as peer:
        bridge, seen = bridge_for(peer)
        assert wait_until(lambda: len(seen.events) >= len(expected) and seen.resyncs)
        assert seen.events == expected
        assert bridge.connected


def test_chan_variable_headers_are_kept_as_repeated_values(bridge_for):
    event = [("Event", "Newchannel"), ("Channel", "PJSIP/305-00000001"),
             ("ChanVariable", "CRM_CALL_ID=crm-1"), ("ChanVariable", "CRM_OPERATOR=305"),
             ("DestChanVariable", "NOEQUALS")]
    expected = transcripts.events("inbound_answered.ami")
    with AmiPeer(inject={2: build_message(event)}) as peer:
        _, seen = bridge_for(peer)
        assert wait_until(lambda: len(seen.events) >= len(expected) + 1)
    injected = seen.events.pop(1)
    assert values(injected, "ChanVariable") == ["CRM_CALL_ID=crm-1", "CRM_OPERATOR=305"]
    assert injected["DestChanVariable"] == "NOEQUALS"
    assert seen.events == expected


def test_a_raising_callback_does_not_stop_later_events(bridge_for, caplog):
    expected = transcripts.events("inbound_answered.ami")
    seen = Recorder()

    def flaky(headers):
        seen.on_event(headers)
        if len(seen.events) % 5 == 0:
            raise RuntimeError("translator bug")

    with AmiPeer() as peer:
        bridge_for(peer, recorder=seen, on_event=flaky)
        assert wait_until(lambda: len(seen.events) >= len(expected))
    assert seen.events == expected
    assert "AMI callback failed" in caplog.text


def test_status_list_does_not_swallow_unrelated_events(bridge_for):
    between = {"Event": "Newchannel", "Channel": "PJSIP/trunk-000000ff"}
    expected = unsolicited("reconnect_mid_call.ami")
    expected[1:1] = [between]
    with AmiPeer("reconnect_mid_call.ami", skip=(), inject={8: build_message(between)}) as peer:
        bridge, seen = bridge_for(peer)
        assert wait_until(lambda: bridge.connected and seen.resyncs)
        response, items = bridge.list_action("Status", Channel="")
        assert wait_until(lambda: len(seen.events) >= len(expected))
    assert response["Message"] == "Channel status will follow"
    assert [e["Event"] for e in items] == ["Status", "Status"]
    assert items[0]["ActionID"] == response["ActionID"]
    assert seen.events == expected


def test_silent_peer_is_noticed_within_two_ping_intervals(bridge_for):
    with AmiPeer(silent_after=20, pace=0.005) as peer:
        _, seen = bridge_for(peer, ping_interval=0.3)
        assert wait_until(lambda: len(seen.statuses) >= 2)
        assert wait_until(lambda: peer.connections == 2 and len(seen.statuses) >= 3)
    _, ok, message = seen.statuses[1]
    assert not ok and "no answer to Ping within 0.3 s" in message
    noticed_after = seen.statuses[1][0] - seen.event_times[18]  # the last event before silence
    assert noticed_after < 2 * 0.3 + 0.2
    assert seen.statuses[2][1] is True


def test_stop_returns_within_a_second_when_the_peer_is_silent(bridge_for):
    with AmiPeer(silent_after=3) as peer:
        bridge, seen = bridge_for(peer, timeout=5.0)
        assert wait_until(lambda: len(seen.events) == 2 and bridge.connected)
        assert wait_until(lambda: peer.actions_named("CoreShowChannels"))
        stopping = threading.Thread(target=bridge.stop)  # its own deadline: 1 s
        stopping.start()
        stopping.join(3)  # a stop that waited for the silent peer's 5 s timeout is still here
        assert not stopping.is_alive()
        assert not bridge.connected
        assert all(not thread.is_alive() for thread in bridge._threads)
        assert [a.name for a in peer.actions][-1] == "Logoff"


def test_a_session_raises_no_warnings(bridge_for):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with AmiPeer() as peer:
            bridge, seen = bridge_for(peer, ping_interval=0.05)
            assert wait_until(lambda: len(peer.actions_named("Ping")) >= 2)
            bridge.stop()
    assert [str(w.message) for w in caught] == []


def test_a_stalled_pipeline_drops_events_past_the_bound_then_resyncs(bridge_for, caplog):
    """The queue to on_event is bounded: while on_event is stuck (a locked database), events
    past max_queued are dropped, not buffered without end; then a resync repairs the state."""
    stuck = threading.Event()

    class Stalled(Recorder):
        def on_event(self, headers):
            stuck.wait(10)
            super().on_event(headers)

    name = "concurrent_calls.ami"
    expected = unsolicited(name)
    hold_open = threading.Event()  # the peer keeps the session open after the calls
    with AmiPeer(name, pauses={len(transcripts.messages(name)) - 2: hold_open}) as peer:
        bridge, seen = bridge_for(peer, recorder=Stalled(), max_queued=20)
        assert wait_until(lambda: bridge.dropped > len(expected) // 2)
        stuck.set()
        # one resync after login, and one after each overflow (the stream went on meanwhile)
        assert wait_until(lambda: len(seen.resyncs) >= 2
                          and len(seen.resyncs) == len(peer.actions_named("CoreShowChannels")))
        assert peer.connections == 1
        assert 0 < len(seen.events) < len(expected) and bridge.connected
        # the total is logged when the overflow ends, which may come a moment after the
        # resync counted above (under load it had not yet been written when read)
        assert wait_until(lambda: f"{bridge.dropped} events dropped in all; resynchronising"
                          in caplog.text)
        hold_open.set()
    assert "dropping events until it catches up" in caplog.text
