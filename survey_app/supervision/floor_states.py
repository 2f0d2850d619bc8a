"""What an operator is doing now, from what the floor reads of them. Pure: no Flask, no SQL."""
import datetime as dt
import enum
from dataclasses import dataclass


class FloorState(enum.StrEnum):
    """An operator's state on the floor, in the order the counts show them."""

    READY = "ready"
    RINGING = "ringing"
    TALKING = "talking"
    IN_SURVEY = "in_survey"  # a survey of theirs was stepped lately, and no call
    DND = "dnd"
    OFFLINE = "offline"      # no page of the app open for a minute


@dataclass
class Operator:
    """One operator's row on the floor: who, their phone's call, their survey, their day."""

    id: int
    name: str
    extension: str | None
    agent_state: str
    agent_state_at: dt.datetime | None
    page_seen_at: dt.datetime | None
    online_since: dt.datetime | None
    call: object | None = None     # the call in progress: floor.CurrentCall
    survey: object | None = None   # the survey in progress: floor.CurrentSurvey
    calls_today: int = 0
    answered_today: int = 0
    surveys_today: int = 0
    last_call_end: dt.datetime | None = None
    last_survey_end: dt.datetime | None = None
    state: FloorState = FloorState.OFFLINE
    since: dt.datetime | None = None


def settle(operator: Operator, online_after: dt.datetime) -> Operator:
    """Fill in the state and since when: the phone first (it rings or talks whatever the
    page does), then whether a page is open, then the survey, then Ready or Do not disturb,
    since the latest of the state's change, the page's opening, the last call and survey."""
    call, online = operator.call, _online(operator, online_after)
    if call is not None and call.ringing:
        operator.state, operator.since = FloorState.RINGING, call.started_at
    elif call is not None:
        operator.state, operator.since = FloorState.TALKING, call.answered_at or call.started_at
    elif not online:
        operator.state, operator.since = FloorState.OFFLINE, operator.page_seen_at
    elif operator.survey is not None:
        operator.state, operator.since = FloorState.IN_SURVEY, operator.survey.started_at
    else:
        operator.state = FloorState.DND if operator.agent_state == "dnd" else FloorState.READY
        operator.since = max(t for t in (operator.agent_state_at, operator.online_since,
                                         operator.last_call_end, operator.last_survey_end)
                             if t is not None)
    return operator


def _online(operator: Operator, online_after: dt.datetime) -> bool:
    """A page is open: marked so, and stamped within the last minute (a mark left by a
    process that died is not believed)."""
    return (operator.online_since is not None and operator.page_seen_at is not None
            and operator.page_seen_at >= online_after)
