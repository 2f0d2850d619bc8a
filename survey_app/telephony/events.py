"""Call events: what the translator makes of Asterisk's stream, and what the pop shows. Pure."""
from dataclasses import dataclass, field

# kinds of call event
RINGING = "ringing"          # the operator's phone rings (inbound), or dials out (outbound)
ANSWERED = "answered"        # the operator talks with the external party
HELD = "held"
UNHELD = "unheld"
TRANSFERRED = "transferred"  # the call left this operator for another extension or number
ENDED = "ended"              # the operator's part of the call is over; `outcome` says how

INBOUND, OUTBOUND = "inbound", "outbound"

# outcomes of an ended call, in the words of the Calls section
OUTCOMES = ("answered", "no_answer", "busy", "failed", "not_found", "cancelled",
            "answered_elsewhere", "transferred")


@dataclass(frozen=True)
class CallEvent:
    """One step in the life of a call as one operator sees it.

    `call_id` is Asterisk's Linkedid: the same for every leg of one call, through queues,
    Local channels and transfers. Keyed by (call_id, extension), since a queue call rings
    several operators at once.
    """

    kind: str
    call_id: str
    extension: str
    direction: str
    number: str | None = None      # the external party's number; None when withheld
    name: str | None = None        # the caller's display name, if one was sent
    did: str | None = None         # the company number dialled (inbound)
    queue: str | None = None
    channel: str | None = None     # the operator's channel, for Hangup / hold
    peer_channel: str | None = None  # the external party's channel, for Redirect / Park
    outcome: str | None = None     # on ENDED: one of OUTCOMES
    cause: str | None = None       # on ENDED: Asterisk's hangup cause text, for the log
    at: float | None = None        # seconds since the epoch (Asterisk's Timestamp, or arrival)
    extra: dict = field(default_factory=dict, compare=False)
