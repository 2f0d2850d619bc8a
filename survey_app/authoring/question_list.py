"""A draft's list of questions: delete one (refused while a way to another question starts
from it or stored answers use it), move one up or down, renumber them 1, 2, 3... A question's number
is what texts refer to ({answer:2}), so renumbering rewrites those references too."""
from flask import flash, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from survey_app.authoring import bp, lookup, service
from survey_app.authoring.access import authors_only
from survey_app.authoring.questionnaires import page
from survey_app.extensions import db
from survey_app.htmx import go
from survey_app.models import CustomerAnswer, Question, Questionnaire, Transition
from survey_app.scripts.fields import renumbered


@bp.post("/questionnaires/<int:questionnaire_id>/questions/<int:question_id>/delete")
@authors_only
def delete_question(questionnaire_id: int, question_id: int):
    draft = lookup.draft(questionnaire_id)
    question = lookup.question_of(draft, question_id)
    bridge = request.form.get("bridge") == "1" and _bridge(question)
    reason = _in_use(question, bridged=bool(bridge))
    if reason:
        flash(reason, "warning")
        return _back(draft, 409, bridge_offer=question if _bridge(question) else None)
    service.touch(draft)
    if bridge:  # the ways into it lead on to where it led
        db.session.execute(update(Transition).where(Transition.target_id == question.id,
                                                    Transition.source_id != question.id)
                           .values(target_id=bridge))
    db.session.delete(question)
    db.session.commit()
    flash(_("Question %(number)s deleted.", number=question.number), "success")
    return _back(draft)


@bp.post("/questionnaires/<int:questionnaire_id>/questions/<int:question_id>/move")
@authors_only
def move_question(questionnaire_id: int, question_id: int):
    draft = lookup.draft(questionnaire_id)
    question = lookup.question_of(draft, question_id)
    questions = _questions(draft)
    at = questions.index(question)
    to = at - 1 if request.form.get("direction") == "up" else at + 1
    if 0 <= to < len(questions):
        service.touch(draft)
        questions[at], questions[to] = questions[to], questions[at]
        _number(questions, [q.number for q in sorted(questions, key=lambda q: q.number)])
        db.session.commit()
    return _back(draft)


@bp.post("/questionnaires/<int:questionnaire_id>/renumber")
@authors_only
def renumber(questionnaire_id: int):
    draft = lookup.draft(questionnaire_id)
    service.touch(draft)
    questions = _questions(draft)
    _number(questions, list(range(1, len(questions) + 1)))
    db.session.commit()
    flash(_("Questions renumbered 1 to %(count)s.", count=len(questions)), "success")
    return _back(draft)


def _bridge(question: Question) -> int | None:
    """The one question it leads to whatever the answer, if that is its only way on: then
    deleting it can join the gap, the ways into it leading there instead."""
    targets = db.session.execute(select(Transition.target_id, Transition.option_id,
                                        Transition.range_low, Transition.range_high).where(
        Transition.source_id == question.id, Transition.target_id != question.id)).all()
    if question.branches or len(targets) != 1 or any(v is not None for v in targets[0][1:]):
        return None
    return targets[0][0]


def _in_use(question: Question, bridged: bool = False) -> str | None:
    """Why the question cannot be deleted, or None. Its own ways in go with it (its form
    sets them); a question whose way in comes from it would be left without one, unless
    the gap is joined (`bridged`)."""
    following = [] if bridged else db.session.scalars(select(Question.number).join(
        Transition, Transition.target_id == Question.id).where(
        Transition.source_id == question.id, Transition.target_id != question.id)
        .order_by(Question.number)).all()
    if following:
        return _("Question %(number)s cannot be deleted: the way to question %(targets)s "
                 "starts from it. Change the previous question there first.",
                 number=question.number, targets=", ".join(map(str, dict.fromkeys(following))))
    answered = db.session.scalar(select(func.count()).where(
        CustomerAnswer.question_id == question.id))
    if answered:
        return _("Question %(number)s cannot be deleted: %(count)s stored answers use it.",
                 number=question.number, count=answered)
    return None


def _questions(draft: Questionnaire) -> list[Question]:
    return list(db.session.scalars(select(Question).where(
        Question.questionnaire_id == draft.id).order_by(Question.number)))


def _number(questions: list[Question], numbers: list[int]) -> None:
    """Give questions[i] numbers[i], and rewrite {answer:N} for the numbers that changed.
    Through negative numbers first: the (questionnaire, number) pair is unique at each step."""
    moved = {q.number: n for q, n in zip(questions, numbers, strict=True) if q.number != n}
    if not moved:
        return
    for q in questions:
        if q.number in moved:
            db.session.execute(update(Question).where(Question.id == q.id)
                               .values(number=-q.id))
    for q, n in zip(questions, numbers, strict=True):
        q.number = n
        q.text = renumbered(q.text, moved)
    db.session.flush()


def _back(draft: Questionnaire, status: int = 303, **shown):
    if status != 303:
        return page(draft, status, **shown)
    return go(url_for("authoring.questionnaire", questionnaire_id=draft.id))
