"""Call events: what the translator makes of Asterisk's stream, and what the pop shows. Pure."""
import enum
from dataclasses import dataclass, field

# kinds of call event
RINGING = "ringing"          # the operator's phone rings (inbound), or dials out (outbound)
ANSWERED = "answered"        # the operator talks with the external party
HELD = "held"
UNHELD = "unheld"
TRANSFERRED = "transferred"  # the call left this operator for another extension or number
ENDED = "ended"              # the operator's part of the call is over; `outcome` says how
CONNECTED = "connected"      # a queue connected its caller to the operator: extra["queue_wait"]



class Direction(enum.StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


INBOUND, OUTBOUND = Direction.INBOUND, Direction.OUTBOUND


class Outcome(enum.StrEnum):
    """How an operator's part of a call ended, in the words of the Calls section."""

    ANSWERED = "answered"
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    FAILED = "failed"
    NOT_FOUND = "not_found"
    CANCELLED = "cancelled"
    ANSWERED_ELSEWHERE = "answered_elsewhere"
    TRANSFERRED = "transferred"


OUTCOMES = tuple(Outcome)


class CallState(enum.StrEnum):
    """Where an operator's call is now, as its pop and the call log show it."""

    RINGING = "ringing"
    TALKING = "talking"
    HELD = "held"
    ENDED = "ended"


@dataclass(frozen=True)
class CallEvent:
    """One step in the life of a call as one operator sees it.

    `linkedid` is Asterisk's Linkedid: the same for every leg of one call, through queues,
    Local channels and transfers. Keyed by (linkedid, extension), since a queue call rings
    several operators at once.
    """

    kind: str
    linkedid: str
    extension: str
    direction: Direction
    number: str | None = None      # the external party's number; None when withheld
    name: str | None = None        # the caller's display name, if one was sent
    did: str | None = None         # the company number dialled (inbound)
    queue: str | None = None
    channel: str | None = None     # the operator's channel, for Hangup / hold
    peer_channel: str | None = None  # the external party's channel, for Redirect / Park
    outcome: Outcome | None = None  # on ENDED
    cause: str | None = None       # on ENDED: Asterisk's hangup cause text, for the log
    at: float | None = None        # seconds since the epoch (Asterisk's Timestamp, or arrival)
    extra: dict = field(default_factory=dict, compare=False)
