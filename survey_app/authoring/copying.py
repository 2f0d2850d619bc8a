"""A copy of a version's questions, options and ways, for the draft of its next version (the
keys kept, so that results and the comparison line them up) or for a duplicate (new keys: it
is another questionnaire)."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from survey_app.extensions import db
from survey_app.models import AnswerOption, Question, Questionnaire, Transition
from survey_app.models.scripts import new_key

QUESTION_FIELDS = ("number", "text", "kind", "is_first", "is_last", "min_value", "max_value",
                   "allows_refusal", "branches")


def copy_graph(source: Questionnaire, target: Questionnaire, keep_keys: bool) -> None:
    """Copy source's graph into target (flushed, with no questions yet)."""
    questions = db.session.scalars(
        select(Question).where(Question.questionnaire_id == source.id)
        .options(selectinload(Question.options)).order_by(Question.number)).all()
    question_ids, option_ids = {}, {}
    for old in questions:
        new = Question(questionnaire_id=target.id, key=old.key if keep_keys else new_key(),
                       **{name: getattr(old, name) for name in QUESTION_FIELDS})
        new.options = [AnswerOption(key=o.key if keep_keys else new_key(), position=o.position,
                                    text=o.text) for o in old.options]
        db.session.add(new)
        question_ids[old.id] = new
        option_ids.update(zip((o.id for o in old.options), new.options, strict=True))
    db.session.flush()
    ways = db.session.scalars(select(Transition).where(Transition.questionnaire_id == source.id)
                              .order_by(Transition.id))
    for way in ways:
        option = option_ids.get(way.option_id)
        db.session.add(Transition(
            questionnaire_id=target.id, source_id=question_ids[way.source_id].id,
            target_id=question_ids[way.target_id].id, option_id=option.id if option else None,
            range_low=way.range_low, range_high=way.range_high))
    db.session.flush()
