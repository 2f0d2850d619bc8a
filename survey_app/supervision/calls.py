"""The Calls section: every call with filters, the outcome figures, an operator's own day."""
import datetime as dt

from flask import render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from survey_app.extensions import db
from survey_app.formatting import day, day_start, local_today
from survey_app.models import Call, Role
from survey_app.models.surveys import utcnow
from survey_app.supervision import bp, call_figures, operators_for, sees_all
from survey_app.supervision.forms import CallFilterForm
from survey_app.telephony.calls.events import OUTCOMES

PAGE_SIZE = 50


@bp.get("/calls")
@login_required
def calls():
    """Filter by operator, direction, outcome and dates; operators see only their own calls."""
    form = filter_form()
    page = form.valid("page") or 1
    conditions = conditions_of(form)
    rows = db.session.scalars(
        select(Call).where(*conditions).order_by(Call.started_at.desc())
        .options(selectinload(Call.operator), selectinload(Call.contact),
                 selectinload(Call.surveys))
        .limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
    return render_template("supervision/calls.html", calls=rows[:PAGE_SIZE], form=form,
                           page=page, more=len(rows) > PAGE_SIZE, figures=figures(conditions),
                           totals=call_figures.totals(conditions),
                           operators=call_figures.per_operator(conditions) if sees_all() else [],
                           days=call_figures.per_day(conditions),
                           export_url=url_for("supervision.export_calls", **{
                               k: v for k, v in request.args.items() if k != "page"}),
                           today=my_day(), sees_all=sees_all(), page_url=_page_url,
                           date_example=day(utcnow().date()))


def filter_form() -> CallFilterForm:
    """The list's filters as asked for, checked; operators may filter only their own."""
    form = CallFilterForm(request.args, operators_for(Role.SUPERVISOR, Role.ADMIN))
    form.validate()
    return form


def _page_url(page: int) -> str:
    return url_for("supervision.calls", **(request.args.to_dict() | {"page": page}))


def conditions_of(form: CallFilterForm) -> list:
    operator = form.valid("operator") if sees_all() else current_user.id
    conditions = [Call.operator_id == operator] if operator else []
    for name, column in (("direction", Call.direction), ("outcome", Call.outcome)):
        if form.valid(name):
            conditions.append(column == form.valid(name))
    # whole days of the centre's time zone, as the list shows the times
    if form.valid("date_from"):
        conditions.append(Call.started_at >= day_start(form.date_from.data))
    if form.valid("date_to"):
        conditions.append(Call.started_at < day_start(form.date_to.data + dt.timedelta(days=1)))
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
    if not current_user.takes_calls:
        return None
    mine = [Call.operator_id == current_user.id, Call.started_at >= day_start(local_today())]
    return {"calls": db.session.scalar(select(func.count()).select_from(Call).where(*mine)),
            "average_talk": _average_talk(mine)}
