"""The survey step's SQL: Core statements built once with bound parameters (the hot path)."""
from sqlalchemy import bindparam, delete, insert, select, update

from survey_app.extensions import db
from survey_app.models import (
    CustomerAnswer,
    CustomerSurvey,
    Questionnaire,
    SurveyEvent,
    SurveyStatus,
)

surveys, answer_rows = CustomerSurvey.__table__, CustomerAnswer.__table__
STATE = (select(surveys.c.id, surveys.c.contact_id, surveys.c.operator_id,
                 surveys.c.questionnaire_id, Questionnaire.__table__.c.revision, surveys.c.status,
                 surveys.c.step, surveys.c.current_shown_at)
          .join(Questionnaire.__table__).where(surveys.c.id == bindparam("survey")))
ANSWERS = (select(answer_rows.c.id, answer_rows.c.position, answer_rows.c.question_id,
                   answer_rows.c.option_id, answer_rows.c.number_value,
                   answer_rows.c.text_value, answer_rows.c.refused)
            .where(answer_rows.c.survey_id == bindparam("survey"))
            .order_by(answer_rows.c.position))
MOVE = (update(surveys)
         .where(surveys.c.id == bindparam("survey"), surveys.c.step == bindparam("seen"),
                surveys.c.status == SurveyStatus.IN_PROGRESS)
         .values(step=bindparam("new_step"), current_shown_at=bindparam("now")))
SET_SURVEY = update(surveys).where(surveys.c.id == bindparam("survey"))
INSERT_ANSWER = insert(answer_rows)
UPDATE_ANSWER = update(answer_rows).where(answer_rows.c.id == bindparam("answer"))
DELETE_ANSWER = delete(answer_rows).where(answer_rows.c.id == bindparam("answer"))
DELETE_AFTER = delete(answer_rows).where(answer_rows.c.survey_id == bindparam("survey"),
                                           answer_rows.c.position > bindparam("after"))
INSERT_EVENT = insert(SurveyEvent.__table__)


def run(statement, parameters: dict):
    """Execute on the session's connection and transaction, skipping the ORM layer."""
    return db.session.connection().execute(statement, parameters)
