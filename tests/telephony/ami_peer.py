"""A real AMI server on 127.0.0.1 for tests: it replays recorded transcripts over TCP.

Per connection: the banner, then, once the client has sent Login, Asterisk's recorded messages
in their order. A recorded response, and every event that carries its ActionID (list items,
OriginateResponse), waits until the client sends an action of that name (matched in order)
and goes out with the client's ActionID. Recorded actions named in `skip` are left out.
Any other client action gets `replies[name]` or a generic answer: Ping -> Pong,
CoreShowChannels -> the channels up at that moment of this connection's replay (as Asterisk
answers: every channel whose creation was sent and whose Hangup was not), Logoff -> Goodbye
and close, anything else -> Success.
Every action received is kept in `actions`. The faults (drop_after, silent_after, inject)
apply to the first `faulty` connections; messages are counted from the Login response (0).
`pauses` hold the stream of every connection before a message: for some seconds, or until a
threading.Event is set (a call held mid-way while a test looks at it).
"""
from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from tests.telephony.transcripts import Part, read

SEP = b"\r\n\r\n"
_ACTION_ID = re.compile(rb"^ActionID: ([^\r\n]*)\r?$", re.M)


@dataclass(frozen=True)
class Action:
    """One action as the peer received it."""

    connection: int
    raw: bytes
    pairs: tuple[tuple[str, str], ...]

    @property
    def name(self) -> str:
        return self.get("Action", "")

    def get(self, key: str, default: str | None = None) -> str | None:
        return next((v for k, v in self.pairs if k == key), default)

    def __getitem__(self, key: str) -> str:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def all(self, key: str) -> list[str]:
        return [v for k, v in self.pairs if k == key]


def build_message(headers: dict[str, str] | Iterable[tuple[str, str]],
                  encoding: str = "utf-8") -> bytes:
    """A message's bytes, e.g. build_message({"Event": "Newchannel", ...}, "cp1251")."""
    pairs = headers.items() if isinstance(headers, dict) else headers
    return "".join(f"{k}: {v}\r\n" for k, v in pairs).encode(encoding) + b"\r\n"


def wait_until(predicate: Callable[[], object], timeout: float = 5.0) -> bool:
    """Poll until predicate() is true; False after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def _pairs(raw: bytes) -> tuple[tuple[str, str], ...]:
    lines = raw.decode("utf-8", "replace").replace("\r\n", "\n").split("\n")
    return tuple((k, v) for k, sep, v in (line.partition(": ") for line in lines) if sep)


def _with_action_id(template: bytes, action_id: str) -> bytes:
    """Put the ActionID after the first line of every message of a reply template."""
    messages = [m for m in template.split(SEP) if m.strip()]
    out = []
    for message in messages:
        first, _, rest = message.partition(b"\r\n")
        lines = [first, f"ActionID: {action_id}".encode()] + ([rest] if rest else [])
        out.append(b"\r\n".join(lines) + SEP)
    return b"".join(out)


# The channel snapshot headers Asterisk puts on channel events and on CoreShowChannel items.
_SNAPSHOT = ("ChannelState", "ChannelStateDesc", "CallerIDNum", "CallerIDName",
             "ConnectedLineNum", "ConnectedLineName", "Language", "AccountCode", "Context",
             "Exten", "Priority", "Uniqueid", "Linkedid")


class Channels:
    """The channels up so far in a replay, kept from the events as they are sent."""

    def __init__(self):
        self.up: dict[str, dict[str, str]] = {}
        self._gone: set[str] = set()

    def see(self, block: bytes) -> None:
        headers = dict(_pairs(block))
        if "Event" not in headers:
            return
        for prefix in ("", "Dest"):  # DialBegin names the dialled channel with Dest...
            name = headers.get(prefix + "Channel")
            if not name or name in self._gone or prefix + "Uniqueid" not in headers:
                continue
            if headers["Event"] == "Hangup" and not prefix:
                self.up.pop(name, None)
                self._gone.add(name)
                continue
            snapshot = self.up.setdefault(name, {"Channel": name})
            snapshot.update({key: headers[prefix + key] for key in _SNAPSHOT
                             if prefix + key in headers})
            if headers["Event"] == "Newexten" and not prefix:
                snapshot["Application"] = headers.get("Application", "")
                snapshot["ApplicationData"] = headers.get("AppData", "")

    def listing(self) -> bytes:
        """CoreShowChannels' answer: the response, an item per channel, the end of the list."""
        items = [build_message({"Event": "CoreShowChannel", **channel, "Duration": "00:00:01"})
                 for channel in self.up.values()]
        return (b"Response: Success\r\nEventList: start\r\nMessage: Channels will follow\r\n\r\n"
                + b"".join(items) + b"Event: CoreShowChannelsComplete\r\nEventList: Complete\r\n"
                + f"ListItems: {len(items)}\r\n\r\n".encode())


class Script:
    """A transcript cut into what the peer sends: banner, messages, who owns each message."""

    def __init__(self, parts: Sequence[Part]):
        stream = b"".join(p.data for p in parts if p.sender == "asterisk")
        banner, _, rest = stream.partition(b"\r\n")
        self.banner = banner + b"\r\n"
        chunks = rest.split(SEP)
        tail = chunks.pop()
        self.messages = [c + SEP for c in chunks] + ([tail] if tail else [])
        self.actions = []  # (name, recorded ActionID) of each recorded client action
        for part in parts:
            if part.sender == "client":
                action = Action(-1, part.data, _pairs(part.data))
                self.actions.append((action.name, action.get("ActionID", "").encode()))
        owners = {action_id: i for i, (_, action_id) in enumerate(self.actions)}
        self.owner = []
        for message in self.messages:
            found = _ACTION_ID.search(message)
            self.owner.append(owners.get(found.group(1)) if found else None)


class AmiPeer:
    """The server; `port` to connect to, `actions` received, `close()` (or `with`) at the end.

    transcript: a file name in tests/telephony/transcripts, a list of Parts, or a list of
    either, one per connection (the last one is repeated).
    secret: when set, a Login with another Secret gets "Authentication failed" and is closed.
    replies: {action name: reply bytes (ActionID added) or None for no reply at all}.
    delays: {action name: seconds to wait before a generic reply}.
    reply_wait: how long a recorded response waits for its action (None: as long as it takes).
    pace: seconds between messages (0: as fast as the socket takes them).
    drop_after / silent_after: close the socket / stop talking after that many messages.
    inject: {message number: raw bytes sent just before that message}.
    skip: recorded actions left out (by default Status, which the bridge never sends).
    faulty: how many connections, from the first, get drop_after, silent_after and inject.
    pauses: {message number: seconds, or a threading.Event to wait for} before that message.
    """

    host = "127.0.0.1"

    def __init__(self, transcript: str | Sequence = "inbound_answered.ami", *,
                 secret: str | None = None, skip: Iterable[str] = ("Status",),
                 replies: dict[str, bytes | None] | None = None,
                 delays: dict[str, float] | None = None, reply_wait: float | None = None,
                 pace: float = 0.0, drop_after: int | None = None,
                 silent_after: int | None = None, inject: dict[int, bytes] | None = None,
                 faulty: int = 1, pauses: dict[int, float | threading.Event] | None = None):
        per_connection = [transcript] if isinstance(transcript, str) or (
            transcript and isinstance(transcript[0], Part)) else list(transcript)
        self._scripts = [Script(read(t) if isinstance(t, str) else t) for t in per_connection]
        self.secret, self.skip = secret, frozenset(skip)
        self.replies, self.delays = dict(replies or {}), dict(delays or {})
        self.reply_wait, self.pace = reply_wait, pace
        self.drop_after, self.silent_after = drop_after, silent_after
        self.inject, self.faulty = dict(inject or {}), faulty
        self.pauses = dict(pauses or {})
        self.actions: list[Action] = []
        self.connected_at: list[float] = []      # time.monotonic() of each accept
        self.login_answered_at: list[float] = []  # time.perf_counter() of each Login response
        self._lock = threading.Lock()
        self._connections: list[_Connection] = []
        self._server = socket.create_server((self.host, 0))
        self.port = self._server.getsockname()[1]
        threading.Thread(target=self._accept, name="ami-peer", daemon=True).start()

    def __enter__(self) -> AmiPeer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def configure(self, app) -> None:
        """Point the app's AMI settings at this peer, with the recorded credentials."""
        app.config.update(AMI_HOST=self.host, AMI_PORT=self.port, AMI_USERNAME="crm",
                          AMI_SECRET="crmsecret")

    @property
    def connections(self) -> int:
        return len(self.connected_at)

    def actions_named(self, name: str) -> list[Action]:
        with self._lock:
            return [a for a in self.actions if a.name == name]

    def close(self) -> None:
        try:
            self._server.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
        except OSError:
            pass
        self._server.close()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            connection.close()

    def _accept(self) -> None:
        while True:
            try:
                sock, _ = self._server.accept()
            except OSError:
                return
            with self._lock:
                index = len(self.connected_at)
                self.connected_at.append(time.monotonic())
                script = self._scripts[min(index, len(self._scripts) - 1)]
                connection = _Connection(self, sock, index, script)
                self._connections.append(connection)
            threading.Thread(target=connection.run, name=f"ami-peer-{index}",
                             daemon=True).start()

    def _record(self, action: Action) -> None:
        with self._lock:
            self.actions.append(action)


class _Connection:
    """One client: the streaming thread (run) and the thread reading its actions."""

    def __init__(self, peer: AmiPeer, sock: socket.socket, index: int, script: Script):
        self.peer, self.sock, self.index, self.script = peer, sock, index, script
        self.faulty = index < peer.faulty
        self.cond = threading.Condition()
        self.bound: dict[int, bytes] = {}  # recorded action -> the client's ActionID
        self.given_up = {i for i, (name, _) in enumerate(script.actions) if name in peer.skip}
        self.send_lock = threading.Lock()
        self.channels = Channels()  # of this replay, as far as it has been sent
        self.silent = self.closed = False

    def run(self) -> None:
        threading.Thread(target=self._read_actions, daemon=True).start()
        try:
            finished = self._stream()
        except OSError:
            finished = True
        if finished:
            self.close()

    def _stream(self) -> bool:
        """Send the script; False when the connection goes silent instead of closing."""
        self._send(self.script.banner)
        batch: list[bytes] = []
        sent = 0
        paused: set[int] = set()
        for message, owner in zip(self.script.messages, self.script.owner, strict=True):
            if sent in self.peer.pauses and sent not in paused:
                paused.add(sent)
                self._send(b"".join(batch))
                batch.clear()
                if not self._pause(self.peer.pauses[sent]):
                    return True
            if owner is not None:
                self._send(b"".join(batch))
                batch.clear()
                message = self._answering(message, owner)
                if message is None:
                    if self.closed:
                        return True
                    continue
            if not self._fault_before(sent, batch):
                return not self.silent
            batch.append(message)
            sent += 1
            if self.peer.pace or len(batch) > 256:
                self._send(b"".join(batch))
                batch.clear()
                time.sleep(self.peer.pace)
        self._send(b"".join(batch))
        return True

    def _pause(self, pause: float | threading.Event) -> bool:
        """Wait `pause` seconds or until the Event is set; False if the connection closed."""
        with self.cond:
            if isinstance(pause, threading.Event):
                while not pause.is_set() and not self.closed:
                    self.cond.wait(0.01)
            else:
                self.cond.wait_for(lambda: self.closed, timeout=pause)
            return not self.closed

    def _answering(self, message: bytes, owner: int) -> bytes | None:
        """The recorded message with the client's ActionID, once the client has asked."""
        with self.cond:
            self.cond.wait_for(lambda: owner in self.bound or owner in self.given_up
                               or self.closed, timeout=self.peer.reply_wait)
            if owner not in self.bound:
                self.given_up.add(owner)
                return None
            client_id = self.bound[owner]
        if owner == 0:
            self.peer.login_answered_at.append(time.perf_counter())
        recorded = self.script.actions[owner][1]
        return message.replace(b"ActionID: " + recorded + b"\r\n",
                               b"ActionID: " + client_id + b"\r\n")

    def _fault_before(self, sent: int, batch: list[bytes]) -> bool:
        """Apply the faults due before message number `sent`; False to stop streaming."""
        if not self.faulty:
            return True
        if sent in self.peer.inject:
            batch.append(self.peer.inject[sent])
        if sent == self.peer.drop_after or sent == self.peer.silent_after:
            self._send(b"".join(batch))
            batch.clear()
            self.silent = sent == self.peer.silent_after
            return False
        return True

    def _read_actions(self) -> None:
        buffer = b""
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    break
                *blocks, buffer = (buffer + chunk).split(SEP)
                for block in blocks:
                    if block.strip():
                        self._on_action(block + SEP)
        except OSError:
            pass
        self.close()

    def _on_action(self, raw: bytes) -> None:
        action = Action(self.index, raw, _pairs(raw))
        self.peer._record(action)
        if self.silent or self.closed:
            return
        secret = self.peer.secret
        if action.name == "Login" and secret is not None and action.get("Secret") != secret:
            self._reply(action, b"Response: Error\r\nMessage: Authentication failed\r\n\r\n")
            self.close()
        elif not self._bind(action):
            self._answer(action)

    def _bind(self, action: Action) -> bool:
        """Match the action to the first recorded one of that name not yet answered."""
        with self.cond:
            for i, (name, _) in enumerate(self.script.actions):
                if name == action.name and i not in self.bound and i not in self.given_up:
                    self.bound[i] = action.get("ActionID", "").encode()
                    self.cond.notify_all()
                    return True
        return False

    def _answer(self, action: Action) -> None:
        name = action.name
        if name in self.peer.replies:
            reply = self.peer.replies[name]
        elif name == "Ping":
            reply = f"Response: Success\r\nPing: Pong\r\nTimestamp: {time.time():.6f}\r\n\r\n"
        elif name == "CoreShowChannels":
            delay = self.peer.delays.get(name)
            if delay:
                threading.Timer(delay, self._send_channels, (action,)).start()
            else:
                self._send_channels(action)
            return
        elif name == "Logoff":
            reply = "Response: Goodbye\r\nMessage: Thanks for all the fish.\r\n\r\n"
        else:
            reply = f"Response: Success\r\nMessage: {name} accepted by the test peer\r\n\r\n"
        if reply is None:
            return
        delay = self.peer.delays.get(name)
        if delay:
            threading.Timer(delay, self._reply, (action, reply)).start()
        else:
            self._reply(action, reply)
        if name == "Logoff":
            self.close()

    def _reply(self, action: Action, reply: bytes | str) -> None:
        template = reply.encode() if isinstance(reply, str) else reply
        try:
            self._send(_with_action_id(template, action.get("ActionID", "")))
        except OSError:
            self.close()

    def _send(self, data: bytes) -> None:
        if data and not self.closed:
            with self.send_lock:
                self.sock.sendall(data)
                for block in data.split(SEP):
                    self.channels.see(block)

    def _send_channels(self, action: Action) -> None:
        """The listing as of now: under the send lock, so no event slips in between."""
        try:
            with self.send_lock:
                if not self.closed:
                    self.sock.sendall(_with_action_id(self.channels.listing(),
                                                      action.get("ActionID", "")))
        except OSError:
            self.close()

    def close(self) -> None:
        with self.cond:
            if self.closed:
                return
            self.closed = True
            self.cond.notify_all()
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


class Recorder:
    """Callbacks for a bridge that keep what they get; `timeline` has them all in order."""

    def __init__(self):
        self.events: list[dict[str, str]] = []
        self.event_times: list[float] = []
        self.statuses: list[tuple[float, bool, str]] = []  # (time.monotonic(), ok, message)
        self.resyncs: list[list[dict[str, str]]] = []
        self.timeline: list[tuple[str, object]] = []

    def on_event(self, headers: dict[str, str]) -> None:
        self.events.append(headers)
        self.event_times.append(time.monotonic())
        self.timeline.append(("event", headers.get("Event")))

    def on_status(self, connected: bool, message: str) -> None:
        self.statuses.append((time.monotonic(), connected, message))
        self.timeline.append(("status", connected))

    def on_resync(self, channels: list[dict[str, str]]) -> None:
        self.resyncs.append(channels)
        self.timeline.append(("resync", len(channels)))

    def callbacks(self) -> dict[str, Callable]:
        return {"on_event": self.on_event, "on_status": self.on_status,
                "on_resync": self.on_resync}
