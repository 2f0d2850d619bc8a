"""One survey, reviewed: the path as it was asked (from the audit events: every answer with
its time, Back presses and answers changed on the way) and a supervisor's score and comment,
which the operator reads on their own survey."""
import datetime as dt
from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import RadioField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length

from survey_app.auth.roles import roles_required
from survey_app.extensions import db
from survey_app.forms import Form
from survey_app.models import CustomerSurvey, Question, Role, SurveyEvent, SurveyStatus
from survey_app.models.surveys import SCORES, utcnow
from survey_app.supervision import bp
from survey_app.survey import stale

REVIEWERS = (Role.SUPERVISOR, Role.ADMIN)
REVIEWERS_ONLY = _l("Only supervisors review surveys.")
CHOOSE_A_SCORE = _l("Choose a score from 1 to 5.")


def _score(value) -> int | None:
    """A posted score; None for anything but a whole number (the check then says why)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ReviewForm(Form):
    score = RadioField(_l("Score"), coerce=_score, choices=[str(s) for s in SCORES],
                       validate_choice=False,
                       validators=[InputRequired(CHOOSE_A_SCORE),
                                   AnyOf(SCORES, message=CHOOSE_A_SCORE)])
    comment = TextAreaField(_l("Comment for the operator"),
                            validators=[Length(max=2000)],
                            filters=[lambda text: (text or "").strip()])


@dataclass
class Step:
    """One line of the path as asked: what happened, when, on which question."""

    kind: str
    answer_position: int  # the answer's position on the path (an answer to step s is s + 1)
    at: dt.datetime
    elapsed: float  # seconds since the survey started
    question: str | None  # "3. Question text"
    answer: str | None
    changed_from: str | None = None  # an answer given before at this step, now replaced


def path_as_asked(survey: CustomerSurvey) -> list[Step]:
    """The survey's events in order, each with its question and, for an answer given again
    at the same step, the earlier answer it replaced."""
    events = db.session.execute(
        select(SurveyEvent.kind, SurveyEvent.position, SurveyEvent.question_id,
               SurveyEvent.answer_text, SurveyEvent.at)
        .where(SurveyEvent.survey_id == survey.id).order_by(SurveyEvent.at, SurveyEvent.id)).all()
    questions = _question_labels({e.question_id for e in events if e.question_id})
    answered: dict[int, str] = {}  # the last answer recorded at each step
    steps = []
    for event in events:
        changed = None
        if event.kind == "answered":
            earlier = answered.get(event.position)
            changed = earlier if earlier is not None and earlier != event.answer_text else None
            answered[event.position] = event.answer_text
        elapsed = (event.at - survey.started_at).total_seconds()
        steps.append(Step(event.kind, event.position, event.at, elapsed,
                          questions.get(event.question_id), event.answer_text, changed))
    return steps


def _question_labels(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {row.id: f"{row.number}. {row.text}" for row in db.session.execute(
        select(Question.id, Question.number, Question.text).where(Question.id.in_(ids)))}


def page(survey: CustomerSurvey, form: ReviewForm | None = None, can_cancel: bool = False):
    """The survey read-only: its facts, call, answers, path as asked, review and actions."""
    steps = path_as_asked(survey)
    reviewable = current_user.has(*REVIEWERS) and survey.status != SurveyStatus.IN_PROGRESS
    if reviewable and form is None:
        form = ReviewForm(formdata=None, score=survey.review_score,
                          comment=survey.review_comment or "")
    changes = {}  # step position -> the answers replaced there, for the answers table
    for step in steps:
        if step.changed_from is not None:
            changes.setdefault(step.answer_position, []).append(step.changed_from)
    return render_template("survey/review.html", survey=survey, can_cancel=can_cancel,
                           steps=steps, changes=changes,
                           back_presses=sum(step.kind == "back" for step in steps),
                           review_form=form if reviewable else None,
                           stale=stale.is_stale(survey),
                           can_close=stale.is_stale(survey) and stale.may_close(survey,
                                                                                current_user))


@bp.post("/surveys/<int:survey_id>/review")
@roles_required(*REVIEWERS, message=REVIEWERS_ONLY)
def review(survey_id: int):
    """Save the score and comment; the survey page shows them to its operator."""
    survey = (db.session.get(CustomerSurvey, survey_id)
              or abort(404, _("There is no such survey.")))
    if survey.status == SurveyStatus.IN_PROGRESS:
        abort(409, _("This survey is still in progress: review it once it is finished."))
    form = ReviewForm()
    if not form.validate_on_submit():
        return page(survey, form, can_cancel=False), 422
    survey.review_score, survey.review_comment = form.score.data, form.comment.data or None
    survey.reviewed_by_id, survey.reviewed_at = current_user.id, utcnow()
    db.session.commit()
    flash(_("Review saved. The operator sees it on this survey."), "success")
    return redirect(url_for("survey.show", survey_id=survey.id), code=303)
