"""Survey scripts: campaigns, questionnaires, questions, answer options and transitions.

A questionnaires row is one version of a questionnaire, a whole graph of its own: the runner,
its cache, surveys and results point at the version they ran, and a published version is never
changed. The versions of one questionnaire share its `key`; a question or option keeps its
`key` from version to version (copied with the draft), so results line up across versions.
"""

import datetime as dt
import enum
import uuid

from sqlalchemy import DateTime, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey_app.extensions import db
from survey_app.extensions import enum_values as _values
from survey_app.models.naming import SortedByName


def new_key() -> str:
    """A key that stays with a questionnaire, question or option across versions."""
    return uuid.uuid4().hex


class QuestionnaireStatus(enum.StrEnum):
    """Only the published version can be started by operators; a questionnaire has at most
    one published version and one draft; publishing a draft supersedes the published one."""

    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"
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
    """One version of a script of questions for one campaign ("Опитувальник")."""

    __tablename__ = "questionnaires"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32), default=new_key)
    version: Mapped[int] = mapped_column(default=1)  # 1, 2, 3... within the key
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[QuestionnaireStatus] = mapped_column(
        Enum(QuestionnaireStatus, native_enum=False, length=20, values_callable=_values),
        default=QuestionnaireStatus.DRAFT,
    )
    # bumped on every edit of a draft's graph: graphs are cached by (id, revision), and a
    # marketer's form opened on an older revision is stale
    revision: Mapped[int] = mapped_column(default=1)
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    campaign = relationship("Campaign", back_populates="questionnaires")
    published_by = relationship("User")
    questions = relationship(
        "Question",
        back_populates="questionnaire",
        order_by="Question.number",
        cascade="all, delete-orphan",
    )
    transitions = relationship("Transition", cascade="all, delete-orphan")

    __table_args__ = (UniqueConstraint("key", "version"),)


class Question(db.Model):
    """A question the operator reads out, with how its answer is recorded."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaires.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(32), default=new_key)
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[AnswerKind] = mapped_column(
        Enum(AnswerKind, native_enum=False, length=20, values_callable=_values)
    )
    is_first: Mapped[bool] = mapped_column(default=False)
    is_last: Mapped[bool] = mapped_column(default=False)
    min_value: Mapped[int | None]
    max_value: Mapped[int | None]
    allows_refusal: Mapped[bool] = mapped_column(default=False)  # "Refused / don't know"
    # "Next question depends on the answer": the ways out are per option or number range
    # (and may have an "any other answer" way); otherwise one way out, whatever the answer
    branches: Mapped[bool] = mapped_column(default=False)
    revision: Mapped[int] = mapped_column(default=1)  # saves of its form: a stale one is refused

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
    key: Mapped[str] = mapped_column(String(32), default=new_key)
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
