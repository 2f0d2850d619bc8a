"""Start, answer, go back, cancel and resume customer surveys; the path is stored as answers."""
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm.attributes import set_committed_value

from survey_app.extensions import db
from survey_app.models import (
    Contact,
    CustomerAnswer,
    CustomerSurvey,
    Questionnaire,
    QuestionnaireStatus,
    SurveyEvent,
    SurveyStatus,
    User,
)
from survey_app.models.surveys import utcnow
from survey_app.scripts import resolver
from survey_app.scripts.loading import graph_for
from survey_app.scripts.resolver import Answer, Graph, GraphError, InvalidAnswer, Question


class SurveyError(Exception):
    """A request the survey cannot take; `status` is the HTTP status to answer with."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Forbidden(SurveyError):
    status = 403


class Closed(SurveyError):
    """The survey is completed or cancelled: nothing more can be recorded."""

    status = 409


class Stale(SurveyError):
    """The step was already taken (double click, another tab): the current state is shown."""

    status = 409


class Invalid(SurveyError):
    status = 422


class Broken(SurveyError):
    """The questionnaire changed under the survey, or leads nowhere from this answer."""

    status = 409

    def __init__(self, problem: GraphError):
        super().__init__(f"This survey cannot go on: {problem} Cancel it (its answers are "
                         "kept) and tell the questionnaire's author.")


@dataclass
class Screen:
    """What the operator sees now: the question, its step and the answer to preselect."""

    survey: CustomerSurvey
    survey_id: int  # templates use this: reading survey.id after a commit would reload it
    question: Question
    step: int
    preselected: Answer | None


def start(contact: Contact, questionnaire: Questionnaire, operator: User) -> CustomerSurvey:
    """Open a survey, or return the one this operator left in progress with this contact."""
    if questionnaire.status != QuestionnaireStatus.PUBLISHED:
        raise Invalid("This questionnaire is not published; choose a published one.")
    if not questionnaire.campaign.active:
        raise Invalid("This campaign is not active any more.")
    try:
        graph_for(questionnaire).first()  # refuse a broken script before anything is stored
    except GraphError as problem:
        raise Invalid(str(problem)) from None
    existing = db.session.scalar(select(CustomerSurvey).where(
        CustomerSurvey.contact_id == contact.id, CustomerSurvey.operator_id == operator.id,
        CustomerSurvey.questionnaire_id == questionnaire.id,
        CustomerSurvey.status == SurveyStatus.IN_PROGRESS))
    if existing:
        return existing
    now = utcnow()
    survey = CustomerSurvey(contact=contact, questionnaire=questionnaire, operator=operator,
                            campaign_id=questionnaire.campaign_id, started_at=now,
                            current_shown_at=now, step=0, status=SurveyStatus.IN_PROGRESS)
    db.session.add(survey)
    db.session.flush()
    _event(survey, "started", 0, None, at=now)
    db.session.commit()
    return survey


def screen(survey: CustomerSurvey) -> Screen:
    """The current question of an open survey, with the earlier answer to preselect, if any."""
    graph = graph_for(survey.questionnaire)
    answers = survey.answers
    try:
        shown = resolver.path(graph, [_answer(a) for a in answers[:survey.step]])
    except GraphError as problem:
        raise Broken(problem) from None
    question = shown[-1]
    later = answers[survey.step] if len(answers) > survey.step else None
    preselected = _answer(later) if later and later.question_id == question.id else None
    return Screen(survey, survey.id, question, survey.step, preselected)


def answer(survey: CustomerSurvey, user: User, step: int, question_id: int,
           option_id: str | None, value: str | None) -> Screen | None:
    """Record the answer to the question at `step`; None when it completed the survey."""
    _check_open(survey, user)
    current = screen(survey)
    if step != survey.step or question_id != current.question.id:
        raise Stale("That question was already answered, perhaps in another tab or by a "
                    "double click. This is where the survey is now.")
    try:
        given = resolver.parse_answer(current.question, option_id, value)
    except InvalidAnswer as error:
        raise Invalid(str(error)) from None
    graph = graph_for(survey.questionnaire)
    try:
        following = resolver.next_question(graph, given)
    except GraphError as problem:
        raise Broken(problem) from None
    now, shown_at = utcnow(), survey.current_shown_at
    _advance(survey, step, step + 1, now)
    later = _store(survey, graph, current, given, shown_at, now)
    _event(survey, "answered", step + 1, current.question.id,
           resolver.answer_text(current.question, given), at=now)
    if following is None:
        _finish(survey, SurveyStatus.COMPLETED, now)
        db.session.commit()
        return None
    # the next screen is known now; built before the commit, it needs no reload after it
    upcoming = Screen(survey, survey.id, following, step + 1, later)
    db.session.commit()
    return upcoming


def back(survey: CustomerSurvey, user: User, step: int) -> Screen:
    """Show the previous question again, its answer preselected."""
    _check_open(survey, user)
    if step != survey.step or step == 0:
        raise Stale("The survey had already moved on; this is where it is now.")
    now = utcnow()
    _advance(survey, step, step - 1, now)
    current = screen(survey)
    _event(survey, "back", step, current.question.id, at=now)
    db.session.commit()
    return current


def cancel(survey: CustomerSurvey, user: User) -> None:
    """Close the survey as cancelled; the answers given so far are kept."""
    _check_open(survey, user)
    now = utcnow()
    _finish(survey, SurveyStatus.CANCELLED, now)
    db.session.commit()


def resume(survey: CustomerSurvey, user: User) -> None:
    """Note that the operator came back to a survey left open; its question is shown anew."""
    _check_open(survey, user)
    now = utcnow()
    survey.current_shown_at = now
    _event(survey, "resumed", survey.step, None, at=now)
    db.session.commit()


def _check_open(survey: CustomerSurvey, user: User) -> None:
    if survey.operator_id != user.id:
        raise Forbidden("This survey belongs to another operator.")
    if survey.status != SurveyStatus.IN_PROGRESS:
        raise Closed(f"This survey is already {survey.status.replace('_', ' ')}; "
                     "nothing more can be recorded.")


def _advance(survey: CustomerSurvey, old_step: int, new_step: int, now) -> None:
    """Move the step only if nobody else moved it first: the database arbitrates races."""
    moved = db.session.execute(
        update(CustomerSurvey)
        .where(CustomerSurvey.id == survey.id, CustomerSurvey.step == old_step,
               CustomerSurvey.status == SurveyStatus.IN_PROGRESS)
        .values(step=new_step, current_shown_at=now)
        .execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        db.session.rollback()
        raise Stale("The survey had already moved on; this is where it is now.")
    # already written by the UPDATE: set as committed so the flush does not write them again
    set_committed_value(survey, "step", new_step)
    set_committed_value(survey, "current_shown_at", now)


def _store(survey: CustomerSurvey, graph: Graph, current: Screen, given: Answer,
           shown_at, now) -> Answer | None:
    """Write the answer at its position and drop later answers that left the path.

    Returns the answer kept at the next position, to preselect on the next question.
    """
    position = current.step + 1
    text = resolver.answer_text(current.question, given)
    rows = {a.position: a for a in survey.answers}
    row = rows.get(position)
    if row is None or row.question_id != current.question.id:
        if row is not None:
            db.session.delete(row)
            db.session.flush()
        row = CustomerAnswer(survey=survey, position=position)
        db.session.add(row)
    row.question_id = current.question.id
    row.option_id, row.number_value, row.text_value = given.option_id, given.number, given.text
    row.question_number, row.question_text = current.question.number, current.question.text
    row.answer_text, row.shown_at, row.answered_at = text, shown_at, now
    kept_until = _prune_after(survey, graph, position, given, rows)
    return _answer(rows[position + 1]) if position + 1 <= kept_until else None


def _prune_after(survey, graph: Graph, position: int, given: Answer, rows: dict) -> int:
    """Keep later answers only while they still follow the path; the last position kept."""
    expected = resolver.next_question(graph, given)
    keep_until = position
    for later in sorted(p for p in rows if p > position):
        row = rows[later]
        if expected is None or row.question_id != expected.id:
            break
        keep_until = later
        expected = resolver.next_question(graph, _answer(row))
    if any(p > keep_until for p in rows):
        db.session.execute(delete(CustomerAnswer).where(
            CustomerAnswer.survey_id == survey.id, CustomerAnswer.position > keep_until))
        db.session.expire(survey, ["answers"])
    return keep_until


def _finish(survey: CustomerSurvey, status: SurveyStatus, now) -> None:
    db.session.execute(delete(CustomerAnswer).where(
        CustomerAnswer.survey_id == survey.id, CustomerAnswer.position > survey.step))
    survey.status, survey.finished_at = status, now
    _event(survey, status.value, survey.step, None, at=now)


def _event(survey: CustomerSurvey, kind: str, position: int, question_id: int | None,
           answer_text: str | None = None, *, at) -> None:
    db.session.add(SurveyEvent(survey_id=survey.id, kind=kind, position=position,
                               question_id=question_id, answer_text=answer_text, at=at))


def _answer(row: CustomerAnswer) -> Answer:
    return Answer(row.question_id, row.option_id, row.number_value, row.text_value)
