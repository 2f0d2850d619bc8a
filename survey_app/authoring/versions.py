"""A questionnaire's versions: who published which when, and a comparison of two of them
(questions added, removed and changed, ways added and removed), lined up by keys."""
from flask import abort, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from survey_app.authoring import bp, versioning
from survey_app.authoring.access import readers
from survey_app.extensions import db
from survey_app.language.findings import span
from survey_app.models import Question, Questionnaire, Transition
from survey_app.scripts.comparison import FIELDS, Side, Way, compare

LABELS = {"text": _l("Question text"), "kind": _l("Answer kind"), "min_value": _l("Minimum"),
          "max_value": _l("Maximum"), "is_first": _l("First question"),
          "is_last": _l("Last question"),
          "allows_refusal": _l("The client may refuse or not know (key 0)"),
          "branches": _l("Next question depends on the answer"), "number": _l("Number")}


@bp.get("/questionnaires/<int:questionnaire_id>/versions")
@readers
def versions(questionnaire_id: int):
    shown = db.session.get(Questionnaire, questionnaire_id) or abort(404)
    listed = versioning.versions(shown.key)
    by_id = {v.id: v for v in listed}
    new = by_id.get(request.args.get("new", type=int), shown)
    older = [v for v in listed if v.version < new.version]
    old = by_id.get(request.args.get("old", type=int), older[0] if older else None)
    comparison = None
    if old is not None and old.id != new.id:
        comparison = _compare(old, new)
    return render_template("authoring/versions.html", questionnaire=shown, versions=listed,
                           old=old, new=new, comparison=comparison,
                           labels=LABELS)


def _compare(old: Questionnaire, new: Questionnaire):
    (old_sides, old_ways), (new_sides, new_ways) = _sides(old), _sides(new)
    comparison = compare(old_sides, new_sides, old_ways, new_ways)
    comparison.questions = {s.key: s for s in old_sides} | {s.key: s for s in new_sides}
    comparison.words = {way: _answer(way, comparison.questions)
                        for way in comparison.ways_added + comparison.ways_removed}
    return comparison


def _sides(version: Questionnaire) -> tuple[list[Side], set[Way]]:
    questions = db.session.scalars(
        select(Question).where(Question.questionnaire_id == version.id)
        .options(selectinload(Question.options)).order_by(Question.number)).all()
    keys = {q.id: q.key for q in questions}
    options = {o.id: o.key for q in questions for o in q.options}
    sides = [Side(q.key, q.number, {name: _value(getattr(q, name)) for name in FIELDS},
                  {o.key: o.text for o in q.options}) for q in questions]
    ways = {Way(keys[t.source_id], keys[t.target_id], options.get(t.option_id), t.range_low,
                t.range_high)
            for t in db.session.scalars(select(Transition).where(
                Transition.questionnaire_id == version.id))}
    return sides, ways


def _value(value):
    return getattr(value, "value", value)


def _answer(way: Way, questions: dict[str, Side]) -> str | None:
    """The answer a way is taken on, as the marketer typed it; None for any (other) answer."""
    if way.option is not None:
        return questions[way.source].options.get(way.option, "?")
    if way.low is not None or way.high is not None:
        return span((way.low, way.high))
    return None
