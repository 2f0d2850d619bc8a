"""The Calls section's figures for its filters: calls counted once each whatever rang (by
the PBX's Linkedid), answered and missed; the operators' legs by outcome; average talk time
and ring time before the answer; a row per operator (their own legs) and per day.

Days are the centre's (TIMEZONE): the database groups calls by the hour in UTC, which both
databases can, and the hours fold into local days here (24 groups a day at most)."""
import datetime as dt
from collections import Counter, defaultdict
from typing import NamedTuple
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


def _missed(calls):
    """1 for an inbound call that ended with no leg answered."""
    return case(((calls.c.direction == Direction.INBOUND.value) & (calls.c.answered == 0)
                 & (calls.c.ended == 1), 1), else_=0)


def totals(conditions: list) -> dict:
    calls = _per_call(conditions)
    count, answered, missed, queue_wait = db.session.execute(
        select(func.count(), func.sum(calls.c.answered), func.sum(_missed(calls)),
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


class Day(NamedTuple):
    day: dt.date
    calls: int
    answered: int
    missed: int
    average_talk: float | None  # of the legs talked
    average_ring: float | None  # of the legs answered
    average_queue_wait: float | None  # of the queue calls


def per_day(conditions: list) -> list[Day]:
    """A row per day that had calls, newest first, of the DAYS_SHOWN days up to the newest
    call's: calls counted once each (answered, missed, the wait in a queue) and the legs'
    talk and ring."""
    newest = db.session.scalar(select(func.max(Call.started_at)).where(*conditions))
    if newest is None:
        return []
    conditions = [*conditions, Call.started_at >= newest - dt.timedelta(days=DAYS_SHOWN)]
    days: dict[dt.date, Counter] = defaultdict(Counter)
    calls = _per_call(conditions)
    hour = hour_of(calls.c.started_at)
    for at, *sums in db.session.execute(
            select(hour, func.count(), func.sum(calls.c.answered), func.sum(_missed(calls)),
                   func.sum(calls.c.queue_wait), func.count(calls.c.queue_wait))
            .group_by(hour)):
        _add(days, at, ("calls", "answered", "missed", "waited", "waits"), sums)
    ring, hour = seconds_between(Call.started_at, Call.answered_at), hour_of(Call.started_at)
    for at, *sums in db.session.execute(
            select(hour, func.sum(Call.talk_seconds), func.count(Call.talk_seconds),
                   func.sum(ring), func.count(ring)).where(*conditions).group_by(hour)):
        _add(days, at, ("talked", "talks", "rung", "rings"), sums)
    return [Day(day, d["calls"], d["answered"], d["missed"], _mean(d, "talked", "talks"),
                _mean(d, "rung", "rings"), _mean(d, "waited", "waits"))
            for day, d in sorted(days.items(), reverse=True)[:DAYS_SHOWN]]


def _add(days: dict, hour: str, names: tuple, sums: list) -> None:
    """Fold an hour's sums (UTC, "YYYY-MM-DD HH") into its day in the centre's time zone."""
    moment = dt.datetime.strptime(hour, "%Y-%m-%d %H").replace(tzinfo=dt.UTC)
    local = moment.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()
    days[local].update({name: value or 0 for name, value in zip(names, sums, strict=True)})


def _mean(day: Counter, total: str, count: str) -> float | None:
    return day[total] / day[count] if day[count] else None
