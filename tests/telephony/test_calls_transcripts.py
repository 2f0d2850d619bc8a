"""The translator on the recorded Asterisk sessions: what each operator's pop would show."""
import pytest

from survey_app.telephony.calls import events as ev
from survey_app.telephony.calls.translator import Translator
from tests.telephony.transcripts import FOLDER, events
from tests.telephony.translator_state import calls_in_progress

CALLER = "+380501234567"
ALL_FILES = sorted(p.name for p in FOLDER.glob("*.ami"))


def replay(name: str, translator: Translator | None = None):
    """Feed every event of a transcript; returns (translator, [(event index, CallEvent)])."""
    translator = translator or Translator(clock=lambda: 0.0)
    out = []
    for index, raw in enumerate(events(name)):
        out += [(index, call_event) for call_event in translator.feed(raw)]
    return translator, out


def steps(name: str, *fields: str) -> list[tuple]:
    """The call events of a transcript as (kind, extension, *fields) tuples."""
    _, out = replay(name)
    return [(e.kind, e.extension, *(getattr(e, f) for f in fields)) for _, e in out]


def test_inbound_answered_pops_at_dial_begin_and_ends_answered():
    raw = events("inbound_answered.ami")
    _, out = replay("inbound_answered.ami")
    assert [(e.kind, e.extension, e.direction, e.number, e.outcome) for _, e in out] == [
        (ev.RINGING, "305", ev.INBOUND, CALLER, None),
        (ev.ANSWERED, "305", ev.INBOUND, CALLER, None),
        (ev.ENDED, "305", ev.INBOUND, CALLER, "answered"),
    ]
    ringing_at, ringing = out[0]
    assert raw[ringing_at]["Event"] == "DialBegin"  # the earliest event with the caller
    assert raw[out[1][0]]["Event"] == "DialEnd" and raw[out[1][0]]["DialStatus"] == "ANSWER"
    assert ringing.linkedid == "1795635395.0"
    assert (ringing.did, ringing.name, ringing.queue) == ("5551000", None, None)  # <unknown>
    assert ringing.channel == "PJSIP/305-00000001"
    assert ringing.peer_channel == "PJSIP/trunk-00000000"
    assert out[-1][1].cause == "Normal Clearing"


def test_inbound_unanswered_is_missed_although_cause_is_127():
    _, out = replay("inbound_unanswered.ami")
    assert [(e.kind, e.extension, e.outcome) for _, e in out] == [
        (ev.RINGING, "305", None), (ev.ENDED, "305", "no_answer")]
    assert out[-1][1].cause == "Interworking, unspecified"


def test_operator_hanging_up_first_is_still_answered():
    assert steps("inbound_operator_hangup.ami", "outcome") == [
        (ev.RINGING, "305", None), (ev.ANSWERED, "305", None), (ev.ENDED, "305", "answered")]


def test_unknown_caller_number_is_kept_as_presented():
    assert {e[2] for e in steps("unknown_caller.ami", "number")} == {"0442223344"}


def test_withheld_number_shows_no_number_and_no_name():
    # the trunk sends CallerIDNum 'anonymous' / CallerIDName 'Anonymous'
    assert steps("anonymous_caller.ami", "number", "name", "outcome") == [
        (ev.RINGING, "305", None, None, None), (ev.ANSWERED, "305", None, None, None),
        (ev.ENDED, "305", None, None, "answered")]


def test_linear_queue_ends_the_first_pop_before_the_second_operator_rings():
    assert steps("inbound_queue.ami", "number", "queue", "did", "outcome") == [
        (ev.RINGING, "305", CALLER, "support", "5551001", None),
        (ev.ENDED, "305", CALLER, "support", "5551001", "no_answer"),
        (ev.RINGING, "306", CALLER, "support", "5551001", None),
        (ev.ANSWERED, "306", CALLER, "support", "5551001", None),
        (ev.CONNECTED, "306", CALLER, "support", "5551001", None),
        (ev.ENDED, "306", CALLER, "support", "5551001", "answered"),
    ]


@pytest.mark.parametrize("name, extension, waited", [
    ("inbound_queue.ami", "306", 9), ("inbound_queue_local_members.ami", "305", 2)])
def test_the_callers_wait_in_the_queue_comes_from_agent_connect(name, extension, waited):
    """AgentConnect's HoldTime, on the leg of the operator who took the call (a Local
    member's ';1' channel is followed to the phone)."""
    _, out = replay(name)
    [connected] = [e for _, e in out if e.kind == ev.CONNECTED]
    assert (connected.extension, connected.extra) == (extension, {"queue_wait": waited})


def test_ringall_through_local_channels_rings_both_and_ends_the_loser():
    _, out = replay("inbound_queue_local_members.ami")
    assert [(e.kind, e.extension, e.number, e.outcome) for _, e in out] == [
        (ev.RINGING, "305", CALLER, None),
        (ev.RINGING, "306", CALLER, None),
        (ev.ANSWERED, "305", CALLER, None),
        (ev.CONNECTED, "305", CALLER, None),
        (ev.ENDED, "306", CALLER, "answered_elsewhere"),
        (ev.ENDED, "305", CALLER, "answered"),
    ]
    # the operators' real phones, never the Local halves; one call id throughout
    assert {e.channel for _, e in out} == {"PJSIP/305-00000012", "PJSIP/306-00000011"}
    assert {(e.linkedid, e.queue, e.direction) for _, e in out} == {
        ("1795635493.16", "sales", ev.INBOUND)}


def test_concurrent_calls_never_cross():
    _, out = replay("concurrent_calls.ami")
    by_call: dict[str, list] = {}
    for _, e in out:
        by_call.setdefault(e.linkedid, []).append((e.kind, e.extension, e.number, e.name))
    assert list(by_call.values()) == [
        [(kind, "305", CALLER, None) for kind in (ev.RINGING, ev.ANSWERED, ev.ENDED)],
        [(kind, "306", "+380671112233", "Petro Shevchenko")
         for kind in (ev.RINGING, ev.ANSWERED, ev.ENDED)],
        [(kind, "305", "+380442001122", None) for kind in (ev.RINGING, ev.ANSWERED, ev.ENDED)],
        [(kind, "306", "+48221234567", "Anna Nowak")
         for kind in (ev.RINGING, ev.ANSWERED, ev.ENDED)],
    ]
    assert all(e.outcome == "answered" for _, e in out if e.kind == ev.ENDED)


def test_two_calls_ring_the_same_operator_at_once():
    translator = Translator(clock=lambda: 0.0)
    seen = []
    for raw in events("concurrent_calls.ami"):
        translator.feed(raw)
        seen.append(len(calls_in_progress(translator, "305")))
    assert max(seen) == 2


@pytest.mark.parametrize("name, number", [
    ("outbound_click_to_call.ami", "+380931112233"),
    ("outbound_click_to_call_local.ami", "+380931112233"),
    ("outbound_dialed_from_phone.ami", "+380931112233"),
])
def test_outbound_call_is_outbound_with_the_dialled_number(name, number):
    raw = events(name)
    _, out = replay(name)
    assert [(e.kind, e.extension, e.direction, e.number, e.outcome) for _, e in out] == [
        (ev.RINGING, "305", ev.OUTBOUND, number, None),
        (ev.ANSWERED, "305", ev.OUTBOUND, number, None),
        (ev.ENDED, "305", ev.OUTBOUND, number, "answered"),
    ]
    answered_at = out[1][0]
    # ANSWERED when the external party answers: the DialEnd of the trunk leg
    assert raw[answered_at]["DestChannel"].startswith("PJSIP/trunk-")
    assert out[1][1].peer_channel == raw[answered_at]["DestChannel"]
    assert all(e.channel.startswith("PJSIP/305-") and e.did is None for _, e in out)


@pytest.mark.parametrize("name, number, outcome", [
    ("outbound_busy_or_failed.ami", "+380671234567", "busy"),
    ("outbound_number_not_found.ami", "0449999999", "not_found"),  # DialStatus NOANSWER + 404
    ("outbound_operator_no_answer.ami", "+380931112233", "cancelled"),
])
def test_failed_click_to_call_says_why(name, number, outcome):
    assert steps(name, "direction", "number", "outcome") == [
        (ev.RINGING, "305", ev.OUTBOUND, number, None),
        (ev.ENDED, "305", ev.OUTBOUND, number, outcome),
    ]


def test_hold_then_redirect_moves_the_pop_to_306():
    _, out = replay("hold_and_transfer.ami")
    assert [(e.kind, e.extension, e.number, e.outcome) for _, e in out] == [
        (ev.RINGING, "305", CALLER, None),
        (ev.ANSWERED, "305", CALLER, None),
        (ev.HELD, "305", CALLER, None),
        (ev.UNHELD, "305", CALLER, None),
        (ev.TRANSFERRED, "305", CALLER, None),
        (ev.ENDED, "305", CALLER, "transferred"),
        (ev.RINGING, "306", CALLER, None),
        (ev.ANSWERED, "306", CALLER, None),
        (ev.ENDED, "306", CALLER, "answered"),
    ]
    assert {e.linkedid for _, e in out} == {"1795635513.23"}
    assert {e.did for _, e in out} == {"5551000"}  # not the 306 the caller's channel moved to


def test_park_holds_the_call_and_306_takes_it():
    _, out = replay("park_and_retrieve.ami")
    assert [(e.kind, e.extension, e.outcome) for _, e in out] == [
        (ev.RINGING, "305", None), (ev.ANSWERED, "305", None), (ev.HELD, "305", None),
        (ev.ENDED, "305", "transferred"), (ev.ANSWERED, "306", None), (ev.ENDED, "306", "answered"),
    ]
    held = out[2][1]
    assert held.extra["parking_space"] == "701"
    assert {e.linkedid for _, e in out} == {"1795635531.26"}  # 306's own Linkedid is replaced
    assert out[4][1].number == CALLER and out[4][1].channel == "PJSIP/306-00000018"


def test_parked_call_stays_on_hold_in_the_parkers_list_until_picked_up():
    translator = Translator(clock=lambda: 0.0)
    states = set()
    for raw in events("park_and_retrieve.ami"):
        translator.feed(raw)
        states.add(tuple((e.kind, e.extension) for e in calls_in_progress(translator)))
    assert ((ev.HELD, "305"),) in states


def test_blind_transfer_by_refer():
    _, out = replay("blind_transfer_refer.ami")
    assert [(e.kind, e.extension, e.outcome) for _, e in out] == [
        (ev.RINGING, "305", None), (ev.ANSWERED, "305", None), (ev.TRANSFERRED, "305", None),
        (ev.ENDED, "305", "transferred"),
        (ev.RINGING, "306", None), (ev.ANSWERED, "306", None), (ev.ENDED, "306", "answered"),
    ]
    assert out[2][1].extra == {"target": "306"}  # no UNHELD: the phone's stray Unhold is ignored


def test_timestamp_of_asterisk_is_used_when_sent():
    raw = events("inbound_answered_timestamped.ami")
    _, out = replay("inbound_answered_timestamped.ami")
    assert [e.at for _, e in out] == [float(raw[i]["Timestamp"]) for i, _ in out]
    assert out[0][1].at == 1795635661.952394


def test_arrival_time_is_used_without_timestamp():
    _, out = replay("inbound_answered.ami", Translator(clock=lambda: 42.5))
    assert {e.at for _, e in out} == {42.5}


@pytest.mark.parametrize("name", ALL_FILES)
def test_no_call_is_left_in_progress_after_a_transcript(name):
    translator, out = replay(name)
    assert calls_in_progress(translator) == []
    by_leg: dict[tuple, list] = {}
    for _, e in out:
        by_leg.setdefault((e.linkedid, e.extension), []).append(e)
    for leg in by_leg.values():  # every pop opened is closed exactly once, at the end
        assert [e.kind for e in leg].count(ev.ENDED) == 1 and leg[-1].kind == ev.ENDED
    ends = [e for _, e in out if e.kind == ev.ENDED]
    assert all(e.outcome in ev.OUTCOMES for e in ends)


def test_calls_in_progress_shows_the_latest_state_per_operator():
    translator = Translator(clock=lambda: 0.0)
    for raw in events("inbound_queue_local_members.ami")[:100]:  # both phones ringing
        translator.feed(raw)
    assert [(e.kind, e.extension) for e in calls_in_progress(translator)] == [
        (ev.RINGING, "305"), (ev.RINGING, "306")]
    assert [e.extension for e in calls_in_progress(translator, "306")] == ["306"]
    assert calls_in_progress(translator, "999") == []
    translator.forget()
    assert calls_in_progress(translator) == []


def test_attended_transfer_ends_the_transferers_pop_as_transferred():
    """No recording has one (Asterisk 22's AttendedTransfer fields, from its documentation):
    305 consulted 306 and hung up; the caller's leg was recorded up to its answer."""
    raw = events("inbound_answered.ami")
    answered = next(i for i, e in enumerate(raw) if e.get("Event") == "DialEnd")
    translator = Translator(clock=lambda: 0.0)
    for e in raw[:answered + 1]:
        translator.feed(e)
    transfer = {
        "Event": "AttendedTransfer", "Result": "Success",
        "OrigTransfererChannel": "PJSIP/305-00000001", "OrigTransfererLinkedid": "1795635395.0",
        "SecondTransfererChannel": "PJSIP/305-00000001",
        "TransfereeChannel": "PJSIP/trunk-00000000", "TransfereeLinkedid": "1795635395.0",
        "TransferTargetChannel": "PJSIP/306-00000002", "DestType": "Bridge",
        "IsExternal": "No"}
    [moved] = translator.feed(transfer)
    assert (moved.kind, moved.extension, moved.number) == (ev.TRANSFERRED, "305", CALLER)
    assert translator.feed({**transfer, "Result": "Fail"}) == []  # and never twice
    failed = Translator(clock=lambda: 0.0)
    for e in raw[:answered + 1]:
        failed.feed(e)
    assert failed.feed({**transfer, "Result": "Fail"}) == []  # a failed one changes nothing
