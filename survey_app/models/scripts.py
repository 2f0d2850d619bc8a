"""Survey scripts: campaigns, questionnaires, questions, answer options and transitions."""

import enum

from sqlalchemy import Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey_app.extensions import db
from survey_app.extensions import enum_values as _values
from survey_app.models.naming import SortedByName


class QuestionnaireStatus(enum.StrEnum):
    """Only published questionnaires can be started by operators."""

    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class AnswerKind(enum.StrEnum):
    """How the client's answer is recorded."""

    CHOICE = "choice"
    NUMBER = "number"
    TEXT = "text"


class Campaign(SortedByName, db.Model):
    """A marketing campaign, e.g. Conference "CRM Days"."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    active: Mapped[bool] = mapped_column(default=True)

    questionnaires = relationship(
        "Questionnaire", back_populates="campaign", order_by="Questionnaire.sort_name"
    )


class Questionnaire(SortedByName, db.Model):
    """A script of questions for one campaign ("Опитувальник")."""

    __tablename__ = "questionnaires"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[QuestionnaireStatus] = mapped_column(
        Enum(QuestionnaireStatus, native_enum=False, length=20, values_callable=_values),
        default=QuestionnaireStatus.DRAFT,
    )
    # bumped on every edit of the graph: the runner caches graphs by (id, version)
    version: Mapped[int] = mapped_column(default=1)

    campaign = relationship("Campaign", back_populates="questionnaires")
    questions = relationship(
        "Question",
        back_populates="questionnaire",
        order_by="Question.number",
        cascade="all, delete-orphan",
    )
    transitions = relationship("Transition", cascade="all, delete-orphan")

    __table_args__ = (UniqueConstraint("campaign_id", "name"),)


class Question(db.Model):
    """A question the operator reads out, with how its answer is recorded."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaires.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[AnswerKind] = mapped_column(
        Enum(AnswerKind, native_enum=False, length=20, values_callable=_values)
    )
    is_first: Mapped[bool] = mapped_column(default=False)
    is_last: Mapped[bool] = mapped_column(default=False)
    min_value: Mapped[int | None]
    max_value: Mapped[int | None]

    questionnaire = relationship("Questionnaire", back_populates="questions")
    options = relationship(
        "AnswerOption",
        back_populates="question",
        order_by="AnswerOption.position",
        cascade="all, delete-orphan",
    )

    __table_args__ = (UniqueConstraint("questionnaire_id", "number"),)


class AnswerOption(db.Model):
    """One of the answers a single-choice question offers ("Варіант відповіді")."""

    __tablename__ = "answer_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    text: Mapped[str] = mapped_column(String(500))

    question = relationship("Question", back_populates="options")


class Transition(db.Model):
    """From a question, on an option, a number range or any answer, go to another question."""

    __tablename__ = "transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaires.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    option_id: Mapped[int | None] = mapped_column(
        ForeignKey("answer_options.id", ondelete="CASCADE")
    )
    range_low: Mapped[int | None]
    range_high: Mapped[int | None]
