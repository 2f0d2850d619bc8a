"""The data model, one module per area; importing this registers every table."""

from survey_app.models.audit import AuditAction, AuditEvent
from survey_app.models.calls import Call
from survey_app.models.contacts import (
    Account,
    Address,
    AddressType,
    Anniversary,
    AnniversaryType,
    Contact,
    ContactPhone,
    ContactType,
    ContactWord,
    PhoneKind,
)
from survey_app.models.scripts import (
    AnswerKind,
    AnswerOption,
    Campaign,
    Question,
    Questionnaire,
    QuestionnaireStatus,
    Transition,
)
from survey_app.models.surveys import CustomerAnswer, CustomerSurvey, SurveyEvent, SurveyStatus
from survey_app.models.tallies import (
    AnswerTally,
    AnswerTimeTally,
    PathTally,
    ResultsWatermark,
    SurveyTally,
)
from survey_app.models.users import Role, User, UserRole

__all__ = [
    "Account",
    "AnswerTally",
    "AnswerTimeTally",
    "PathTally",
    "ResultsWatermark",
    "SurveyTally",
    "AuditAction",
    "AuditEvent",
    "Address",
    "AddressType",
    "Call",
    "Anniversary",
    "AnniversaryType",
    "AnswerKind",
    "AnswerOption",
    "Campaign",
    "Contact",
    "ContactPhone",
    "ContactWord",
    "ContactType",
    "CustomerAnswer",
    "CustomerSurvey",
    "PhoneKind",
    "Question",
    "Questionnaire",
    "QuestionnaireStatus",
    "Role",
    "SurveyEvent",
    "SurveyStatus",
    "Transition",
    "User",
    "UserRole",
]
