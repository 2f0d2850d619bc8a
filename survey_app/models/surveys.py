"""Customer surveys as run by operators: the path of answers and an audit of every step."""

import datetime as dt
import enum

from sqlalchemy import DateTime, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey_app.extensions import db
from survey_app.extensions import enum_values as _values
from survey_app.portable_sql import seconds_between


def utcnow() -> dt.datetime:
    """Naive UTC, the same on SQLite and PostgreSQL."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class SurveyStatus(enum.StrEnum):
    """A survey is open until it is completed or cancelled by its operator, or closed as
    abandoned once it was left in progress too long (SURVEY_STALE_HOURS)."""

    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    ABANDONED = "abandoned"


SCORES = range(1, 6)  # a supervisor's review: 1 (poor) to 5 (excellent)


class CustomerSurvey(db.Model):
    """One run of a questionnaire with a contact ("Опитування клієнта")."""

    __tablename__ = "customer_surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id"))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    operator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[SurveyStatus] = mapped_column(
        Enum(SurveyStatus, native_enum=False, length=20, values_callable=_values),
        default=SurveyStatus.IN_PROGRESS,
    )
    # how many answers of the path are confirmed; answers past it were stepped back over
    # and are kept only to preselect them when the operator comes forward again
    step: Mapped[int] = mapped_column(default=0)
    current_shown_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # the call the survey was taken in, when it was started from a call's pop
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id", ondelete="SET NULL"),
                                                index=True)
    # a supervisor's quality review: a score of 1 to 5 and a comment the operator reads
    review_score: Mapped[int | None]
    review_comment: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    contact = relationship("Contact")
    questionnaire = relationship("Questionnaire")
    campaign = relationship("Campaign")
    operator = relationship("User", foreign_keys=[operator_id])
    reviewed_by = relationship("User", foreign_keys=[reviewed_by_id])
    call = relationship("Call")
    answers = relationship(
        "CustomerAnswer",
        order_by="CustomerAnswer.position",
        back_populates="survey",
        cascade="all, delete-orphan",
    )

    # the contact's history, and the Surveys list: newest first, by operator or questionnaire;
    # open ones by their last step (the stale)
    __table_args__ = (Index("ix_customer_surveys_contact_started", "contact_id", "started_at"),
                      Index("ix_customer_surveys_operator_started", "operator_id", "started_at"),
                      Index("ix_customer_surveys_questionnaire_started", "questionnaire_id",
                            "started_at"),
                      Index("ix_customer_surveys_started", "started_at"),
                      Index("ix_customer_surveys_status_shown", "status", "current_shown_at"),
                      # the surveys a version's results still count live: finished since its
                      # watermark (models/tallies.py)
                      Index("ix_customer_surveys_questionnaire_finished", "questionnaire_id",
                            "finished_at"))

    @property
    def duration(self) -> dt.timedelta | None:
        """How long the survey took, once it is finished."""
        return self.finished_at - self.started_at if self.finished_at else None

    @property
    def confirmed_answers(self) -> list["CustomerAnswer"]:
        """The answers on the path, in order."""
        return [a for a in self.answers if a.position <= self.step]


# how long a finished survey took, in seconds (NULL while it is open), as SQL
HANDLE_SECONDS = seconds_between(CustomerSurvey.started_at, CustomerSurvey.finished_at)
# the Surveys list sorted by it, open surveys last either way: SQLite reads one index in
# both directions (its NULLs sort first, so last on the way down, and it skips to them on
# the way up); PostgreSQL keeps NULLs last in an index read forward, so longest first with
# them last needs an index of its own
Index("ix_customer_surveys_duration", HANDLE_SECONDS, CustomerSurvey.id)
Index("ix_customer_surveys_duration_longest", HANDLE_SECONDS.desc().nulls_last(),
      CustomerSurvey.id.desc()).ddl_if(dialect="postgresql")


class CustomerAnswer(db.Model):
    """An answer on a survey's path, with the question and answer text as the operator saw them."""

    __tablename__ = "customer_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("customer_surveys.id", ondelete="CASCADE"))
    position: Mapped[int]
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="SET NULL"))
    option_id: Mapped[int | None] = mapped_column(
        ForeignKey("answer_options.id", ondelete="SET NULL")
    )
    number_value: Mapped[int | None]
    text_value: Mapped[str | None] = mapped_column(Text)
    refused: Mapped[bool] = mapped_column(default=False)  # "Refused / don't know", key 0
    question_number: Mapped[int]
    question_text: Mapped[str] = mapped_column(Text)
    answer_text: Mapped[str] = mapped_column(Text)
    shown_at: Mapped[dt.datetime] = mapped_column(DateTime)
    answered_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    survey = relationship("CustomerSurvey", back_populates="answers")

    __table_args__ = (UniqueConstraint("survey_id", "position"),)

    @property
    def seconds(self) -> float:
        """Time from showing the question to recording the answer."""
        return (self.answered_at - self.shown_at).total_seconds()


class SurveyEvent(db.Model):
    """Audit trail: every start, answer, Back, resume, cancel and completion, with its time."""

    __tablename__ = "survey_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(
        ForeignKey("customer_surveys.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    position: Mapped[int]
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="SET NULL"))
    answer_text: Mapped[str | None] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
