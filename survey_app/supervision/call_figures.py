"""The Calls section's figures for its filters: calls counted once each whatever rang (by
the PBX's Linkedid), answered and missed; the operators' legs by outcome; average talk time
and ring time before the answer; a row per operator (their own legs) and per day.

Days are the centre's (TIMEZONE): the database groups calls by the hour in UTC, which both
databases can, and the hours fold into local days here (24 groups a day at most)."""
import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import case, func, or_, select

from survey_app.extensions import db
from survey_app.models import Call, User
from survey_app.portable_sql import hour_of, seconds_between
from survey_app.telephony.calls.events import Direction, Outcome

DAYS_SHOWN = 31


def _per_call(conditions: list):
    """A row per call: its direction, first start, whether any leg was answered, whether
    all of them ended."""
    answered = func.max(case((or_(Call.answered_at.is_not(None),
                                  Call.outcome == Outcome.ANSWERED), 1), else_=0))
    ended = func.min(case((Call.ended_at.is_not(None), 1), else_=0))
    return (select(Call.linkedid, func.max(Call.direction).label("direction"),
                   func.min(Call.started_at).label("started_at"),
                   answered.label("answered"), ended.label("ended"),
                   func.max(Call.queue_wait_seconds).label("queue_wait"))
            .where(*conditions).group_by(Call.linkedid).subquery())


def _ring():
    return func.avg(seconds_between(Call.started_at, Call.answered_at))


def totals(conditions: list) -> dict:
    calls = _per_call(conditions)
    missed = case(((calls.c.direction == Direction.INBOUND.value) & (calls.c.answered == 0)
                   & (calls.c.ended == 1), 1), else_=0)
    count, answered, missed, queue_wait = db.session.execute(
        select(func.count(), func.sum(calls.c.answered), func.sum(missed),
               func.avg(calls.c.queue_wait))).one()
    ring = db.session.scalar(select(_ring()).where(*conditions))
    return {"calls": count, "answered": answered or 0, "missed": missed or 0,
            "average_ring": ring, "average_queue_wait": queue_wait}


def per_operator(conditions: list) -> list[tuple]:
    """[(name, legs, answered, unanswered, average talk, average ring, average queue wait
    of the queue calls they took)], by name."""
    return db.session.execute(
        select(User.full_name, func.count(),
               func.sum(case((Call.outcome == Outcome.ANSWERED, 1), else_=0)),
               func.sum(case((Call.outcome == Outcome.NO_ANSWER, 1), else_=0)),
               func.avg(Call.talk_seconds), _ring(), func.avg(Call.queue_wait_seconds))
        .join(User, User.id == Call.operator_id).where(*conditions)
        .group_by(User.id, User.full_name, User.sort_name).order_by(User.sort_name)).all()


def per_day(conditions: list) -> list[tuple[dt.date, int, int]]:
    """[(day, calls, answered, average queue wait)], newest first, the last DAYS_SHOWN days
    that had calls."""
    calls = _per_call(conditions)
    hour = hour_of(calls.c.started_at)
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    days: dict[dt.date, Counter] = {}
    for at, count, answered, waited, waits in db.session.execute(
            select(hour, func.count(), func.sum(calls.c.answered), func.sum(calls.c.queue_wait),
                   func.count(calls.c.queue_wait)).group_by(hour)):
        moment = dt.datetime.strptime(at, "%Y-%m-%d %H").replace(tzinfo=dt.UTC)
        day = days.setdefault(moment.astimezone(zone).date(), Counter())
        day.update(calls=count, answered=answered or 0, waited=waited or 0, waits=waits)
    newest = sorted(days, reverse=True)[:DAYS_SHOWN]
    return [(day, days[day]["calls"], days[day]["answered"],
             days[day]["waited"] / days[day]["waits"] if days[day]["waits"] else None)
            for day in newest]
