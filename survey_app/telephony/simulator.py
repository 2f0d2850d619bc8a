"""Training mode: a simulated call as the AMI events a real one produces (shapes copied from
the recorded inbound_answered session), fed through the same translator, bus and socket."""
import itertools
import time

_counter = itertools.count(1)
WITHHELD = "anonymous"


class SimulatedCall:
    """One inbound call from `number` to `extension`: ring(), answer(), hang_up()."""

    def __init__(self, number: str | None, extension: str, did: str = "5551000"):
        n = next(_counter)
        self.number = number or WITHHELD
        self.extension, self.did = extension, did
        base = f"{int(time.time())}"
        self.caller = {"Channel": f"PJSIP/trunk-sim{n:05d}a", "Uniqueid": f"{base}.{n}0",
                       "CallerIDNum": self.number,  # a withheld number comes as "anonymous"
                       "CallerIDName": "Anonymous" if number is None else "<unknown>"}
        self.phone = {"Channel": f"PJSIP/{extension}-sim{n:05d}b", "Uniqueid": f"{base}.{n}1",
                      "CallerIDNum": extension, "CallerIDName": f"Operator {extension}"}
        self.linkedid = self.caller["Uniqueid"]
        self.bridge = f"sim-bridge-{n}"
        self.answered = False

    def _channel(self, side: dict, state: str, connected: str, exten: str) -> dict:
        return {"Privilege": "call,all", "Channel": side["Channel"], "ChannelState": state,
                "CallerIDNum": side["CallerIDNum"], "CallerIDName": side["CallerIDName"],
                "ConnectedLineNum": connected, "ConnectedLineName": "<unknown>",
                "Exten": exten, "Context": "from-trunk", "Uniqueid": side["Uniqueid"],
                "Linkedid": self.linkedid}

    def _dial(self, event: str, phone_state: str, **extra) -> dict:
        dest = self._channel(self.phone, phone_state, self.number, self.did)
        message = {"Event": event, **self._channel(self.caller, "4", self.extension, self.did)}
        message.update({f"Dest{k}": v for k, v in dest.items() if k != "Privilege"})
        message.update(extra)
        return message

    def ring(self) -> list[dict]:
        return [
            {"Event": "Newchannel", **self._channel(self.caller, "4", "<unknown>", self.did)},
            {"Event": "Newchannel", **self._channel(self.phone, "0", "<unknown>", "s")},
            {"Event": "NewConnectedLine", **self._channel(self.phone, "0", self.number,
                                                          self.did)},
            self._dial("DialBegin", "0", DialString=self.extension),
            {"Event": "Newstate", **self._channel(self.phone, "5", self.number, self.did)},
            self._dial("DialState", "5", DialStatus="RINGING"),
        ]

    def answer(self) -> list[dict]:
        self.answered = True
        return [
            {"Event": "Newstate", **self._channel(self.phone, "6", self.number, self.did)},
            self._dial("DialEnd", "6", DialStatus="ANSWER"),
            {"Event": "Newstate", **self._channel(self.caller, "6", self.extension, self.did)},
            {"Event": "BridgeCreate", "BridgeUniqueid": self.bridge, "BridgeType": "basic"},
            {"Event": "BridgeEnter", "BridgeUniqueid": self.bridge,
             **self._channel(self.phone, "6", self.number, "")},
            {"Event": "BridgeEnter", "BridgeUniqueid": self.bridge,
             **self._channel(self.caller, "6", self.extension, self.did)},
        ]

    def hang_up(self) -> list[dict]:
        """The caller hangs up (or gives up, before an answer)."""
        answered = self.answered
        state = "6" if answered else "4"
        cause = {"Cause": "16", "Cause-txt": "Normal Clearing"} if answered else \
            {"Cause": "127", "Cause-txt": "Interworking, unspecified"}
        events = [{"Event": "HangupRequest",
                   **self._channel(self.caller, state, self.extension, self.did),
                   "Cause": cause["Cause"]}]
        if not answered:
            events.append(self._dial("DialEnd", "5", DialStatus="CANCEL"))
        else:
            events += [{"Event": "BridgeLeave", "BridgeUniqueid": self.bridge,
                        **self._channel(side, "6", "", "")}
                       for side in (self.caller, self.phone)]
            events.append({"Event": "BridgeDestroy", "BridgeUniqueid": self.bridge})
        events += [{"Event": "Hangup", **self._channel(self.phone, state, self.number, ""),
                    **cause},
                   {"Event": "Hangup", **self._channel(self.caller, state, self.extension,
                                                       self.did), **cause}]
        return events
