"""The AMI bridge's actions against a real TCP peer: what goes on the wire, what comes back."""
import threading
import time

import pytest

from survey_app.telephony.ami.bridge import (
    AmiBridge,
    AmiConnectionError,
    AmiError,
    AmiTimeout,
    values,
)
from tests.telephony import transcripts
from tests.telephony.ami_peer import AmiPeer, Recorder, wait_until

FAST = {"timeout": 1.0, "ping_interval": 5.0, "backoff_initial": 0.05, "backoff_max": 0.2}


@pytest.fixture
def connect():
    """connect(peer, **options) -> (bridge, recorder), logged in and resynchronised."""
    made = []

    def make(peer, **options):
        recorder = Recorder()
        bridge = AmiBridge(peer.host, peer.port, "crm", "crmsecret",
                           **{**recorder.callbacks(), **FAST, **options})
        made.append(bridge)
        bridge.start()
        assert wait_until(lambda: bridge.connected and recorder.resyncs)
        return bridge, recorder

    yield make
    for bridge in made:
        bridge.stop()


def recorded(name, action):
    """The bytes the recorded client sent for `action`, with the ActionID taken out."""
    raw = next(a for a in transcripts.client_actions(name) if a.startswith(b"Action: " + action))
    return without_action_id(raw)


def without_action_id(raw):
    return b"".join(line for line in raw.splitlines(keepends=True)
                    if not line.startswith(b"ActionID: "))


def with_action_ids(events, old, new):
    return [{**e, "ActionID": new} if e.get("ActionID") == old else e for e in events]


def test_originate_sends_pyst2_headers_and_its_originate_response_arrives(connect):
    name = "outbound_click_to_call.ami"
    with AmiPeer(name) as peer:
        bridge, seen = connect(peer)
        response = bridge.originate("PJSIP/305", "+380931112233", "from-crm",
                                    caller_id='"CRM" <+380931112233>',
                                    variables={"CRM_CALL_ID": "crm-7f3a91",
                                               "CRM_OPERATOR": "305"})
        expected = with_action_ids(transcripts.events(name), "crm-web01-00000001",
                                   response["ActionID"])
        assert wait_until(lambda: len(seen.events) >= len(expected))
    assert response["Message"] == "Originate successfully queued"
    assert without_action_id(peer.actions_named("Originate")[0].raw) == recorded(
        name, b"Originate")
    assert seen.events == expected
    originated = next(e for e in seen.events if e["Event"] == "OriginateResponse")
    assert originated["ActionID"] == response["ActionID"]


def test_redirect_sends_the_recorded_headers(connect):
    with AmiPeer("hold_and_transfer.ami") as peer:
        bridge, _ = connect(peer)
        response = bridge.redirect("PJSIP/trunk-00000013", "306", "from-internal")
    assert response["Response"] == "Success"
    assert without_action_id(peer.actions_named("Redirect")[0].raw) == recorded(
        "hold_and_transfer.ami", b"Redirect")


def test_park_answer_with_a_bare_lf_is_parsed_and_events_go_on(connect):
    name = "park_and_retrieve.ami"
    with AmiPeer(name) as peer:
        bridge, seen = connect(peer)
        response = bridge.park("PJSIP/trunk-00000016", timeout_channel="PJSIP/305-00000017",
                               parkinglot="default")
        assert wait_until(lambda: len(seen.events) >= len(transcripts.events(name)))
    assert response["Message"] == "Park successful"
    assert without_action_id(peer.actions_named("Park")[0].raw) == recorded(name, b"Park")
    assert seen.events == transcripts.events(name)


def test_queue_pause_and_queue_lists(connect):
    name = "queue_member_pause.ami"
    with AmiPeer(name) as peer:
        bridge, seen = connect(peer)
        paused = bridge.queue_pause("PJSIP/306", True, "Lunch break", queue="support")
        status, members = bridge.list_action("QueueStatus", Queue="support")
        _, summary = bridge.list_action("QueueSummary", Queue="support")
        bridge.queue_pause("PJSIP/306", False, queue="support")
        unsolicited = [e for e in transcripts.events(name) if "ActionID" not in e]
        assert wait_until(lambda: len(seen.events) >= len(unsolicited))
    assert paused["Message"] == "Interface paused successfully"
    pauses = [without_action_id(a.raw) for a in peer.actions_named("QueuePause")]
    recorded_pauses = [without_action_id(a) for a in transcripts.client_actions(name)
                       if a.startswith(b"Action: QueuePause")]
    assert pauses == recorded_pauses
    assert [m["Event"] for m in members] == ["QueueParams", "QueueMember", "QueueMember"]
    assert all(m["ActionID"] == status["ActionID"] for m in members)
    assert [s["Event"] for s in summary] == ["QueueSummary"]
    assert seen.events == unsolicited  # list items are the caller's, not on_event's


def test_a_refused_action_raises_with_asterisks_message(connect):
    refusal = b"Response: Error\r\nMessage: No such channel\r\n\r\n"
    with AmiPeer(replies={"Hangup": refusal}) as peer:
        bridge, _ = connect(peer)
        with pytest.raises(AmiError, match="^No such channel$") as refused:
            bridge.hangup("PJSIP/305-000000ff")
    assert refused.value.response["Response"] == "Error"
    assert peer.actions_named("Hangup")[0]["Channel"] == "PJSIP/305-000000ff"


def test_cr_or_lf_in_a_value_is_refused_before_sending(connect):
    with AmiPeer() as peer:
        bridge, _ = connect(peer)
        with pytest.raises(AmiError, match="CR/LF"):
            bridge.hangup("PJSIP/305\r\nAction: Originate")
        with pytest.raises(AmiError, match="CR/LF"):
            bridge.originate("PJSIP/305", "100", "from-crm", variables={"NOTE": "a\nb"})
        assert bridge.send_action("Ping")["Ping"] == "Pong"
    assert [a.name for a in peer.actions] == ["Login", "CoreShowChannels", "Ping"]


def test_headers_of_one_action_do_not_leak_into_the_next(connect):
    with AmiPeer() as peer:
        bridge, _ = connect(peer)
        first = bridge.send_action("Ping", Note="only once")
        second = bridge.send_action("Ping")
    pings = peer.actions_named("Ping")
    assert pings[0]["Note"] == "only once" and pings[1].get("Note") is None
    assert first["ActionID"] != second["ActionID"]


def test_concurrent_actions_get_their_own_responses(connect):
    with AmiPeer() as peer:
        bridge, _ = connect(peer)
        crossed = []

        def pings(thread):
            for i in range(100):
                action_id = f"t{thread}-{i}"
                if bridge.send_action("Ping", ActionID=action_id)["ActionID"] != action_id:
                    crossed.append(action_id)

        threads = [threading.Thread(target=pings, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
    assert crossed == []
    assert len(peer.actions_named("Ping")) == 800


def test_a_timed_out_action_does_not_shift_later_responses(connect, caplog):
    with AmiPeer(delays={"Command": 0.3}) as peer:
        bridge, _ = connect(peer)
        with pytest.raises(AmiTimeout, match="no answer to AMI Command"):
            bridge.send_action("Command", Command="core show uptime", timeout=0.1)
        assert wait_until(lambda: any("nobody waits for" in r.getMessage()
                                      for r in caplog.records))  # the late answer came
        response = bridge.send_action("Ping", ActionID="after-timeout")
    assert response["ActionID"] == "after-timeout" and response["Ping"] == "Pong"


def test_command_output_keeps_every_line(connect):
    name = "resync_actions_during_call.ami"
    with AmiPeer(name, skip=("Status", "Ping")) as peer:
        bridge, _ = connect(peer)
        response = bridge.send_action("Command", Command="core show channels")
    lines = [line[len("Output: "):] for line in
             transcripts.server_bytes(name).decode().split("\r\n") if line.startswith("Output: ")]
    assert len(lines) == 6
    assert values(response, "Output") == lines


def test_a_callback_may_wait_for_a_list_action():
    seen, answers, holder = Recorder(), [], {}

    def on_event(headers):  # runs on the dispatch thread
        seen.on_event(headers)
        if headers["Event"] == "FullyBooted":
            answers.append(holder["bridge"].core_show_channels())

    expected = transcripts.events("reconnect_mid_call.ami")
    expected = [e for e in expected if "ActionID" not in e]
    with AmiPeer("reconnect_mid_call.ami") as peer:
        bridge = holder["bridge"] = AmiBridge(peer.host, peer.port, "crm", "crmsecret",
                                              **{**seen.callbacks(), **FAST,
                                                 "on_event": on_event})
        bridge.start()
        try:
            assert wait_until(lambda: len(seen.events) >= len(expected), timeout=10)
        finally:
            bridge.stop()
    # the callback was answered, not left waiting on its own thread; how many channels were
    # up depends on how far the replay had got by then (the peer answers as Asterisk does)
    assert len(answers) == 1 and isinstance(answers[0], list) and len(answers[0]) <= 2
    assert len(seen.resyncs) == 1
    assert seen.events == expected


def test_actions_without_a_connection_fail_at_once():
    bridge = AmiBridge("127.0.0.1", 9, "crm", "crmsecret", on_event=print, timeout=30.0)
    started = time.monotonic()
    with pytest.raises(AmiConnectionError, match="AMI not connected"):
        bridge.hangup("PJSIP/305-00000001")
    assert time.monotonic() - started < 15.0  # never waits for the 30 s action timeout
