"""The survey step's SQL: Core statements built once with bound parameters (the hot path)."""
from sqlalchemy import bindparam, delete, insert, select, update

from survey_app.extensions import db
from survey_app.models import (
    Account,
    Campaign,
    Contact,
    CustomerAnswer,
    CustomerSurvey,
    Questionnaire,
    SurveyEvent,
    SurveyStatus,
    User,
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

# the values of a question text's fields (scripts.fields.FIELDS), read only for a text that
# has fields: the contact's names, account and owner, the survey's operator, the campaign
_contacts, _owners, _operators = Contact.__table__, User.__table__.alias(), User.__table__.alias()
_questionnaires, _campaigns = Questionnaire.__table__, Campaign.__table__
FIELD_VALUES = (
    select(_contacts.c.first_name, _contacts.c.last_name, _contacts.c.full_name,
           Account.__table__.c.name.label("account"), _owners.c.full_name.label("owner"),
           _operators.c.full_name.label("operator"), _campaigns.c.name.label("campaign"))
    .select_from(surveys)
    .join(_contacts, _contacts.c.id == surveys.c.contact_id)
    .outerjoin(Account.__table__, Account.__table__.c.id == _contacts.c.account_id)
    .outerjoin(_owners, _owners.c.id == _contacts.c.owner_id)
    .join(_operators, _operators.c.id == surveys.c.operator_id)
    .join(_questionnaires, _questionnaires.c.id == surveys.c.questionnaire_id)
    .join(_campaigns, _campaigns.c.id == _questionnaires.c.campaign_id)
    .where(surveys.c.id == bindparam("survey")))


def run(statement, parameters: dict):
    """Execute on the session's connection and transaction, skipping the ORM layer."""
    return db.session.connection().execute(statement, parameters)
