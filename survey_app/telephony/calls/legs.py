"""The calls the translator follows, the operators' legs on them, and how both change. Pure."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from survey_app.telephony.calls import channels as ch
from survey_app.telephony.calls import events as ev


@dataclass(eq=False)
class _Call:
    """One Linkedid: its external party and the operators it reaches."""

    linkedid: str
    number: str | None = None
    name: str | None = None
    did: str | None = None
    queue: str | None = None
    peer: str | None = None        # the external party's channel
    peer_up: bool = False          # ...and it is neither gone nor hanging up
    peer_causes: set = field(default_factory=set)  # its Cause/TechCause, e.g. {"1", "404"}
    legs: dict = field(default_factory=dict)       # extension -> _Leg


@dataclass(eq=False)
class _Leg:
    """One operator's part of a call."""

    call: _Call
    extension: str
    direction: str
    channel: str
    number: str | None
    name: str | None
    operator_up: bool = True   # False while an Originate still rings the operator's own phone
    answered: bool = False
    held: bool = False
    parked: bool = False       # survives its channel's hangup until someone retrieves the call
    hanging_up: bool = False   # HangupRequest/SoftHangupRequest seen on its channel
    transferred: bool = False
    status: str | None = None  # the first DialStatus that ended a dial without ANSWER
    last: ev.CallEvent | None = None


class Calls:
    """The calls in progress and the channels that lead to them; the Translator builds on it.

    Every change to a leg goes through these methods, so the indexes by channel never point at
    a leg that has ended or moved to another channel.
    """

    def __init__(self, is_operator: Callable[[str], bool], *, clock: Callable[[], float]):
        self.is_operator = is_operator
        self._clock = clock  # for `at` when Asterisk sends no Timestamp
        self.forget()

    def forget(self) -> None:
        """Drop all state (a fresh start; after a reconnect prefer resync)."""
        self._calls: dict[str, _Call] = {}
        self._legs: dict[str, _Leg] = {}      # operator's phone channel -> its leg
        self._peers: dict[str, _Call] = {}    # external party's channel -> its call
        self._locals: dict[str, str] = {}     # Local pair -> the phone channel it dialled
        self._originated: set[str] = set()    # Local pairs an Originate started

    def _operator_ext(self, channel: str) -> str | None:
        return ch.operator_ext(channel, self.is_operator)

    def _is_external(self, channel: str) -> bool:
        return ch.is_external(channel, self.is_operator)

    def _leg_of(self, channel: str) -> _Leg | None:
        leg = self._legs.get(channel)
        if leg is None and ch.is_local(channel):
            leg = self._legs.get(self._locals.get(ch.local_pair(channel), ""))
        return leg

    def _call(self, linkedid: str | None) -> _Call:
        if not linkedid or not isinstance(linkedid, str):
            raise ValueError("no Linkedid")
        call = self._calls.get(linkedid)
        if call is None:
            call = self._calls[linkedid] = _Call(linkedid)
        return call

    def _note_caller(self, call, e):
        """The external party calling in: the first one seen is the call's customer."""
        if call.peer is not None:
            return  # e.g. after a Redirect its channel's Exten is 306, not the DID
        self._set_peer(call, e["Channel"])
        call.number, call.name = ch.clean(e.get("CallerIDNum")), ch.clean(e.get("CallerIDName"))
        call.did = ch.did_of(e.get("Exten", ""), self.is_operator)

    def _set_peer(self, call, channel):
        if call.peer is not None and self._peers.get(call.peer) is call:
            del self._peers[call.peer]
        call.peer, call.peer_up = channel, True
        self._peers[channel] = call

    def _new_leg(self, call, extension, channel, direction, number, name) -> _Leg:
        leg = call.legs[extension] = _Leg(call, extension, direction, channel, number, name)
        self._bind(leg, channel)
        return leg

    def _bind(self, leg, channel):
        if self._legs.get(leg.channel) is leg:
            del self._legs[leg.channel]
        leg.channel = channel
        self._legs[channel] = leg

    def _answer(self, leg, at):
        if leg.answered:
            return []  # the ';1' half of a Local pair reports the same answer again
        leg.answered = leg.operator_up = True
        return [self._event(leg, ev.ANSWERED, at)]

    def _outcome(self, leg, causes):
        if leg.transferred:
            return ev.Outcome.TRANSFERRED
        if leg.answered:
            return ev.Outcome.ANSWERED
        if not leg.operator_up:
            return ev.Outcome.CANCELLED  # click-to-call: the operator's own phone never answered
        if leg.direction == ev.OUTBOUND:
            causes = causes | leg.call.peer_causes  # the dialled party's 404 / 486
        elsewhere = leg.status == "CANCEL" and any(
            other.answered for other in leg.call.legs.values() if other is not leg)
        return ch.outcome(leg.direction, leg.status, causes, elsewhere)

    def _end(self, leg, outcome, cause, at) -> ev.CallEvent:
        leg.call.legs.pop(leg.extension, None)
        if self._legs.get(leg.channel) is leg:
            del self._legs[leg.channel]
        event = self._event(leg, ev.ENDED, at, outcome=outcome, cause=cause)
        self._drop_if_idle(leg.call)
        return event

    def _drop_if_idle(self, call):
        """Forget a call once no operator is on it and its external party is gone."""
        if call is None or call.legs or call.peer_up:
            return
        self._calls.pop(call.linkedid, None)
        if call.peer is not None and self._peers.get(call.peer) is call:
            del self._peers[call.peer]

    def _event(self, leg, kind, at, **details) -> ev.CallEvent:
        call = leg.call
        event = ev.CallEvent(kind, call.linkedid, leg.extension, leg.direction, number=leg.number,
                             name=leg.name, did=call.did if leg.direction == ev.INBOUND else None,
                             queue=call.queue, channel=leg.channel, peer_channel=call.peer,
                             at=at, **details)
        leg.last = event  # what a leg shows now; tests read it (tests/telephony/translator_state)
        return event
