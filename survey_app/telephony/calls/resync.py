"""Catching up after a reconnect: the channels Asterisk lists now against the calls we follow."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from survey_app.telephony.calls import channels as ch
from survey_app.telephony.calls import events as ev


class Resync:
    """The Translator's resync, mixed in over legs.Calls, whose state and helpers it uses.

    While the link was down events were lost, so the list of channels is the only truth:
    what it lacks has ended, what it has that we do not know is a call we missed.
    """

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
