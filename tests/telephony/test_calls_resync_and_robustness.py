"""The translator after a reconnect (CoreShowChannels), and on garbage: it never raises."""
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey_app.telephony.calls import events as ev
from survey_app.telephony.calls.translator import Translator, default_is_operator
from tests.telephony.transcripts import FOLDER, events
from tests.telephony.translator_state import calls_in_progress

CALLER = "+380501234567"
ALL_EVENTS = [e for p in sorted(FOLDER.glob("*.ami")) for e in events(p.name)]


def listed_channels(name: str) -> list[dict]:
    """The CoreShowChannel items of a transcript (what the bridge hands to resync)."""
    return [e for e in events(name) if e["Event"] == "CoreShowChannel"]


def feed_until(translator: Translator, name: str, stop) -> list[ev.CallEvent]:
    out = []
    for raw in events(name):
        if stop(raw):
            break
        out += translator.feed(raw)
    return out


def test_reconnect_mid_call_shows_the_call_in_progress_then_its_end():
    translator = Translator(clock=lambda: 7.0)
    out = []
    for raw in events("reconnect_mid_call.ami"):
        if raw["Event"] == "CoreShowChannelsComplete":
            out += translator.resync(listed_channels("reconnect_mid_call.ami"))
            assert calls_in_progress(translator, "305") == out
        else:
            out += translator.feed(raw)  # Status items and the call's tail
    assert [(e.kind, e.extension, e.direction, e.number, e.outcome) for e in out] == [
        (ev.ANSWERED, "305", ev.INBOUND, CALLER, None),
        (ev.ENDED, "305", ev.INBOUND, CALLER, "answered"),
    ]
    adopted = out[0]
    assert (adopted.linkedid, adopted.did, adopted.at) == ("1795635619.46", "5551000", 7.0)
    assert (adopted.channel, adopted.peer_channel) == ("PJSIP/305-0000002b",
                                                        "PJSIP/trunk-0000002a")
    assert calls_in_progress(translator) == []


def test_resync_during_a_known_call_changes_nothing():
    translator = Translator(clock=lambda: 0.0)
    for raw in events("resync_actions_during_call.ami"):
        if raw["Event"] == "CoreShowChannelsComplete":
            before = calls_in_progress(translator)
            assert translator.resync(listed_channels("resync_actions_during_call.ami")) == []
            assert calls_in_progress(translator) == before
        else:
            translator.feed(raw)
    assert calls_in_progress(translator) == []


def test_resync_catches_up_with_an_answer_missed_while_disconnected():
    translator = Translator(clock=lambda: 0.0)
    name = "resync_actions_during_call.ami"
    feed_until(translator, name, lambda raw: raw.get("DialStatus") == "ANSWER")
    assert [e.kind for e in calls_in_progress(translator)] == [ev.RINGING]
    out = translator.resync(listed_channels(name))
    assert [(e.kind, e.extension, e.number) for e in out] == [(ev.ANSWERED, "305", CALLER)]


def test_resync_ends_calls_that_are_gone_and_adds_new_ones():
    translator = Translator(clock=lambda: 0.0)
    feed_until(translator, "inbound_answered.ami", lambda raw: raw["Event"] == "HangupRequest")
    feed_until(translator, "inbound_unanswered.ami", lambda raw: raw["Event"] == "DialEnd")
    out = translator.resync(listed_channels("reconnect_mid_call.ami"))
    assert [(e.kind, e.linkedid, e.outcome, e.cause) for e in out] == [
        (ev.ENDED, "1795635395.0", "answered", None),
        (ev.ENDED, "1795635406.2", "no_answer", None),
        (ev.ANSWERED, "1795635619.46", None, None),
    ]
    assert [e.linkedid for e in calls_in_progress(translator)] == ["1795635619.46"]


def test_resync_adopts_a_ringing_call():
    # the reconnect's items as they would read a moment earlier, while 305 still rang
    ringing = [dict(item, ChannelState="5" if "305" in item["Channel"] else "4", BridgeId="")
               for item in listed_channels("reconnect_mid_call.ami")]
    translator = Translator(clock=lambda: 0.0)
    out = translator.resync(ringing)
    assert [(e.kind, e.extension, e.direction, e.number) for e in out] == [
        (ev.RINGING, "305", ev.INBOUND, CALLER)]


def test_resync_with_no_channels_empties_everything():
    translator = Translator(clock=lambda: 0.0)
    feed_until(translator, "park_and_retrieve.ami", lambda raw: raw["Event"] == "UnParkedCall")
    assert [e.kind for e in calls_in_progress(translator)] == [ev.HELD]  # parked by 305
    out = translator.resync([])
    assert [(e.kind, e.extension) for e in out] == [(ev.ENDED, "305")]
    assert calls_in_progress(translator) == [] and translator.resync([]) == []


def test_resync_ignores_malformed_items():
    translator = Translator(clock=lambda: 0.0)
    # a lone operator channel without a Linkedid cannot be grouped with its call: skipped
    assert translator.resync([{}, {"Channel": None}, {"Channel": "PJSIP/305-1"}, "x", 3]) == []
    assert calls_in_progress(translator) == []


@pytest.mark.parametrize("endpoint, expected", [
    ("305", True), ("306", True), ("10", True), ("123456", True),
    ("trunk", False), ("1", False), ("1234567", False), ("", False), ("３０５", False),
])
def test_default_is_operator(endpoint, expected):
    assert default_is_operator(endpoint) is expected


def test_operators_can_be_recognised_another_way():
    translator = Translator(is_operator=lambda endpoint: endpoint == "306", clock=lambda: 0.0)
    out = [e for raw in events("inbound_queue.ami") for e in translator.feed(raw)]
    assert {e.extension for e in out} == {"306"}


@pytest.mark.parametrize("raw", [
    {}, {"Event": ""}, {"Event": "NoSuchEvent"}, {"Event": "DialBegin"},
    {"Event": "DialEnd"}, {"Event": "Hangup"}, {"Event": "HangupRequest"}, {"Event": "Hold"},
    {"Event": "Unhold"}, {"Event": "BlindTransfer"}, {"Event": "ParkedCall"},
    {"Event": "UnParkedCall"}, {"Event": "QueueCallerJoin"}, {"Event": "AgentCalled"},
    {"Event": "DialBegin", "DestChannel": "PJSIP/305-00000001"},
    {"Event": "DialBegin", "DestChannel": 305, "Linkedid": ["x"]},
    {"Event": "Hangup", "Channel": {"a": 1}}, {"Event": ["DialBegin"]},
    {"Event": "DialBegin", "DestChannel": "PJSIP/305-1", "Linkedid": "1.0",
     "Timestamp": "yesterday"},
    None, "Event: DialBegin", 42,
])
def test_garbage_gives_nothing_and_never_raises(raw):
    translator = Translator(clock=lambda: 0.0)
    result = translator.feed(raw)
    assert isinstance(result, list)
    translator.resync([])
    assert calls_in_progress(translator) == []


def test_noise_events_change_nothing():
    name = "hold_and_transfer.ami"
    relevant = {"DialBegin", "DialEnd", "Hangup", "HangupRequest", "SoftHangupRequest", "Hold",
                "Unhold", "BlindTransfer", "AttendedTransfer", "ParkedCall", "UnParkedCall",
                "QueueCallerJoin", "AgentCalled"}
    noise = [raw for raw in events(name) if raw["Event"] not in relevant]
    assert {"VarSet", "Newexten", "QueueMemberStatus", "DeviceStateChange",
            "ExtensionStatus", "RTCPSent"} <= {raw["Event"] for raw in noise}
    translator = Translator(clock=lambda: 0.0)
    assert all(translator.feed(raw) == [] for raw in noise)
    full, quiet = Translator(clock=lambda: 0.0), Translator(clock=lambda: 0.0)
    with_noise = [e for raw in events(name) for e in full.feed(raw)]
    without = [e for raw in events(name) if raw["Event"] in relevant for e in quiet.feed(raw)]
    assert with_noise == without and len(without) == 9


HEADERS = sorted({key for raw in ALL_EVENTS for key in raw})
header_values = st.one_of(st.text(max_size=40), st.sampled_from(
    ["PJSIP/305-00000001", "PJSIP/trunk-00000000", "Local/305@queue-agents-00000000;1",
     "Local/305@queue-agents-00000000;2", "1795635395.0", "ANSWER", "CANCEL", "16", "6", ""]))
random_events = st.dictionaries(st.sampled_from(HEADERS + ["Event"]), header_values, max_size=12)
mutated_events = st.tuples(st.sampled_from(ALL_EVENTS), st.sets(st.sampled_from(HEADERS))).map(
    lambda pair: {k: v for k, v in pair[0].items() if k not in pair[1]})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(random_events, mutated_events, st.sampled_from(ALL_EVENTS)),
                max_size=120), st.randoms(use_true_random=False))
def test_random_and_shuffled_events_never_raise(stream, rnd):
    translator = Translator(clock=lambda: 0.0)
    rnd.shuffle(stream)
    for raw in stream:
        for call_event in translator.feed(raw):
            assert call_event.kind in {ev.RINGING, ev.ANSWERED, ev.HELD, ev.UNHELD,
                                       ev.TRANSFERRED, ev.ENDED}
            assert call_event.outcome is None or call_event.outcome in ev.OUTCOMES
    calls_in_progress(translator)
    translator.resync([])
    assert calls_in_progress(translator) == []


def test_every_transcript_shuffled_never_raises_and_resync_cleans_up():
    rnd = random.Random(1795635395)
    for _ in range(20):
        stream = list(ALL_EVENTS)
        rnd.shuffle(stream)
        translator = Translator(clock=lambda: 0.0)
        for raw in stream:
            translator.feed(raw)
        translator.resync([])
        assert calls_in_progress(translator) == []
