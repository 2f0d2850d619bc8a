"""Surveys left in progress: after SURVEY_STALE_HOURS without a step they are stale, and their
operator or a supervisor may close them as abandoned (or `flask surveys close-stale` closes
them all). An abandoned survey keeps the answers confirmed with Next and cannot be resumed;
starting the questionnaire again for the contact begins a new survey.

Every close is one guarded UPDATE (still in progress, still stale), so a step taken a moment
before the close wins and the survey stays open; the step's own UPDATE is guarded the same
way (statements.MOVE), so a close taken first refuses the step."""
import datetime as dt

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import DateTime, String, and_, delete, insert, literal, select, update

from survey_app.extensions import db
from survey_app.models import CustomerAnswer, CustomerSurvey, Role, SurveyEvent, SurveyStatus, User
from survey_app.models.surveys import utcnow
from survey_app.survey.refusals import Closed, Forbidden

surveys, answer_rows = CustomerSurvey.__table__, CustomerAnswer.__table__
BATCH = 1000  # surveys closed per statement by close_all: short transactions, few locks


def since() -> dt.datetime:
    """Surveys whose last step is older than this are stale."""
    return utcnow() - dt.timedelta(hours=current_app.config["SURVEY_STALE_HOURS"])


def is_stale(survey: CustomerSurvey) -> bool:
    return survey.status == SurveyStatus.IN_PROGRESS and survey.current_shown_at < since()


def stale_condition(cutoff: dt.datetime):
    """The SQL condition of a stale survey, for lists and counts."""
    return and_(surveys.c.status == SurveyStatus.IN_PROGRESS,
                surveys.c.current_shown_at < cutoff)


def may_close(survey: CustomerSurvey, user: User) -> bool:
    """Its operator, a supervisor or an admin may close a stale survey."""
    return survey.operator_id == user.id or user.has(Role.SUPERVISOR, Role.ADMIN)


def close(survey: CustomerSurvey, user: User) -> None:
    """Close one stale survey as abandoned; refused with the reason otherwise."""
    if not may_close(survey, user):
        raise Forbidden(_("Only its operator or a supervisor can close this survey."))
    if survey.status != SurveyStatus.IN_PROGRESS:
        raise Closed(_("This survey is not in progress any more; there is nothing to close."))
    if _close([survey.id], since()) != 1:  # also when a step came in since the page was read
        raise Closed(_("This survey was worked on less than %(hours)s hours ago; its operator "
                       "can still resume it.",
                       hours=current_app.config["SURVEY_STALE_HOURS"]))
    db.session.commit()


def close_all() -> int:
    """Close every stale survey as abandoned, a batch per transaction; how many."""
    cutoff, closed = since(), 0
    while True:
        ids = db.session.scalars(select(surveys.c.id).where(stale_condition(cutoff))
                                 .order_by(surveys.c.id).limit(BATCH)).all()
        if not ids:
            return closed
        closed += _close(ids, cutoff)
        db.session.commit()


def _close(ids: list[int], cutoff: dt.datetime) -> int:
    """Close those of `ids` still stale: status, finish time, an "abandoned" event each, and
    the answers stepped back over (not confirmed with Next) dropped, as a cancel drops them."""
    now = utcnow()
    closed = db.session.connection().execute(
        update(surveys).where(surveys.c.id.in_(ids), stale_condition(cutoff))
        .values(status=SurveyStatus.ABANDONED, finished_at=now)
        .returning(surveys.c.id)).scalars().all()
    if not closed:
        return 0
    db.session.execute(delete(answer_rows).where(
        answer_rows.c.survey_id.in_(closed),
        answer_rows.c.position > select(surveys.c.step).where(
            surveys.c.id == answer_rows.c.survey_id).scalar_subquery()))
    events = SurveyEvent.__table__
    db.session.execute(insert(events).from_select(
        ["survey_id", "kind", "position", "at"],
        select(surveys.c.id, literal(SurveyStatus.ABANDONED.value, String), surveys.c.step,
               literal(now, DateTime))
        .where(surveys.c.id.in_(closed))))
    return len(closed)
