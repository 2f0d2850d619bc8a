"""The AMI bridge: keeps one logged-in pyst2 session to Asterisk and hands its events on.

Threads: a supervisor (connect, log in, resynchronise, Ping when idle, reconnect with
backoff) and a dispatcher that runs every callback, one at a time and in arrival order; each
session adds its reader. `on_event` gets each event as a dict[str, str]; a header that occurs
several times (Output, Variable, ChanVariable) has its values joined with "\\n" in arrival
order, and `values(event, key)` splits them again. Actions may be sent from any thread,
including from inside a callback.
"""
from __future__ import annotations

import codecs
import itertools
import logging
import queue
import random
import threading
import time
from collections.abc import Callable
from functools import partial

from asterisk.manager import ManagerAuthException, ManagerException

from ..link import LinkStatus
from .actions import AmiActions, Headers, values
from .session import AmiSession, _Waiter
from .wire import AmiConnectionError, AmiError, AmiTimeout

__all__ = ["AmiBridge", "AmiConnectionError", "AmiError", "AmiTimeout", "values"]

log = logging.getLogger(__name__)
_STOP = object()


class AmiBridge(AmiActions):
    """Asterisk's events to `on_event`, call control back to Asterisk; start() once, stop()."""

    def __init__(self, host: str, port: int, username: str, secret: str, *,
                 on_event: Callable[[Headers], None],
                 on_resync: Callable[[list[Headers]], None] | None = None,
                 on_status: Callable[[bool, LinkStatus], None] | None = None,
                 fallback_encoding: str = "cp1251", timeout: float = 5.0,
                 ping_interval: float = 20.0, backoff_max: float = 60.0,
                 backoff_initial: float = 1.0, events: bool = True,
                 max_queued: int = 50_000):
        codecs.lookup(fallback_encoding)  # an unknown codec fails here, not mid-stream
        self.host, self.port, self.username, self.secret = host, int(port), username, secret
        self.fallback_encoding, self.timeout = fallback_encoding, timeout
        self.ping_interval, self.backoff_max, self.backoff_initial = (
            ping_interval, backoff_max, backoff_initial)
        self._on_event, self._on_resync, self._on_status = on_event, on_resync, on_status
        self.events = events  # False: a session for actions only (no events, no resync)
        # Events waiting for on_event. Past max_queued (the pipeline stalled: a locked
        # database, say) events are dropped rather than memory growing without end or the
        # reader blocking (Asterisk would cut a client that stops reading); once the queue
        # is half empty a resync repairs the calls the dropped events would have changed.
        self.max_queued, self.dropped = max_queued, 0
        self._overflowing = False
        self._queue: queue.SimpleQueue = queue.SimpleQueue()  # events and callbacks, in order
        self._ids = itertools.count()  # ActionIDs stay unique across reconnects
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._session: AmiSession | None = None  # the newest, logged in or not
        self._live: AmiSession | None = None     # the one actions go to
        self._threads: tuple[threading.Thread, ...] = ()

    @property
    def connected(self) -> bool:
        """Logged in and the connection is up."""
        live = self._live
        return live is not None and live.connected()

    def start(self) -> None:
        """Start connecting in the background; on_status reports how it goes."""
        if self._threads:
            raise RuntimeError("AmiBridge.start() may be called once")
        self._threads = (
            threading.Thread(target=self._supervise, name="ami-supervisor", daemon=True),
            threading.Thread(target=self._dispatch, name="ami-dispatch", daemon=True))
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float = 1.0) -> None:
        """Log off (briefly), close the socket and join the threads, all within `timeout`."""
        deadline = time.monotonic() + timeout
        with self._lock:
            self._stopping.set()
            session = self._session
        if session is not None:
            session.close("bridge stopped", logoff_timeout=min(self.timeout, timeout / 3))
        self._status(False, LinkStatus("stopped", "AMI bridge stopped"))
        self._queue.put(_STOP)
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(max(0.0, deadline - time.monotonic()))

    def _require(self) -> AmiSession:
        live = self._live
        if live is None or not live.connected():
            raise AmiConnectionError("AMI not connected")
        return live


    # -- the supervisor thread -------------------------------------------------------------

    def _supervise(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            failures = 0 if self._run_session() else failures + 1
            self._stopping.wait(self._backoff(failures))

    def _backoff(self, failures: int) -> float:
        """backoff_initial after a drop, then doubling per failed attempt up to backoff_max;
        jittered so that several workers do not reconnect in step."""
        delay = min(self.backoff_max, self.backoff_initial * 2 ** min(max(failures - 1, 0), 30))
        return delay * random.uniform(0.5, 1.0)

    def _run_session(self) -> bool:
        """One session from connect to drop, on a new AmiSession; True if the login succeeded."""
        session = AmiSession(self._take_event, timeout=self.timeout,
                             fallback_encoding=self.fallback_encoding, ids=self._ids)
        with self._lock:
            if self._stopping.is_set():
                return True
            self._session = session
        where = f"{self.host}:{self.port}"
        try:
            session.connect(self.host, self.port)
            session.login(self.username, self.secret,
                          on_accepted=lambda _: self._went_live(session), events=self.events)
        except ManagerAuthException as error:
            return self._failed(session, LinkStatus("login_refused", f"AMI login refused: {error}",
                                                    error=str(error)))
        except ManagerException as error:
            return self._failed(session, LinkStatus(
                "unreachable", f"AMI connection to {where} failed: {error}", address=where,
                error=str(error)))
        reason = (self._resync(session) if self.events else None) or self._watch(session)
        self._live = None
        session.close(reason)
        if not self._stopping.is_set():
            self._status(False, LinkStatus("lost", f"AMI connection lost: {reason}; reconnecting",
                                           reason=reason))
        return True

    def _went_live(self, session: AmiSession) -> None:
        # On the reader, at Asterisk's answer: actions work and the status comes before the
        # session's first event (FullyBooted arrives in the same packet).
        if not self._stopping.is_set():
            self._live = session
            where, version = f"{self.host}:{self.port}", f"{session.title}/{session.version}"
            self._status(True, LinkStatus("connected", f"AMI connected to {where} ({version})",
                                          address=where, version=version))

    def _failed(self, session: AmiSession, message: LinkStatus) -> bool:
        session.close(message)
        if not self._stopping.is_set():
            self._status(False, message)
        return False

    def _resync(self, session: AmiSession) -> str | None:
        """Ask for the channels that are up; None when the session may go on."""
        try:
            response, _ = session.list_action({"Action": "CoreShowChannels"},
                                              on_accepted=self._announce_resync)
        except AmiError as error:
            return f"resynchronisation failed: {error}"
        if response.headers.get("Response") == "Error":
            log.warning("AMI: CoreShowChannels refused (%s); no resync", response.headers)
        return None

    def _announce_resync(self, waiter: _Waiter) -> None:
        # Runs on the reader when the list starts: the events before it reach on_event first,
        # those after it wait on the dispatcher until on_resync has had the list they change.
        self._queue.put(partial(self._hand_over_resync, waiter))

    def _hand_over_resync(self, waiter: _Waiter) -> None:
        if waiter.done.wait(self.timeout) and waiter.error is None and self._on_resync:
            self._on_resync(waiter.items)

    def _watch(self, session: AmiSession) -> str:
        """Wait for the session to end; when nothing arrives for ping_interval, Ping."""
        patience = min(self.timeout, self.ping_interval)
        while True:
            idle = time.monotonic() - session.last_received
            if session.closed.wait(max(0.0, self.ping_interval - idle)):
                return session.close_reason
            if time.monotonic() - session.last_received < self.ping_interval:
                continue
            try:
                session.send_action({"Action": "Ping"}, timeout=patience)
            except AmiTimeout:
                return f"no answer to Ping within {patience:g} s (Asterisk silent or TCP half-open)"
            except AmiError as error:
                return str(error)

    # -- the dispatcher thread -------------------------------------------------------------

    def _status(self, connected: bool, message: LinkStatus) -> None:
        quiet = connected or self._stopping.is_set()
        log.log(logging.INFO if quiet else logging.WARNING, "%s", message)
        if self._on_status is not None:
            self._queue.put(partial(self._on_status, connected, message))

    def _take_event(self, event: Headers) -> None:
        """On the reader thread: queue the event, or drop it while the queue is over full."""
        if not self._overflowing and self._queue.qsize() < self.max_queued:
            self._queue.put(event)
            return
        if not self._overflowing:
            self._overflowing = True
            log.warning("AMI: %d events wait for the pipeline; dropping events until it "
                        "catches up, then resynchronising", self.max_queued)
        self.dropped += 1

    def _caught_up(self) -> None:
        """On the dispatcher, once the queue is half empty after an overflow: every dropped
        event came before this point, so the channel list asked for now covers them."""
        self._overflowing = False
        log.warning("AMI: %d events dropped in all; resynchronising the calls", self.dropped)
        live = self._live
        if live is not None:
            reason = self._resync(live)
            if reason:
                log.warning("AMI: %s", reason)

    def _dispatch(self) -> None:
        on_event = self._on_event
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            try:
                if type(item) is dict:
                    on_event(item)
                else:
                    item()
            except Exception:  # a broken callback must not strand the events after it
                log.exception("AMI callback failed; dispatch goes on")
            if self._overflowing and self._queue.qsize() <= self.max_queued // 2:
                self._caught_up()
