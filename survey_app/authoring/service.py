"""What marketers do to scripts, in the database: campaigns, questionnaires and their drafts.

A published version is never changed (see models/scripts.py): every edit goes to a draft and
counts one revision of it (graphs are cached by revision). A question's form is claimed with a
conditional UPDATE of the question's own revision, so that of two marketers saving the same
question from the same revision, the second is refused, whichever database it is.
"""
from sqlalchemy import func, select, update

from survey_app.extensions import db
from survey_app.models import (
    AnswerKind,
    Campaign,
    Question,
    Questionnaire,
    QuestionnaireStatus,
    Transition,
)


class Stale(Exception):
    """The form was opened before another save of the same draft."""


class NotDraft(Exception):
    """Only a draft is edited; a published version is changed through a new draft."""


def name_taken(campaign_id: int | None, name: str, key: str | None = None) -> bool:
    """Whether another questionnaire of the campaign (any version of it) has this name."""
    if campaign_id is None:
        return False
    other = select(Questionnaire.id).where(
        Questionnaire.campaign_id == campaign_id, Questionnaire.name == name)
    if key is not None:
        other = other.where(Questionnaire.key != key)
    return db.session.scalar(other.limit(1)) is not None


def create_campaign(name: str) -> Campaign:
    campaign = Campaign(name=name.strip())
    db.session.add(campaign)
    db.session.flush()
    return campaign


def create_questionnaire(campaign_id: int, name: str, description: str) -> Questionnaire:
    """Version 1, a draft with no questions yet."""
    questionnaire = Questionnaire(campaign_id=campaign_id, name=name.strip(),
                                  description=description.strip(),
                                  status=QuestionnaireStatus.DRAFT)
    db.session.add(questionnaire)
    db.session.flush()
    return questionnaire


def touch(draft: Questionnaire) -> None:
    """Count one edit of the draft (its cached graph is then stale); NotDraft if published."""
    changed = db.session.execute(
        update(Questionnaire).where(Questionnaire.id == draft.id,
                                    Questionnaire.status == QuestionnaireStatus.DRAFT)
        .values(revision=Questionnaire.revision + 1)).rowcount
    if not changed:
        raise NotDraft


def claim(question: Question, revision: int) -> None:
    """Count one save of the question's form opened at `revision`, else Stale."""
    claimed = db.session.execute(
        update(Question).where(Question.id == question.id, Question.revision == revision)
        .values(revision=Question.revision + 1)).rowcount
    if not claimed:
        raise Stale


def latest_versions():
    """A statement of the newest version of each questionnaire that is not archived."""
    newest = (select(Questionnaire.key, func.max(Questionnaire.version).label("version"))
              .group_by(Questionnaire.key).subquery())
    return (select(Questionnaire)
            .join(newest, (Questionnaire.key == newest.c.key)
                  & (Questionnaire.version == newest.c.version)))


def next_number(questionnaire: Questionnaire) -> int:
    """The number a new question gets: after the last one."""
    highest = db.session.scalar(select(func.max(Question.number)).where(
        Question.questionnaire_id == questionnaire.id))
    return (highest or 0) + 1


def save_question(draft: Questionnaire, question: Question | None, form) -> Question:
    """The question as typed in the form, with its first way in; a new one goes last."""
    if question is None:
        question = Question(questionnaire_id=draft.id, number=next_number(draft))
        db.session.add(question)
    number = form.kind.data == AnswerKind.NUMBER
    question.text = form.text.data.strip()
    question.kind = AnswerKind(form.kind.data)
    question.min_value = form.min_value.data if number else None
    question.max_value = form.max_value.data if number else None
    for name in ("is_first", "is_last", "branches", "allows_refusal"):
        setattr(question, name, bool(getattr(form, name).data))
    db.session.flush()
    _set_way_in(draft, question, form.first_way, form.way_in())
    return question


def _set_way_in(draft: Questionnaire, question: Question, existing: Transition | None,
                way: dict | None) -> None:
    if way is None:
        if existing is not None:
            db.session.delete(existing)
        return
    if existing is None:
        db.session.add(Transition(questionnaire_id=draft.id, target_id=question.id, **way))
        return
    for name, value in way.items():
        setattr(existing, name, value)
