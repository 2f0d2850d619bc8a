"""The call log: every call event updates the operator's row in the Calls section."""
import datetime as dt

from flask import current_app
from sqlalchemy import bindparam, select

from survey_app.contacts.lookup import contacts_with_number
from survey_app.extensions import db
from survey_app.models import Call, User
from survey_app.models.surveys import utcnow
from survey_app.phones import to_e164
from survey_app.telephony.calls import events as ev

S = ev.CallState
STATES = {ev.RINGING: S.RINGING, ev.ANSWERED: S.TALKING, ev.HELD: S.HELD,
          ev.UNHELD: S.TALKING, ev.TRANSFERRED: S.ENDED, ev.ENDED: S.ENDED}


# Built once: every AMI event that concerns an operator runs these.
_CALL = select(Call).where(Call.linkedid == bindparam("linkedid"),
                           Call.extension == bindparam("extension"))
_OPERATOR = select(User.id).where(User.extension == bindparam("extension"))
_MISSED_BY_OTHERS = select(Call).where(
    Call.linkedid == bindparam("linkedid"), Call.extension != bindparam("extension"),
    Call.answered_at.is_(None), Call.ended_at.is_not(None), Call.dismissed.is_(False))


def record(event: ev.CallEvent) -> list[str]:
    """Create or update the Call row of (Linkedid, extension), not yet committed; returns the
    extensions whose pops this changed."""
    at = _when(event)
    call = _the_call(event, at)
    _fill_gaps(call, event)
    call.state = STATES.get(event.kind, call.state)
    call.parking_space = event.extra.get("parking_space") if event.kind == ev.HELD else None
    touched = [event.extension]
    if event.kind == ev.ANSWERED and call.answered_at is None:
        call.answered_at = at
        touched += _close_the_others(call)
    if event.kind in (ev.ENDED, ev.TRANSFERRED) and call.ended_at is None:
        _end(call, event, at)
    if event.kind == ev.CONNECTED:
        call.queue_wait_seconds = event.extra["queue_wait"]
    return touched


# A call rings or talks for minutes, not days: older rows are not looked at (the index on
# started_at keeps this a short read however long the log).
IN_PROGRESS_WITHIN = dt.timedelta(days=2)
_IN_PROGRESS = select(Call.linkedid, Call.extension, Call.direction).where(
    Call.ended_at.is_(None), Call.started_at >= bindparam("since"))


def ended_unseen(live_linkedids: set[str]) -> list[ev.CallEvent]:
    """An end for every call the log has in progress that the PBX no longer has: it ended
    while no bridge listened (the bridge's process was restarted, and the new one knows
    nothing of the calls before it). Without it, its pop would ring on."""
    rows = db.session.execute(_IN_PROGRESS, {"since": utcnow() - IN_PROGRESS_WITHIN})
    return [ev.CallEvent(ev.ENDED, linkedid, extension, direction)
            for linkedid, extension, direction in rows if linkedid not in live_linkedids]


def _the_call(event: ev.CallEvent, at: dt.datetime) -> Call:
    """The operator's row of this call: new, or given a new life when it rings again."""
    call = db.session.scalar(_CALL, {"linkedid": event.linkedid, "extension": event.extension})
    if call is None:
        call = _new_call(event, at)
        db.session.add(call)
    elif call.ended_at is not None and event.kind == ev.RINGING:
        # the same call rings this operator again (a transfer back): a new life for the pop
        call.ended_at = call.outcome = call.answered_at = call.talk_seconds = None
        call.dismissed = False
    return call


def _end(call: Call, event: ev.CallEvent, at: dt.datetime) -> None:
    call.ended_at = at
    call.outcome = event.outcome or _default_outcome(call, event)
    call.cause = event.cause
    if call.answered_at is not None:
        call.talk_seconds = max(int((call.ended_at - call.answered_at).total_seconds()), 0)
    if call.outcome == ev.Outcome.ANSWERED_ELSEWHERE:  # a colleague took it: nothing to do
        call.dismissed = True


def _default_outcome(call: Call, event: ev.CallEvent) -> ev.Outcome:
    if event.kind == ev.TRANSFERRED:
        return ev.Outcome.TRANSFERRED
    return ev.Outcome.ANSWERED if call.answered_at else ev.Outcome.NO_ANSWER


def _close_the_others(answered: Call) -> list[str]:
    """One operator answered: the pops of the others it rang before (a queue's earlier
    members, whose ring ended unanswered) close, as the ringall losers' do."""
    others = db.session.scalars(_MISSED_BY_OTHERS, {
        "linkedid": answered.linkedid, "extension": answered.extension}).all()
    for call in others:
        call.dismissed = True
    return [call.extension for call in others]


def _new_call(event: ev.CallEvent, at: dt.datetime) -> Call:
    region = current_app.config["PHONE_REGION"]
    operator_id = db.session.scalar(_OPERATOR, {"extension": event.extension})
    matches = contacts_with_number(event.number, region)
    return Call(linkedid=event.linkedid, extension=event.extension, operator_id=operator_id,
                direction=event.direction, external_number=event.number,
                external_e164=to_e164(event.number, region), caller_name=event.name,
                did=event.did, queue=event.queue, started_at=at, state=S.RINGING,
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
