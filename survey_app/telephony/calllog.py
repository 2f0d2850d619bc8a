"""The call log: every call event updates the operator's row in the Calls section."""
import datetime as dt

from flask import current_app
from sqlalchemy import bindparam, select

from survey_app.contacts.lookup import contacts_by_e164
from survey_app.contacts.phones import to_e164
from survey_app.extensions import db
from survey_app.models import Call, User
from survey_app.models.surveys import utcnow
from survey_app.telephony import events as ev

STATES = {ev.RINGING: "ringing", ev.ANSWERED: "talking", ev.HELD: "held",
          ev.UNHELD: "talking", ev.TRANSFERRED: "ended", ev.ENDED: "ended"}


# Built once: every AMI event that concerns an operator runs these.
_CALL = select(Call).where(Call.call_id == bindparam("call_id"),
                           Call.extension == bindparam("extension"))
_OPERATOR = select(User.id).where(User.extension == bindparam("extension"))
_MISSED_BY_OTHERS = select(Call).where(
    Call.call_id == bindparam("call_id"), Call.extension != bindparam("extension"),
    Call.answered_at.is_(None), Call.ended_at.is_not(None), Call.dismissed.is_(False))


def record(event: ev.CallEvent) -> list[str]:
    """Create or update the Call row of (call id, extension), not yet committed; returns the
    extensions whose pops this changed."""
    at = _when(event)
    call = db.session.scalar(_CALL, {"call_id": event.call_id, "extension": event.extension})
    if call is None:
        call = _new_call(event, at)
        db.session.add(call)
    elif call.ended_at is not None and event.kind == ev.RINGING:
        # the same call rings this operator again (a transfer back): a new life for the pop
        call.ended_at = call.outcome = call.answered_at = call.talk_seconds = None
        call.dismissed = False
    _fill_gaps(call, event)
    call.state = STATES.get(event.kind, call.state)
    call.parking_space = event.extra.get("parking_space") if event.kind == ev.HELD else None
    touched = [event.extension]
    if event.kind == ev.ANSWERED and call.answered_at is None:
        call.answered_at = at
        touched += _close_the_others(call)
    if event.kind in (ev.ENDED, ev.TRANSFERRED) and call.ended_at is None:
        call.ended_at = at
        call.outcome = event.outcome or ("transferred" if event.kind == ev.TRANSFERRED
                                         else "answered" if call.answered_at else "no_answer")
        call.cause = event.cause
        if call.answered_at is not None:
            call.talk_seconds = max(int((call.ended_at - call.answered_at).total_seconds()), 0)
        if call.outcome == "answered_elsewhere":  # a colleague took it: nothing left to do
            call.dismissed = True
    return touched


def _close_the_others(answered: Call) -> list[str]:
    """One operator answered: the pops of the others it rang before (a queue's earlier
    members, whose ring ended unanswered) close, as the ringall losers' do."""
    others = db.session.scalars(_MISSED_BY_OTHERS, {
        "call_id": answered.call_id, "extension": answered.extension}).all()
    for call in others:
        call.dismissed = True
    return [call.extension for call in others]


def _new_call(event: ev.CallEvent, at: dt.datetime) -> Call:
    region = current_app.config["PHONE_REGION"]
    operator_id = db.session.scalar(_OPERATOR, {"extension": event.extension})
    e164 = to_e164(event.number, region)
    matches = contacts_by_e164([e164]).get(e164, [])
    return Call(call_id=event.call_id, extension=event.extension, operator_id=operator_id,
                direction=event.direction, external_number=event.number,
                external_e164=e164, caller_name=event.name,
                did=event.did, queue=event.queue, started_at=at, state="ringing",
                contact_id=matches[0].id if len(matches) == 1 else None)


def _fill_gaps(call: Call, event: ev.CallEvent) -> None:
    """Later events may know more (the channel to act on, the peer after a transfer)."""
    call.channel = event.channel or call.channel
    call.peer_channel = event.peer_channel or call.peer_channel
    call.queue = call.queue or event.queue
    call.did = call.did or event.did
    if call.external_number is None and event.number:
        call.external_number = event.number
        call.external_e164 = to_e164(event.number, current_app.config["PHONE_REGION"])


def _when(event: ev.CallEvent) -> dt.datetime:
    if event.at is None:
        return utcnow()
    return dt.datetime.fromtimestamp(event.at, dt.UTC).replace(tzinfo=None)
