"""A questionnaire as a JSON file (docs/questionnaire.schema.json): exported from any version,
imported as a new draft questionnaire or as the draft of the next version of one. Questions
and options keep their keys, so an import of an export gives the same file back."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from survey_app.authoring import file_check, versioning
from survey_app.extensions import db
from survey_app.models import (
    AnswerKind,
    AnswerOption,
    Question,
    Questionnaire,
    QuestionnaireStatus,
    Transition,
)

FORMAT, FORMAT_VERSION = "survey-app/questionnaire", 1


def export(questionnaire: Questionnaire) -> dict:
    questions = db.session.scalars(
        select(Question).where(Question.questionnaire_id == questionnaire.id)
        .options(selectinload(Question.options)).order_by(Question.number)).all()
    keys = {q.id: q.key for q in questions}
    options = {o.id: o.key for q in questions for o in q.options}
    ways: dict[int, list[dict]] = {}
    for t in db.session.scalars(select(Transition).where(
            Transition.questionnaire_id == questionnaire.id).order_by(Transition.id)):
        ways.setdefault(t.source_id, []).append(_way(t, keys, options))
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "name": questionnaire.name,
            "description": questionnaire.description or "",
            "questions": [_question(q, ways.get(q.id, [])) for q in questions]}


def _question(q: Question, ways: list[dict]) -> dict:
    shown = {"key": q.key, "number": q.number, "text": q.text, "kind": q.kind.value,
             "first": q.is_first, "last": q.is_last}
    if q.kind == AnswerKind.NUMBER:
        shown |= {"minimum": q.min_value, "maximum": q.max_value}
    shown |= {"allows_refusal": q.allows_refusal, "branches": q.branches}
    if q.kind == AnswerKind.CHOICE:
        shown["options"] = [{"key": o.key, "text": o.text} for o in q.options]
    return shown | {"ways_on": ways}


def _way(t: Transition, keys: dict, options: dict) -> dict:
    way = {"next": keys[t.target_id]}
    if t.option_id is not None:
        way["option"] = options[t.option_id]
    elif t.range_low is not None or t.range_high is not None:
        way["range"] = [t.range_low, t.range_high]
    return way


class Refused(Exception):
    """The import cannot go into the questionnaire chosen (archived, or a draft there)."""


def import_file(raw: bytes | str, campaign_id: int, into: Questionnaire | None = None,
                name: str | None = None) -> Questionnaire:
    """A new draft from the file (file_check.Refused if anything in it is wrong): a new
    questionnaire, or with `into` the draft of its next version. Flushed, not committed."""
    data = file_check.read(raw)
    if into is None:
        draft = Questionnaire(campaign_id=campaign_id, name=name or data["name"].strip(),
                              description=data.get("description", "").strip(),
                              status=QuestionnaireStatus.DRAFT)
    else:
        if into.status == QuestionnaireStatus.ARCHIVED:
            raise Refused("archived")
        if versioning.draft_of(into.key) is not None:
            raise Refused("draft")
        draft = Questionnaire(key=into.key, version=versioning.newest(into.key) + 1,
                              campaign_id=into.campaign_id, name=into.name,
                              description=data.get("description", "").strip(),
                              status=QuestionnaireStatus.DRAFT)
    db.session.add(draft)
    db.session.flush()
    _write(draft, data["questions"])
    return draft


def _write(draft: Questionnaire, questions: list[dict]) -> None:
    rows, options = {}, {}
    for q in questions:
        row = Question(questionnaire_id=draft.id, key=q["key"], number=q["number"],
                       text=q["text"], kind=AnswerKind(q["kind"]),
                       is_first=q.get("first", False), is_last=q.get("last", False),
                       min_value=q.get("minimum"), max_value=q.get("maximum"),
                       allows_refusal=q.get("allows_refusal", False),
                       branches=q.get("branches", False))
        row.options = [AnswerOption(key=o["key"], position=k, text=o["text"])
                       for k, o in enumerate(q.get("options", []))]
        db.session.add(row)
        rows[q["key"]] = row
        options.update({o.key: o for o in row.options})
    db.session.flush()
    for q in questions:
        for way in q.get("ways_on", []):
            low, high = way.get("range") or (None, None)
            option = options.get(way.get("option"))
            db.session.add(Transition(questionnaire_id=draft.id, source_id=rows[q["key"]].id,
                                      target_id=rows[way["next"]].id,
                                      option_id=option.id if option else None,
                                      range_low=low, range_high=high))
    db.session.flush()
