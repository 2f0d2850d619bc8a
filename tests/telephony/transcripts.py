"""Read the recorded AMI sessions of tests/telephony/transcripts/ (format: their README)."""
import re
from dataclasses import dataclass
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "transcripts"
_MARK = re.compile(rb"#>>> CLIENT->ASTERISK t=\+([0-9.]+)s len=(\d+)\r\n")
_END = b"#<<< END CLIENT->ASTERISK\r\n"


@dataclass(frozen=True)
class Part:
    """A run of bytes as they crossed the socket: from Asterisk, or sent by the client."""

    sender: str  # "asterisk" or "client"
    data: bytes
    at: float | None = None  # seconds after connect, for client parts


def read(name: str) -> list[Part]:
    """The session in order: Asterisk's bytes exactly as received, and the client's blocks."""
    raw = (FOLDER / name).read_bytes()
    parts, position = [], 0
    while True:
        mark = _MARK.search(raw, position)
        if mark is None:
            if position < len(raw):
                parts.append(Part("asterisk", raw[position:]))
            return parts
        if mark.start() > position:
            parts.append(Part("asterisk", raw[position:mark.start()]))
        length = int(mark.group(2))
        body_start = mark.end()
        body_end = body_start + length
        assert raw[body_end:body_end + len(_END)] == _END, f"{name}: bad client block"
        parts.append(Part("client", raw[body_start:body_end], float(mark.group(1))))
        position = body_end + len(_END)


def server_bytes(name: str) -> bytes:
    """Only what Asterisk sent: the byte stream a client reads."""
    return b"".join(p.data for p in read(name) if p.sender == "asterisk")


def client_actions(name: str) -> list[bytes]:
    """What the recorded client sent, one action per block."""
    return [p.data for p in read(name) if p.sender == "client"]


def messages(name: str) -> list[dict[str, str]]:
    """Asterisk's messages after the banner as header dicts (a repeated key keeps its last
    value); the one bare-LF header line of park_and_retrieve.ami is taken as it comes."""
    stream = server_bytes(name).decode("utf-8")
    _banner, _, rest = stream.partition("\r\n")
    result = []
    for block in rest.split("\r\n\r\n"):
        if not block.strip():
            continue
        headers = {}
        for line in block.replace("\r\n", "\n").split("\n"):
            key, sep, value = line.partition(": ")
            if sep:
                headers[key] = value
            elif line.endswith(":"):
                headers[line[:-1]] = ""
        result.append(headers)
    return result


def events(name: str) -> list[dict[str, str]]:
    """Only the events, in order."""
    return [m for m in messages(name) if "Event" in m]
