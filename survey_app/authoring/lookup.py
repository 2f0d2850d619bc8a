"""The draft and question a route works on, from the ids in its address: an unknown or
tampered id is a 404, a published version a 409."""
from flask import abort
from flask_babel import lazy_gettext as _l

from survey_app.extensions import db
from survey_app.models import AnswerOption, Question, Questionnaire, QuestionnaireStatus

PUBLISHED = _l("This version is published and is never changed: use “Edit” to make a draft "
               "of the next version.")


def draft(questionnaire_id: int) -> Questionnaire:
    questionnaire = db.session.get(Questionnaire, questionnaire_id) or abort(404)
    if questionnaire.status != QuestionnaireStatus.DRAFT:
        abort(409, str(PUBLISHED))
    return questionnaire


def question_of(questionnaire: Questionnaire, question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.questionnaire_id != questionnaire.id:
        abort(404)
    return question


def option_of(question: Question, option_id: int) -> AnswerOption:
    option = db.session.get(AnswerOption, option_id)
    if option is None or option.question_id != question.id:
        abort(404)
    return option
