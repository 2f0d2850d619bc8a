"""The Calls section: every call with filters, the outcome figures, an operator's own day."""
import datetime as dt

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from survey_app.extensions import db
from survey_app.formatting import day, parse_day
from survey_app.models import Call, Role, User
from survey_app.models.surveys import utcnow
from survey_app.telephony import bp
from survey_app.telephony.events import OUTCOMES

PAGE_SIZE = 50


@bp.get("/calls")
@login_required
def calls():
    """Filter by operator, direction, outcome and dates; operators see only their own calls."""
    filters = _filters()
    conditions = _conditions(filters)
    rows = db.session.scalars(
        select(Call).where(*conditions).order_by(Call.started_at.desc())
        .options(selectinload(Call.operator), selectinload(Call.contact),
                 selectinload(Call.surveys))
        .limit(PAGE_SIZE + 1).offset((filters["page"] - 1) * PAGE_SIZE)).all()
    operators = db.session.scalars(select(User).where(User.role == Role.OPERATOR)
                                   .order_by(User.sort_name)).all()
    return render_template("telephony/calls.html", calls=rows[:PAGE_SIZE],
                           more=len(rows) > PAGE_SIZE, filters=filters, operators=operators,
                           figures=figures(conditions), today=my_day(),
                           outcomes=OUTCOMES, sees_all=_sees_all(), page_url=_page_url,
                           date_example=day(utcnow().date()))


def _page_url(page: int) -> str:
    return url_for("telephony.calls", **(request.args.to_dict() | {"page": page}))


def _sees_all() -> bool:
    return current_user.role in (Role.SUPERVISOR, Role.ADMIN)


def _filters() -> dict:
    args = request.args
    filters = {"operator": args.get("operator", type=int) if _sees_all() else current_user.id,
               "direction": args.get("direction") if args.get("direction") in (
                   "inbound", "outbound") else None,
               "outcome": args.get("outcome") if args.get("outcome") in OUTCOMES else None,
               "page": max(args.get("page", 1, type=int), 1), "typed": {}, "errors": {}}
    for name in ("from", "to"):
        filters[f"date_{name}"] = _date(filters, name, args.get(name, "").strip()[:40])
    return filters


def _date(filters: dict, name: str, text: str) -> dt.date | None:
    """A filter's date as the page writes it; a mistyped one filters nothing and says so."""
    filters["typed"][name] = text
    if not text:
        return None
    try:
        date = parse_day(text)
    except ValueError:
        filters["errors"][name] = _("“%(text)s” is not a date: write it as %(example)s.",
                                    text=text, example=day(utcnow().date()))
        return None
    filters["typed"][name] = day(date)  # shown back the way the page writes dates
    return date


def _conditions(filters: dict) -> list:
    conditions = []
    if filters["operator"]:
        conditions.append(Call.operator_id == filters["operator"])
    if filters["direction"]:
        conditions.append(Call.direction == filters["direction"])
    if filters["outcome"]:
        conditions.append(Call.outcome == filters["outcome"])
    if filters["date_from"]:
        conditions.append(Call.started_at >= dt.datetime.combine(filters["date_from"], dt.time()))
    if filters["date_to"]:
        end = dt.datetime.combine(filters["date_to"] + dt.timedelta(days=1), dt.time())
        conditions.append(Call.started_at < end)
    return conditions


def figures(conditions: list) -> dict:
    """Calls by outcome with their share, and the average talk time, for these filters."""
    counts = dict(db.session.execute(
        select(Call.outcome, func.count()).where(*conditions).group_by(Call.outcome)).all())
    total = sum(counts.values())
    return {"total": total,
            "by_outcome": [(o, counts.get(o, 0), 100 * counts.get(o, 0) / total if total else 0)
                           for o in OUTCOMES if counts.get(o)],
            "in_progress": counts.get(None, 0),
            "average_talk": _average_talk(conditions)}


def _average_talk(conditions: list) -> float | None:
    return db.session.scalar(select(func.avg(Call.talk_seconds)).where(*conditions))


def my_day() -> dict | None:
    """The logged-in operator's calls today and average talk time (SEED: live own figures)."""
    if current_user.role != Role.OPERATOR:
        return None
    start = dt.datetime.combine(utcnow().date(), dt.time())
    mine = [Call.operator_id == current_user.id, Call.started_at >= start]
    return {"calls": db.session.scalar(select(func.count()).select_from(Call).where(*mine)),
            "average_talk": _average_talk(mine)}
