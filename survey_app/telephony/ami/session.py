"""One AMI connection: buffered reading, ActionID matching, timeouts.

Of pyst2 0.5.1 it uses the message parser (ManagerMsg, subclassed in wire.py) and the
exceptions (ManagerException, ManagerAuthException: callers written for pyst2 still catch
ours). Its Manager is not used: it reads the socket one byte per recv, leaves a waiting
action hanging forever when the connection drops, matches answers by order rather than by
ActionID, blocks in __del__ and uses the deprecated setDaemon (measured in
shared/notes/pyst2-and-flask-sock.md); this class does that part.
"""
from __future__ import annotations

import itertools
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator

from asterisk.manager import ManagerAuthException

from .waiter import _Waiter
from .wire import AmiConnectionError, AmiError, AmiMessage, AmiTimeout, decode, encode

log = logging.getLogger(__name__)

SEPARATOR = b"\r\n\r\n"           # an empty line ends every message
RECV_SIZE = 65536
MAX_MESSAGE = 16 * 1024 * 1024    # no message is that long: the stream is broken


class AmiSession:
    """One connection to Asterisk; a new one for each connect (a closed one stays closed).

    One reader thread reads in large chunks, frames on the empty line, parses, gives each
    response (and list item) to the action waiting for its ActionID and every other message
    that is an event to `emit`.
    """

    def __init__(self, emit: Callable[[dict[str, str]], None], *, timeout: float,
                 fallback_encoding: str = "cp1251", ids: Iterator[int] | None = None):
        self.hostname = socket.gethostname()
        self.title = self.version = None
        self._emit, self._timeout, self._fallback = emit, timeout, fallback_encoding
        self._ids = ids if ids is not None else itertools.count()
        self._sock: socket.socket | None = None
        self._reader: threading.Thread | None = None
        self._waiters: dict[str, _Waiter] = {}
        self._send_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._connected = threading.Event()
        self.closed = threading.Event()
        self.close_reason = ""
        self.last_received = time.monotonic()

    def connected(self) -> bool:
        return self._connected.is_set()

    def next_seq(self) -> int:
        return next(self._ids)

    def login(self, username: str, secret: str,
              on_accepted: Callable[[_Waiter], None] | None = None,
              events: bool = True) -> AmiMessage:
        """Log in; `on_accepted` runs on the reader thread as soon as Asterisk accepts,
        before the events that follow the answer are handled. events=False asks Asterisk
        to send this session no events at all (a session for actions only)."""
        headers = {"Action": "Login", "Username": username, "Secret": secret}
        if not events:
            headers["Events"] = "off"
        response = self._request(headers, None, False, on_accepted).response
        if response.headers.get("Response") == "Error":
            raise ManagerAuthException(response.headers.get("Message"))
        return response

    def connect(self, host: str, port: int = 5038) -> str:
        """Open the TCP connection and read the banner, both within the timeout."""
        try:
            sock = socket.create_connection((host, int(port)), timeout=self._timeout)
        except OSError as error:
            raise self._fail(f"cannot connect to {host}:{port}: {error}") from error
        with self._state_lock:
            if self.closed.is_set():
                sock.close()
                raise AmiConnectionError(self.close_reason)
            self._sock = sock
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        data = b""
        deadline = time.monotonic() + self._timeout
        while b"\n" not in data:
            try:
                sock.settimeout(max(0.001, deadline - time.monotonic()))
                chunk = sock.recv(1024)
            except OSError as error:
                raise self._fail(f"no AMI banner from {host}:{port}: {error}") from error
            if not chunk or len(data) > 4096:
                raise self._fail(f"no AMI banner from {host}:{port}")
            data += chunk
        sock.settimeout(self._timeout)
        banner, _, rest = data.partition(b"\n")
        banner_text = decode(banner, self._fallback).strip()
        self.title, _, self.version = banner_text.partition("/")
        self._connected.set()
        self._reader = threading.Thread(target=self._receive_data, args=(rest,),
                                        name=f"ami-reader-{host}:{port}", daemon=True)
        self._reader.start()
        return banner_text

    def _fail(self, reason: str) -> AmiConnectionError:
        self._shutdown(reason)
        return AmiConnectionError(reason)

    def _receive_data(self, buffer: bytes = b"") -> None:
        """The reader thread: replaces pyst2's one-recv-per-byte readline loop."""
        reason = "closed by Asterisk"
        try:
            while True:
                *blocks, buffer = buffer.split(SEPARATOR)
                for block in blocks:
                    self._handle(block)
                if len(buffer) > MAX_MESSAGE:
                    reason = f"no end of message after {len(buffer)} bytes"
                    break
                try:
                    chunk = self._sock.recv(RECV_SIZE)
                except TimeoutError:
                    continue  # idle: the bridge decides with a Ping whether Asterisk is alive
                if not chunk:
                    break
                self.last_received = time.monotonic()
                buffer += chunk
        except OSError as error:
            reason = f"connection error: {error}"
        finally:
            if buffer.strip():
                log.warning("AMI: unfinished message of %d bytes dropped at disconnect: %r",
                            len(buffer), buffer[:200])
            self._shutdown(reason)
            self._sock.close()

    def _handle(self, block: bytes) -> None:
        if not block.strip():
            return
        try:
            lines = decode(block, self._fallback).replace("\r\n", "\n").split("\n")
            self._route(AmiMessage(lines))
        except Exception:  # one bad message must not stop the reader
            log.exception("AMI: cannot handle message %r", block[:200])

    def _route(self, message: AmiMessage) -> None:
        headers = message.headers
        waiter = self._waiters.get(headers.get("ActionID"))
        if waiter is not None and waiter.take(message):
            return
        if "Event" in headers:
            self._emit(headers)
        elif headers.get("Response") == "Generated Header":  # pyst2's mark for no headers
            log.warning("AMI: unparseable data ignored: %r", message.data[:200])
        else:
            log.warning("AMI: response nobody waits for (late or unknown): %s", headers)

    def send_action(self, cdict: dict | None = None, *, timeout: float | None = None,
                    **kwargs) -> AmiMessage:
        """Send an action and return its response, matched by ActionID."""
        return self._request({**(cdict or {}), **kwargs}, timeout, False, None).response

    def list_action(self, cdict: dict, *, timeout: float | None = None,
                    on_accepted: Callable[[_Waiter], None] | None = None,
                    ) -> tuple[AmiMessage, list[dict[str, str]]]:
        """A list action: its response and the items up to the `...Complete` event.
        `on_accepted` runs on the reader thread when Asterisk accepts the list."""
        waiter = self._request(dict(cdict), timeout, True, on_accepted)
        return waiter.response, waiter.items

    def _request(self, headers: dict, timeout: float | None, listing: bool,
                 on_accepted: Callable[[_Waiter], None] | None) -> _Waiter:
        action_id = headers.setdefault("ActionID", f"{self.hostname}-{self.next_seq():08x}")
        payload = encode(headers)
        wait = self._wait_time(headers) if timeout is None else timeout
        waiter = _Waiter(listing, on_accepted)
        self._waiters[action_id] = waiter
        try:
            if not self.connected():
                raise AmiConnectionError(f"AMI not connected ({self.close_reason or 'new'})")
            self._write(payload)
            if not waiter.done.wait(wait):
                raise AmiTimeout(f"no answer to AMI {headers.get('Action')} "
                                 f"(ActionID {action_id}) within {wait:g} s")
        finally:
            self._waiters.pop(action_id, None)
        if waiter.error is not None:
            raise waiter.error
        return waiter

    def _wait_time(self, headers: dict) -> float:
        """A synchronous Originate is answered only when the call is answered or given up."""
        run_async = str(headers.get("Async", "")).lower() in {"yes", "true", "y", "t", "1", "on"}
        if headers.get("Action") != "Originate" or run_async:
            return self._timeout
        return self._timeout + int(headers.get("Timeout") or 30000) / 1000

    def _write(self, payload: bytes) -> None:
        try:
            with self._send_lock:
                self._sock.sendall(payload)
        except OSError as error:  # a half-written action leaves the stream unusable
            raise self._fail(f"AMI send failed: {error}") from error

    def close(self, reason: str = "closed by the client", logoff_timeout: float = 0.0) -> None:
        """Log off if asked (and still connected), close the socket, let the reader end."""
        if logoff_timeout > 0 and self.connected():
            try:
                self.send_action({"Action": "Logoff"}, timeout=logoff_timeout)
            except AmiError:
                pass
        self._shutdown(reason)
        reader = self._reader
        if reader is not None and reader is not threading.current_thread():
            reader.join(0.5)

    def _shutdown(self, reason: str) -> None:
        with self._state_lock:
            if self.closed.is_set():
                return
            self.close_reason = reason
            self._connected.clear()
            self.closed.set()
            sock, reader = self._sock, self._reader
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)  # wakes the reader, which closes the socket
            except OSError:
                pass
            if reader is None:
                sock.close()
        for waiter in tuple(self._waiters.values()):
            waiter.fail(AmiConnectionError(f"AMI connection ended: {reason}"))
