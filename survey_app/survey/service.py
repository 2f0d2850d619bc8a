"""Start, answer, go back, cancel and resume customer surveys; the path is stored as answers.

A step is the hot path of the app, so it reads and writes plain rows with SQLAlchemy Core
statements built once with bound parameters (one read of the survey, one of its answers, one
of the contact's field values only when a question text uses them, then at most four short
writes): building statements and loading ORM objects cost more than the database itself.
Pages use the ORM models as usual.
"""
import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from flask_babel import gettext as _
from sqlalchemy import select

from survey_app import floor_changes
from survey_app.extensions import db
from survey_app.language.findings import answer_refusal, graph_error
from survey_app.models import (
    Contact,
    CustomerSurvey,
    Questionnaire,
    QuestionnaireStatus,
    SurveyStatus,
    User,
)
from survey_app.models.surveys import utcnow
from survey_app.scripts import resolver
from survey_app.scripts.loading import graph_for
from survey_app.scripts.resolver import Answer, Graph, GraphError, InvalidAnswer, Question
from survey_app.survey import answers as stored
from survey_app.survey import shown as shown_text
from survey_app.survey import statements as sql
from survey_app.survey.refusals import (  # noqa: F401  (the routes catch them as service.*)
    Broken,
    Closed,
    Forbidden,
    Invalid,
    Stale,
    SurveyError,
)


@dataclass
class State:
    """What a step needs to know of a survey, read in one query."""

    id: int
    contact_id: int
    operator_id: int
    questionnaire_id: int
    revision: int
    status: SurveyStatus
    step: int
    current_shown_at: dt.datetime

    @cached_property
    def graph(self) -> Graph:  # a step asks for it several times: one cache lookup
        return graph_for(self.questionnaire_id, self.revision)

    @cached_property
    def field_values(self) -> dict[str, str]:  # one small query, only for a text with fields
        return shown_text.field_values(self.id)

    def as_shown(self, question: Question, answered: dict[int, str]) -> Question:
        """The question with its text's fields filled, as the operator reads it."""
        return shown_text.as_shown(question, lambda: self.field_values, answered)


@dataclass
class Screen:
    """What the operator sees now: the question (its text filled), its step (the questions
    answered before it), the answer to preselect, the fewest and most questions left with
    this one, and the texts of the answers before it by question number."""

    survey_id: int
    question: Question
    step: int
    preselected: Answer | None
    left: tuple[int, int] = (1, 1)
    answered: dict[int, str] = field(default_factory=dict, repr=False)

    @property
    def of(self) -> tuple[int, int]:
        """The survey's length on the current path: at least, at most."""
        return self.step + self.left[0], self.step + self.left[1]


def load(survey_id: int) -> State | None:
    """The survey's state, or None when there is no such survey."""
    row = sql.run(sql.STATE, {"survey": survey_id}).first()
    return State(*row) if row else None


def start(contact: Contact, questionnaire: Questionnaire, operator: User,
          call_id: int | None = None) -> int:
    """Open a survey, or return the one this operator left in progress with this contact."""
    if questionnaire.status != QuestionnaireStatus.PUBLISHED:
        raise Invalid(_("This questionnaire is not published; choose a published one."))
    if not questionnaire.campaign.active:
        raise Invalid(_("This campaign is not active any more."))
    try:  # refuse a broken script before anything is stored
        graph_for(questionnaire.id, questionnaire.revision).first()
    except GraphError as problem:
        raise Invalid(graph_error(problem)) from None
    existing = db.session.scalar(select(CustomerSurvey.id).where(
        CustomerSurvey.contact_id == contact.id, CustomerSurvey.operator_id == operator.id,
        CustomerSurvey.questionnaire_id == questionnaire.id,
        CustomerSurvey.status == SurveyStatus.IN_PROGRESS))
    if existing:
        return existing
    now = utcnow()
    survey = CustomerSurvey(contact=contact, questionnaire=questionnaire, operator=operator,
                            campaign_id=questionnaire.campaign_id, started_at=now,
                            current_shown_at=now, step=0, status=SurveyStatus.IN_PROGRESS,
                            call_id=call_id)
    db.session.add(survey)
    db.session.flush()
    # read before the commit expires them (else a SELECT more each)
    survey_id, operator_id = survey.id, operator.id
    stored.event(survey_id, "started", 0, None, at=now)
    db.session.commit()
    floor_changes.tell_here(user_ids=[operator_id])
    return survey_id


def screen(state: State) -> Screen:
    """The current question of an open survey, with the earlier answer to preselect, if any."""
    return _screen(state, stored.read(state.id))


def answer(state: State, user: User, step: int, question_id: int,
           option_id: str | None, value: str | None, refused: bool = False) -> Screen | None:
    """Record the answer to the question at `step`; None when it completed the survey."""
    _check_open(state, user)
    rows = stored.read(state.id)
    current = _screen(state, rows)
    if step != state.step or question_id != current.question.id:
        raise Stale(_("That question was already answered, perhaps in another tab or by a "
                      "double click. This is where the survey is now."))
    try:
        given = resolver.parse_answer(current.question, option_id, value, refused=refused)
        following = resolver.next_question(state.graph, given)
    except InvalidAnswer as error:
        raise Invalid(answer_refusal(error)) from None
    except GraphError as problem:
        raise Broken(problem) from None
    now, shown_at = utcnow(), state.current_shown_at
    text = shown_text.answer_text(current.question, given)
    _advance(state, step + 1, now)
    later = stored.store(state.id, state.graph, rows, state.step, current.question, given,
                         text, following, shown_at, now)
    stored.event(state.id, "answered", step + 1, current.question.id, text, at=now)
    if following is None:  # store() has dropped whatever stood after the last answer
        _finish(state, SurveyStatus.COMPLETED, now)
        _commit_and_tell_the_floor(user)
        return None
    db.session.commit()
    answered = current.answered | {current.question.number: text}
    return Screen(state.id, state.as_shown(following, answered), step + 1, later,
                  resolver.questions_left(state.graph, following.id), answered)


def back(state: State, user: User, step: int, option_id: str | None = None,
         value: str | None = None, refused: bool = False) -> Screen:
    """Show the previous question again, its answer preselected. What was typed or chosen
    on the question left is kept like any stepped-over answer (shown again on the way
    forward, after a reload too); it counts as an answer only once Next confirms it."""
    _check_open(state, user)
    if step != state.step or step == 0:
        raise Stale(_("The survey had already moved on; this is where it is now."))
    now, kept = utcnow(), None
    if option_id or refused or (value or "").strip():  # a plain Back reads the answers once
        rows = stored.read(state.id)
        kept = _keep_typed(state, rows, _screen(state, rows).question, option_id, value,
                           refused, now)
    _advance(state, step - 1, now)
    current = screen(state)
    stored.event(state.id, "back", step, current.question.id, kept, at=now)
    db.session.commit()
    return current


def _keep_typed(state: State, rows: list, question: Question, option_id: str | None,
                value: str | None, refused: bool, now: dt.datetime) -> str | None:
    """Store a valid answer left on the screen at its position; its text, or None."""
    try:
        given = resolver.parse_answer(question, option_id, value, refused=refused)
    except InvalidAnswer:  # half-typed or out of range: nothing worth keeping
        return None
    text = shown_text.answer_text(question, given)
    # the answer to the question at step s is kept at position s + 1 (as answer() stores it)
    stored.write(state.id, {r.position: r for r in rows}, state.step + 1, question, given,
                 text, state.current_shown_at, now)
    return text


def _commit_and_tell_the_floor(user: User) -> None:
    user_id = user.id  # read before the commit expires the user (else a SELECT more)
    db.session.commit()
    floor_changes.tell_here(user_ids=[user_id])


def cancel(state: State, user: User) -> None:
    """Close the survey as cancelled; the answers given so far are kept."""
    _check_open(state, user)
    stored.drop_after(state.id, state.step)  # only the answers confirmed with Next
    _finish(state, SurveyStatus.CANCELLED, utcnow())
    _commit_and_tell_the_floor(user)


def resume(state: State, user: User) -> None:
    """Note that the operator came back to a survey left open; its question is shown anew."""
    _check_open(state, user)
    now = utcnow()
    sql.run(sql.SET_SURVEY, {"survey": state.id, "current_shown_at": now})
    stored.event(state.id, "resumed", state.step, None, at=now)
    _commit_and_tell_the_floor(user)


def _check_open(state: State, user: User) -> None:
    if state.operator_id != user.id:
        raise Forbidden(_("This survey belongs to another operator."))
    if state.status == SurveyStatus.COMPLETED:
        raise Closed(_("This survey is already completed; nothing more can be recorded."))
    if state.status == SurveyStatus.ABANDONED:
        raise Closed(_("This survey was closed as abandoned; nothing more can be recorded. "
                       "Start the questionnaire again for a new survey."))
    if state.status != SurveyStatus.IN_PROGRESS:
        raise Closed(_("This survey is already cancelled; nothing more can be recorded."))


def _screen(state: State, rows: list) -> Screen:
    """The question at the survey's step, its text filled from the answers before it."""
    answers = [stored.as_answer(r) for r in rows[:state.step]]
    try:
        shown = resolver.path(state.graph, answers)
    except GraphError as problem:
        raise Broken(problem) from None
    question = shown[-1]
    later = rows[state.step] if len(rows) > state.step else None
    preselected = stored.as_answer(later) if later and later.question_id == question.id else None
    answered = shown_text.answered(shown, answers)  # shown[i] is what answers[i] answers
    return Screen(state.id, state.as_shown(question, answered), state.step, preselected,
                  resolver.questions_left(state.graph, question.id), answered)


def _advance(state: State, new_step: int, now: dt.datetime) -> None:
    """Move the step only if nobody else moved it first: the database arbitrates races."""
    moved = sql.run(sql.MOVE, {"survey": state.id, "seen": state.step, "new_step": new_step,
                         "now": now})
    if moved.rowcount != 1:
        db.session.rollback()
        raise Stale(_("The survey had already moved on; this is where it is now."))
    state.step, state.current_shown_at = new_step, now


def _finish(state: State, status: SurveyStatus, now: dt.datetime) -> None:
    sql.run(sql.SET_SURVEY, {"survey": state.id, "status": status, "finished_at": now})
    state.status = status
    stored.event(state.id, status.value, state.step, None, at=now)
