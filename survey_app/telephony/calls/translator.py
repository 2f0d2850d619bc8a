"""The translator: raw AMI events (header dicts) -> call events for the operators' pops. Pure.

A call is one Linkedid. Each operator it reaches is a *leg*, keyed by the operator's real phone
channel (PJSIP/305-...), so concurrent calls never cross. Local channel pairs are followed to the
phone channel their ';2' half dials. A leg is RINGING from its DialBegin and ENDED at the Hangup
of its phone channel, which is where the cause is known; every RINGING gets exactly one ENDED.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial

from survey_app.telephony.calls import channels as ch
from survey_app.telephony.calls import events as ev
from survey_app.telephony.calls.channels import default_is_operator

__all__ = ["Translator", "default_is_operator"]


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


class Translator:
    """Feed AMI events in arrival order; get the call events they mean."""

    def __init__(self, is_operator: Callable[[str], bool] = default_is_operator, *,
                 clock: Callable[[], float] = time.time):
        self.is_operator = is_operator
        self._clock = clock  # for `at` when Asterisk sends no Timestamp
        # Only these events can change a pop; everything else (VarSet, Newexten, RTCPSent,
        # QueueMemberStatus, DeviceStateChange...: most of the stream) costs one lookup.
        self._handlers = {
            "DialBegin": self._dial_begin, "DialEnd": self._dial_end, "Hangup": self._hangup,
            "HangupRequest": self._hangup_request, "SoftHangupRequest": self._hangup_request,
            "Hold": self._hold, "Unhold": self._unhold,
            "BlindTransfer": partial(self._transfer, prefix="Transferer"),
            "AttendedTransfer": partial(self._transfer, prefix="OrigTransferer"),
            "ParkedCall": self._parked, "UnParkedCall": self._unparked,
            "QueueCallerJoin": self._queue, "AgentCalled": self._queue,
        }
        self.forget()

    def forget(self) -> None:
        """Drop all state (a fresh start; after a reconnect prefer resync)."""
        self._calls: dict[str, _Call] = {}
        self._legs: dict[str, _Leg] = {}      # operator's phone channel -> its leg
        self._peers: dict[str, _Call] = {}    # external party's channel -> its call
        self._locals: dict[str, str] = {}     # Local pair -> the phone channel it dialled
        self._originated: set[str] = set()    # Local pairs an Originate started

    def feed(self, event: Mapping[str, str]) -> list[ev.CallEvent]:
        """The call events one AMI event means; [] for anything irrelevant or malformed."""
        try:
            handler = self._handlers.get(event.get("Event"))
            if handler is None:
                return []
            return handler(event, self._at(event))
        except (AttributeError, KeyError, TypeError, ValueError):
            return []  # a garbage event must never stop the bridge; it means nothing for a pop

    def resync(self, channels: Iterable[Mapping[str, str]]) -> list[ev.CallEvent]:
        """After a reconnect, from the CoreShowChannel items: end what is gone, add what is new."""
        items = {c.get("Channel"): c for c in channels
                 if isinstance(c, Mapping) and isinstance(c.get("Channel"), str)}
        at = self._clock()
        self._prune(items)
        return self._end_the_gone(items, at) + self._adopt_the_new(items, at)

    def _end_the_gone(self, items: Mapping[str, Mapping], at: float) -> list[ev.CallEvent]:
        """Every leg whose channel no longer exists has ended (a parked caller still waits)."""
        out = []
        for call in list(self._calls.values()):
            for leg in list(call.legs.values()):
                if leg.channel not in items and not (leg.parked and call.peer_up):
                    out.append(self._end(leg, self._outcome(leg, set()), None, at))
            self._drop_if_idle(call)
        return out

    def _adopt_the_new(self, items: Mapping[str, Mapping], at: float) -> list[ev.CallEvent]:
        """Every operator's channel with a Linkedid, judged with the others of its call."""
        groups: dict[str, list] = {}
        for item in items.values():
            groups.setdefault(item.get("Linkedid", ""), []).append(item)
        out = []
        for name, item in items.items():
            extension = self._operator_ext(name)
            if extension is not None and item.get("Linkedid"):
                out += self._adopt(extension, item, groups[item["Linkedid"]], at)
        return out

    # --- dialling -------------------------------------------------------------------------

    def _dial_begin(self, e, at):
        src, dest = e.get("Channel", ""), e["DestChannel"]
        call = self._call(e.get("Linkedid") or e.get("DestLinkedid"))
        if not src:  # an Originate: the operator's own phone rings first, no calling side
            call.number = call.number or ch.clean(e.get("DestConnectedLineNum"))
            if ch.is_local(dest):
                self._originated.add(ch.local_pair(dest))
        elif self._is_external(src):
            self._note_caller(call, e)
        extension = self._operator_ext(dest)
        if extension is not None:
            return self._ring(call, extension, e, at)
        if dest and not ch.is_local(dest) and src:
            return self._dial_out(call, src, e, at)
        return []  # the caller dials a Local member: we wait for its ';2' to dial the phone

    def _ring(self, call, extension, e, at):
        """The operator's phone is dialled: the pop appears now, at DialBegin."""
        src, dest = e.get("Channel", ""), e["DestChannel"]
        if ch.is_local(src):
            self._locals[ch.local_pair(src)] = dest
        leg = call.legs.get(extension)
        if leg is not None:  # the same operator again: a parked call coming back, say
            self._bind(leg, dest)
            if not leg.parked:
                return []
            leg.parked = leg.held = False
            return [self._event(leg, ev.RINGING, at)]
        outbound = not src or ch.local_pair(src) in self._originated
        number, name = call.number, call.name
        if number is None and not outbound:  # an internal call: the colleague who calls
            number, name = ch.clean(e.get("CallerIDNum")), ch.clean(e.get("CallerIDName"))
        leg = self._new_leg(call, extension, dest, ev.OUTBOUND if outbound else ev.INBOUND,
                            number, name)
        leg.operator_up = not outbound
        return [self._event(leg, ev.RINGING, at)]

    def _dial_out(self, call, src, e, at):
        """The operator's phone (or its Local pair) dials an external number."""
        leg = self._leg_of(src)
        extension = self._operator_ext(src)
        if leg is None and extension is None:
            return []  # e.g. a trunk forwarded to another trunk: no operator involved
        self._set_peer(call, e["DestChannel"])
        call.number = ch.dialled_number(e) or call.number
        if leg is not None:  # click-to-call: the number is now certain, no new event
            leg.number = call.number
            return []
        leg = self._new_leg(call, extension, src, ev.OUTBOUND, call.number, None)
        return [self._event(leg, ev.RINGING, at)]  # dialled from the desk phone

    def _dial_end(self, e, at):
        status = e.get("DialStatus", "")
        phone = self._leg_of(e.get("DestChannel", ""))
        dialler = self._leg_of(e.get("Channel", ""))
        out = []
        if phone is not None:  # the operator's phone stopped ringing
            if status != "ANSWER":
                phone.status = phone.status or status
            elif phone.direction == ev.OUTBOUND:
                phone.operator_up = True  # click-to-call: now the number gets dialled
            else:
                out += self._answer(phone, at)
        if dialler is not None and dialler is not phone:  # the number the operator dialled
            if status != "ANSWER":
                dialler.status = dialler.status or status
            else:
                out += self._answer(dialler, at)
        return out

    def _answer(self, leg, at):
        if leg.answered:
            return []  # the ';1' half of a Local pair reports the same answer again
        leg.answered = leg.operator_up = True
        return [self._event(leg, ev.ANSWERED, at)]

    # --- hanging up -----------------------------------------------------------------------

    def _hangup_request(self, e, at):
        channel = e["Channel"]
        leg = self._legs.get(channel)
        if leg is not None:
            leg.hanging_up = True
        call = self._peers.get(channel)
        if call is not None:
            call.peer_up = False
            call.peer_causes |= {e.get("Cause", ""), e.get("TechCause", "")}
        return []

    def _hangup(self, e, at):
        channel, out = e["Channel"], []
        leg = self._legs.pop(channel, None)
        if leg is not None and not leg.parked:
            out += self._leg_hung_up(leg, e, at)
        call = self._peers.pop(channel, None)
        if call is not None:
            call.peer_up = False
            call.peer_causes |= {e.get("Cause", ""), e.get("TechCause", "")}
            for parked in [leg for leg in call.legs.values() if leg.parked]:
                out.append(self._end(parked, ev.Outcome.ANSWERED, e.get("Cause-txt"), at))
        if ch.is_local(channel):
            self._locals.pop(ch.local_pair(channel), None)
            self._originated.discard(ch.local_pair(channel))
        self._drop_if_idle(self._calls.get(e.get("Linkedid", "")))
        return out

    def _leg_hung_up(self, leg, e, at):
        out = []
        if leg.answered and not leg.hanging_up and not leg.transferred and leg.call.peer_up:
            # Neither the operator nor the other party hung up: Asterisk took the other party
            # elsewhere. That is an AMI Redirect, which has no event of its own.
            leg.transferred = True
            out.append(self._event(leg, ev.TRANSFERRED, at))
        causes = {e.get("Cause", ""), e.get("TechCause", "")}
        out.append(self._end(leg, self._outcome(leg, causes), e.get("Cause-txt") or None, at))
        return out

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

    # --- hold, transfer, park, queue ------------------------------------------------------

    def _hold(self, e, at):
        leg = self._leg_of(e["Channel"])
        if leg is None or leg.held:
            return []
        leg.held = True
        return [self._event(leg, ev.HELD, at)]

    def _unhold(self, e, at):
        leg = self._leg_of(e["Channel"])
        if leg is None or not leg.held:
            return []  # phones send a stray Unhold before a REFER (blind_transfer_refer.ami)
        leg.held = False
        return [self._event(leg, ev.UNHELD, at)]

    def _transfer(self, e, at, prefix):
        leg = self._leg_of(e.get(prefix + "Channel", ""))
        if leg is None or leg.transferred or e.get("Result", "Success") != "Success":
            return []
        leg.transferred = True
        extra = {"target": e["Extension"]} if e.get("Extension") else {}
        return [self._event(leg, ev.TRANSFERRED, at, extra=extra)]

    def _parked(self, e, at):
        call = self._calls.get(e.get("ParkeeLinkedid", ""))
        if call is None:
            return []
        leg = call.legs.get(ch.dial_endpoint(e.get("ParkerDialString", "")))
        leg = leg or next((leg for leg in call.legs.values() if leg.answered), None)
        if leg is None:
            return []
        leg.parked = leg.held = True
        extra = {"parking_space": e.get("ParkingSpace"), "parking_lot": e.get("Parkinglot")}
        return [self._event(leg, ev.HELD, at, extra=extra)]

    def _unparked(self, e, at):
        call = self._calls.get(e.get("ParkeeLinkedid", ""))
        if call is None:
            return []
        channel = e.get("RetrieverChannel", "")
        extension = self._operator_ext(channel)
        parked = [leg for leg in call.legs.values() if leg.parked]
        out = [self._end(leg, ev.Outcome.TRANSFERRED, None, at)
               for leg in parked if leg.extension != extension]
        if extension is None:
            return out
        leg = call.legs.get(extension)
        if leg is not None:  # the operator who parked it takes it back
            self._bind(leg, channel)
            leg.parked = leg.held = False
            return out + [self._event(leg, ev.UNHELD, at)]
        direction = parked[0].direction if parked else ev.INBOUND
        leg = self._new_leg(call, extension, channel, direction, call.number, call.name)
        return out + self._answer(leg, at)

    def _queue(self, e, at):
        call = self._call(e["Linkedid"])
        call.queue = e.get("Queue") or call.queue
        if self._is_external(e.get("Channel", "")):
            self._note_caller(call, e)
        return []

    # --- state ----------------------------------------------------------------------------

    def _at(self, e) -> float:
        """Asterisk's own time (timestampevents=yes) when it sends it, else arrival."""
        try:
            return float(e["Timestamp"])
        except (KeyError, TypeError, ValueError):
            return self._clock()

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
        leg.last = event
        return event

    # --- resync ---------------------------------------------------------------------------

    def _prune(self, items):
        """Forget the channels that are not in the list any more."""
        for channel, call in list(self._peers.items()):
            if channel not in items:
                call.peer_up = False
                del self._peers[channel]
        self._locals = {pair: phone for pair, phone in self._locals.items() if phone in items}
        self._originated = {p for p in self._originated if p + ";1" in items or p + ";2" in items}

    def _adopt(self, extension, item, group, at):
        """A live operator channel from CoreShowChannels: add it, or catch up with its answer."""
        facts = ch.describe(item, group, self.is_operator)
        leg = self._legs.get(item["Channel"])
        if leg is not None:
            return self._answer(leg, at) if facts["answered"] else []
        call = self._call(item["Linkedid"])
        if extension in call.legs:
            return []  # already known under another channel
        if call.peer is None and facts["peer"]:
            self._set_peer(call, facts["peer"])
            call.number, call.name = facts["number"], facts["name"]
            call.did, call.queue = facts["did"], facts["queue"]
        leg = self._new_leg(call, extension, item["Channel"], facts["direction"],
                            call.number or facts["number"], call.name)
        leg.operator_up = facts["direction"] == ev.INBOUND or item.get("ChannelState") == "6"
        return self._answer(leg, at) if facts["answered"] else [self._event(leg, ev.RINGING, at)]
