"""The translator: raw AMI events (header dicts) -> call events for the operators' pops. Pure.

A call is one Linkedid. Each operator it reaches is a *leg*, keyed by the operator's real phone
channel (PJSIP/305-...), so concurrent calls never cross. Local channel pairs are followed to the
phone channel their ';2' half dials. A leg is RINGING from its DialBegin and ENDED at the Hangup
of its phone channel, which is where the cause is known; every RINGING gets exactly one ENDED.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from functools import partial

from survey_app.telephony.calls import channels as ch
from survey_app.telephony.calls import events as ev
from survey_app.telephony.calls.channels import default_is_operator
from survey_app.telephony.calls.legs import Calls
from survey_app.telephony.calls.resync import Resync

__all__ = ["Translator", "default_is_operator"]


class Translator(Resync, Calls):
    """Feed AMI events in arrival order; get the call events they mean.

    This module handles the events; the state they change is legs.Calls, the catching up after
    a reconnect is resync.Resync.
    """

    def __init__(self, is_operator: Callable[[str], bool] = default_is_operator, *,
                 clock: Callable[[], float] = time.time):
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
            "AgentConnect": self._agent_connect,
        }
        super().__init__(is_operator, clock=clock)

    def feed(self, event: Mapping[str, str]) -> list[ev.CallEvent]:
        """The call events one AMI event means; [] for anything irrelevant or malformed."""
        try:
            handler = self._handlers.get(event.get("Event"))
            if handler is None:
                return []
            return handler(event, self._at(event))
        except (AttributeError, KeyError, TypeError, ValueError):
            return []  # a garbage event must never stop the bridge; it means nothing for a pop

    def _at(self, e) -> float:
        """Asterisk's own time (timestampevents=yes) when it sends it, else arrival."""
        try:
            return float(e["Timestamp"])
        except (KeyError, TypeError, ValueError):
            return self._clock()

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

    def _agent_connect(self, e, at):
        """A queue connected its caller to the operator (after the answer): HoldTime is how
        long the caller waited in the queue, in seconds."""
        leg = self._leg_of(e["DestChannel"])
        if leg is None:
            return []
        return [self._event(leg, ev.CONNECTED, at, extra={"queue_wait": int(e["HoldTime"])})]

    def _queue(self, e, at):
        call = self._call(e["Linkedid"])
        call.queue = e.get("Queue") or call.queue
        if self._is_external(e.get("Channel", "")):
            self._note_caller(call, e)
        return []
