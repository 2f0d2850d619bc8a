"""The AMI wire format: errors, decoding with a fallback codec, safe encoding, parsing.

A message is `Key: Value` lines ended by an empty line. A header that repeats (Output,
Variable, ChanVariable) keeps every value, joined with "\\n" in arrival order.
"""
from __future__ import annotations

import logging

from asterisk.manager import ManagerException, ManagerMsg

log = logging.getLogger(__name__)


class AmiError(ManagerException):
    """An AMI action failed; `response` holds Asterisk's answer when there was one."""

    def __init__(self, message: str, response: dict[str, str] | None = None):
        super().__init__(message)
        self.response = response or {}


class AmiTimeout(AmiError):
    """No answer within the timeout."""


class AmiConnectionError(AmiError):
    """Not connected, or the connection ended before the answer came."""


def decode(raw: bytes, fallback: str) -> str:
    """UTF-8; failing that line by line, so one odd line does not garble the others."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return "\n".join(_decode_line(line, fallback) for line in raw.split(b"\n"))


def _decode_line(line: bytes, fallback: str) -> str:
    body = line.removesuffix(b"\r")
    end = "\r" if len(body) < len(line) else ""
    try:
        return body.decode("utf-8") + end
    except UnicodeDecodeError as error:
        # UTF-8 text cut inside its last character (Asterisk truncates by bytes): keep the
        # letters and mark the cut, rather than reading the whole line as the fallback codec.
        cut = error.reason == "unexpected end of data" and not body[:error.start].isascii()
        if not cut:
            try:
                return body.decode(fallback) + end
            except UnicodeDecodeError:
                pass
    log.warning("AMI: undecodable bytes shown as U+FFFD in %r", body)
    return body.decode("utf-8", "replace") + end


def encode(headers: dict) -> bytes:
    """An action's bytes; a list value repeats its header, None leaves it out. CR or LF in a
    key or value is refused: it would end the header and inject AMI actions."""
    lines = []
    for key, value in headers.items():
        for item in value if isinstance(value, list | tuple) else (value,):
            if item is None:
                continue
            line = f"{key}: {item}"
            if "\r" in line or "\n" in line:
                raise AmiError(f"AMI header {key!r} refused: its value contains CR/LF")
            lines.append(line)
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


class AmiMessage(ManagerMsg):
    """pyst2's message, parsed so that a repeated header (Output, Variable, ChanVariable)
    keeps all its values, joined with "\\n" in arrival order, and a value keeps its spaces."""

    def parse(self, response: list[str]) -> None:
        headers: dict[str, str] = {}
        data = []
        for line in response:
            key, sep, value = line.partition(": ")
            if not sep:
                if not line.endswith(":"):
                    if line:
                        data.append(line)
                    continue
                key, value = line[:-1], ""
            headers[key] = f"{headers[key]}\n{value}" if key in headers else value
        self.headers = headers
        self.data = "\n".join(data)
