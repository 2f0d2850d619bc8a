"""Helpers of the translator: channel names, numbers, causes, CoreShowChannel items. Pure."""
from survey_app.telephony.calls.events import INBOUND, OUTBOUND, Outcome

# Caller-ID values that mean "no number": Asterisk's placeholder and what carriers send when
# the caller withholds it (anonymous_caller.ami: CallerIDNum 'anonymous', Name 'Anonymous').
_NO_NUMBER = frozenset({"", "<unknown>", "unknown", "anonymous", "restricted", "private",
                        "withheld", "unavailable"})
_DIALLABLE = frozenset("+0123456789*#")

# Q.850 causes and SIP codes (Hangup's Cause / TechCause) that decide an unanswered call's outcome.
# The two numbering plans do not overlap for these values, so one set of strings serves both.
_NOT_FOUND = frozenset({"1", "28", "404", "484", "604"})   # unallocated / invalid number
_BUSY = frozenset({"17", "486", "600"})
_FAILED_STATUS = frozenset({"CONGESTION", "CHANUNAVAIL", "INVALIDARGS"})
ANSWERED_ELSEWHERE = "26"  # the ringall / Dial(A&B) losers
TECHNOLOGIES = ("PJSIP", "SIP", "IAX2")  # what an operator's desk phone may be


def dial_string(technology: str, extension: str) -> str:
    """The operator's phone as Originate and QueuePause name it: ('PJSIP', '305') -> 'PJSIP/305'."""
    if technology not in TECHNOLOGIES:
        raise ValueError(f"channel technology {technology!r}: use one of {TECHNOLOGIES}")
    return f"{technology}/{extension}"


def default_is_operator(endpoint: str) -> bool:
    """An operator's phone is a PJSIP/SIP endpoint named by 2-6 digits (305, 306), not 'trunk'."""
    return 2 <= len(endpoint) <= 6 and endpoint.isascii() and endpoint.isdigit()


def endpoint(channel: str) -> str | None:
    """'PJSIP/305-00000001' -> '305'; None for Local channels and for anything else."""
    tech, slash, rest = channel.partition("/")
    if not slash or tech == "Local":
        return None
    name, dash, _sequence = rest.rpartition("-")
    return name or None if dash else None


def dial_endpoint(dial_string: str) -> str:
    """'PJSIP/305' (a dial string, as in ParkerDialString) -> '305'."""
    return dial_string.partition("/")[2].partition("@")[0]


def operator_ext(channel: str, is_operator) -> str | None:
    """The extension of an operator's phone channel ('PJSIP/305-00000001' -> '305'), else None."""
    name = endpoint(channel)
    return name if name is not None and is_operator(name) else None


def operators_named(event, is_operator) -> set[str]:
    """The operators' extensions named by an event's channel headers (Channel, DestChannel,
    TransfererChannel...): whose debug console shows this raw event."""
    return {ext for key, value in event.items() if key.endswith("Channel") and value
            for ext in (operator_ext(value, is_operator),) if ext is not None}


def is_external(channel: str, is_operator) -> bool:
    """The customer's side: a channel that is neither an operator's phone nor a Local half."""
    return bool(channel) and not is_local(channel) and operator_ext(channel, is_operator) is None


def is_local(channel: str) -> bool:
    return channel.startswith("Local/")


def local_pair(channel: str) -> str:
    """Both halves of 'Local/305@queue-agents-00000000;1' / ';2' share one name without ';N'."""
    return channel.rpartition(";")[0] or channel


def clean(value: str | None) -> str | None:
    """A caller-ID number or name as shown to the operator; None when absent or withheld."""
    if not value or value.strip().lower() in _NO_NUMBER:
        return None
    return value.strip()


def did_of(exten: str, is_operator) -> str | None:
    """The company number an inbound caller dialled: the Exten of the caller's channel."""
    return None if exten in ("", "s") or is_operator(exten) else exten


def dialled_number(event) -> str | None:
    """The external number a DialBegin dials: '+380931112233@trunk' -> '+380931112233'."""
    target = event.get("DialString", "")
    tech, slash, rest = target.partition("/")
    if slash and tech.isalnum():  # 'PJSIP/+380...@trunk' or 'Local/0441...@from-internal/n'
        target = rest
    target = target.partition("@")[0].partition("/")[0]
    if target and set(target) <= _DIALLABLE:
        return target
    exten = event.get("DestExten", "")
    if exten and set(exten) <= _DIALLABLE:
        return exten
    return clean(event.get("DestCallerIDNum"))


def outcome(direction: str, status: str | None, causes: set[str], elsewhere: bool) -> Outcome:
    """How an operator's unanswered leg ended, checked in this order:

    inbound and Cause 26, or CANCEL while a colleague talks -> answered_elsewhere
    Cause 1/28 or SIP 404/484/604 -> not_found (a 404 says DialStatus NOANSWER, so causes first)
    DialStatus BUSY, Cause 17 or SIP 486/600 -> busy
    DialStatus CONGESTION/CHANUNAVAIL/INVALIDARGS -> failed
    outbound and DialStatus CANCEL -> cancelled (the operator hung up while it rang)
    anything else -> no_answer (inbound: caller gave up, Cause 127, or nobody picked up)

    `status` is the first DialStatus that ended a dial without ANSWER, `causes` the Cause and
    TechCause values of the hangups involved.
    """
    if direction == INBOUND and (elsewhere or ANSWERED_ELSEWHERE in causes):
        return Outcome.ANSWERED_ELSEWHERE
    if causes & _NOT_FOUND:
        return Outcome.NOT_FOUND
    if status == "BUSY" or causes & _BUSY:
        return Outcome.BUSY
    if status in _FAILED_STATUS:
        return Outcome.FAILED
    if direction == OUTBOUND and status == "CANCEL":
        return Outcome.CANCELLED
    return Outcome.NO_ANSWER


def describe(item, group, is_operator) -> dict:
    """A call seen only in CoreShowChannel items (after a reconnect), from one operator's channel.

    `group` is all the items with the item's Linkedid. The oldest channel (Uniqueid == Linkedid)
    tells the direction: the operator's own channel or a Local half (Originate) means outbound.
    """
    others = [o for o in group if o is not item and not is_local(o.get("Channel", ""))]
    peer = next((o for o in others if is_external(o.get("Channel", ""), is_operator)), {})
    outbound = _started_here(item, group)
    facts = _inbound_facts(peer, is_operator) if not outbound and peer else _NO_INBOUND_FACTS
    return {
        "direction": OUTBOUND if outbound else INBOUND,
        "answered": _talking(item, others),
        "peer": peer.get("Channel"),
        "number": clean(peer.get("CallerIDNum")) or clean(item.get("ConnectedLineNum")),
        "queue": _queue_of(peer),
        **facts,
    }


def _talking(item, others) -> bool:
    """The phone is Up and so is someone else (a Local originate is Up early)."""
    return item.get("ChannelState") == "6" and any(o.get("ChannelState") == "6" for o in others)


_NO_INBOUND_FACTS = {"name": None, "did": None}


def _started_here(item, group) -> bool:
    """The operator's channel, or a Local half (an Originate), is the oldest of the call."""
    oldest = next((o for o in group if o.get("Uniqueid") == o.get("Linkedid")), None)
    return oldest is item or (oldest is not None and is_local(oldest.get("Channel", "")))


def _inbound_facts(peer, is_operator) -> dict:
    """What the caller's channel tells of an inbound call: their name and the DID."""
    return {"name": clean(peer.get("CallerIDName")),
            "did": did_of(peer.get("Exten", ""), is_operator)}


def _queue_of(peer) -> str | None:
    """The queue the external party waits in (Application Queue, its first argument)."""
    if peer.get("Application") != "Queue":
        return None
    return peer.get("ApplicationData", "").partition(",")[0] or None
