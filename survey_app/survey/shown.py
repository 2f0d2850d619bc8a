"""A question as the operator reads it: the fields of its text filled with the survey's
contact, operator and campaign, and with the answers given before it on this path.

The text stays a plain string: the template's autoescape keeps contact data from injecting
markup. The filled question is also what the answer's snapshot stores.
"""
from collections.abc import Callable, Sequence
from dataclasses import replace

from flask_babel import gettext as _

from survey_app.language.findings import refused_answer
from survey_app.scripts import resolver
from survey_app.scripts.fields import FIELDS, fields_in, fill
from survey_app.scripts.resolver import Answer, Question
from survey_app.survey import statements as sql


def answer_text(question: Question, given: Answer) -> str:
    """The answer's text as shown, in the operator's language for a refusal."""
    return refused_answer() if given.refused else resolver.answer_text(question, given)


def answered(questions: Sequence[Question], answers: Sequence[Answer]) -> dict[int, str]:
    """The texts of the answers on the path, by the number of the question they answer."""
    return {q.number: answer_text(q, a) for q, a in zip(questions, answers, strict=False)}


def field_values(survey_id: int) -> dict[str, str]:
    """The values of the contact and call fields for this survey; a missing one is ""."""
    row = sql.run(sql.FIELD_VALUES, {"survey": survey_id}).first()
    return {name: value or "" for name, value in row._mapping.items()} if row else {}


def as_shown(question: Question, values: Callable[[], dict[str, str]],
             answers_by_number: dict[int, str]) -> Question:
    """The question with its text filled; the same question when its text has no fields.

    `values` is called only for a text that uses a contact or call field: most texts have
    none, and a step then reads nothing more from the database.
    """
    if "{" not in question.text:
        return question
    needs_values = any(name in FIELDS for name in fields_in(question.text))
    text = fill(question.text, values() if needs_values else {}, answers_by_number,
                unanswered)
    return question if text == question.text else replace(question, text=text)


def unanswered(number: int) -> str:
    """What {answer:N} reads as when question N was not asked on this path: visible, so the
    operator rephrases instead of reading out a sentence with a hole in it."""
    return _("[no answer to question %(number)s]", number=number)
