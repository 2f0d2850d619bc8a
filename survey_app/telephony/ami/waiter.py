"""The answer to one action, filled by the session's reader thread: the response and, for a
list action (CoreShowChannels), its items up to the list's end."""
from __future__ import annotations

import threading
from collections.abc import Callable

from .wire import AmiError, AmiMessage


class _Waiter:
    """The answer to one action: its response and, for a list action, the items."""

    __slots__ = ("listing", "on_accepted", "response", "items", "error", "done")

    def __init__(self, listing: bool, on_accepted: Callable[[_Waiter], None] | None):
        self.listing, self.on_accepted = listing, on_accepted
        self.response: AmiMessage | None = None
        self.items: list[dict[str, str]] = []
        self.error: AmiError | None = None
        self.done = threading.Event()

    def take(self, message: AmiMessage) -> bool:
        """Keep the message if it answers this action (runs on the reader thread)."""
        headers = message.headers
        if self.response is None:
            if "Response" not in headers:
                return False
            self.response = message
            refused = headers["Response"] == "Error"
            if not refused and self.on_accepted is not None:
                self.on_accepted(self)
            if refused or not self.listing:
                self.done.set()
            return True
        if not self.listing or "Event" not in headers:
            return False
        if headers.get("EventList") == "Complete":
            self.done.set()
        else:
            self.items.append(headers)
        return True

    def fail(self, error: AmiError) -> None:
        if not self.done.is_set():
            self.error = error
            self.done.set()
