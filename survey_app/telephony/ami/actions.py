"""The actions the app sends to Asterisk, each with its headers in the order Asterisk's
documentation (and pyst2) gives them; mixed into AmiBridge, which provides `_require()`."""
from __future__ import annotations

from .wire import AmiError

Headers = dict[str, str]


def values(headers: Headers, key: str) -> list[str]:
    """Every value of a header that may repeat, e.g. values(response, "Output")."""
    value = headers.get(key)
    return [] if value is None else value.split("\n")


def _accepted(headers: Headers) -> Headers:
    if headers.get("Response") == "Error":
        raise AmiError(headers.get("Message") or "AMI action refused", headers)
    return headers


class AmiActions:
    """Call control and queries on the live session; AmiError when Asterisk says no."""

    def send_action(self, name: str, *, timeout: float | None = None, **headers) -> Headers:
        """Run one action and return its response; AmiError carries Asterisk's Message when
        it answers `Response: Error`, AmiTimeout when it does not answer in time."""
        response = self._require().send_action({"Action": name, **headers}, timeout=timeout)
        return _accepted(response.headers)

    def list_action(self, name: str, *, timeout: float | None = None,
                    **headers) -> tuple[Headers, list[Headers]]:
        """A list action (CoreShowChannels, QueueStatus...): the response and its items."""
        response, items = self._require().list_action({"Action": name, **headers},
                                                      timeout=timeout)
        return _accepted(response.headers), items

    def originate(self, channel: str, exten: str, context: str, caller_id: str | None = None,
                  variables: dict[str, str] | None = None, timeout_ms: int | None = None,
                  run_async: bool = True, priority: int = 1) -> Headers:
        """Originate, its headers in pyst2's order; with run_async the outcome comes later as
        an OriginateResponse event. A repeated Variable header carries each variable."""
        return self.send_action(
            "Originate", Channel=channel, Exten=exten, Context=context or None,
            Priority=priority, Timeout=timeout_ms or None, CallerID=caller_id or None,
            Async="yes" if run_async else None, EarlyMedia="false",
            Variable=[f"{key}={value}" for key, value in (variables or {}).items()] or None)

    def hangup(self, channel: str) -> Headers:
        return self.send_action("Hangup", Channel=channel)

    def redirect(self, channel: str, exten: str, context: str, priority: int = 1) -> Headers:
        return self.send_action("Redirect", Channel=channel, Exten=exten, Priority=priority,
                                Context=context)

    def atxfer(self, channel: str, exten: str, context: str) -> Headers:
        """Attended transfer from the operator's own channel: Asterisk dials `exten` for a
        word first, the caller hears music; the operator hanging up completes it. Needs the
        `atxfer` feature code in features.conf (Asterisk refuses it otherwise)."""
        return self.send_action("Atxfer", Channel=channel, Exten=exten, Context=context)

    def park(self, channel: str, timeout_ms: int | None = None,
             announce_channel: str | None = None, *, timeout_channel: str | None = None,
             parkinglot: str | None = None) -> Headers:
        return self.send_action("Park", Channel=channel, TimeoutChannel=timeout_channel,
                                AnnounceChannel=announce_channel, Timeout=timeout_ms,
                                Parkinglot=parkinglot)

    def queue_pause(self, interface: str, paused: bool, reason: str | None = None,
                    queue: str | None = None) -> Headers:
        return self.send_action("QueuePause", Interface=interface,
                                Paused="true" if paused else "false", Queue=queue,
                                Reason=reason)

    def core_show_channels(self) -> list[Headers]:
        """The channels up now, one CoreShowChannel item each."""
        return self.list_action("CoreShowChannels")[1]
