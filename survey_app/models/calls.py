"""Calls made or received through the integration: the Calls section and the pop's state."""
import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey_app.extensions import db, fixed_list
from survey_app.telephony.calls.events import CallState, Direction, Outcome


class Call(db.Model):
    """One operator's part of a call (a queue call that rang two operators is two rows)."""

    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    linkedid: Mapped[str] = mapped_column(String(40))  # Asterisk's Linkedid: one per call
    extension: Mapped[str] = mapped_column(String(40))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    direction: Mapped[Direction] = mapped_column(fixed_list(Direction, 10))
    external_number: Mapped[str | None] = mapped_column(String(60))
    external_e164: Mapped[str | None] = mapped_column(String(20))
    caller_name: Mapped[str | None] = mapped_column(String(200))
    did: Mapped[str | None] = mapped_column(String(40))
    queue: Mapped[str | None] = mapped_column(String(80))
    # set only when the number matches exactly one contact: never a silent pick of several
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"),
                                                   index=True)
    state: Mapped[CallState] = mapped_column(fixed_list(CallState), default=CallState.RINGING)
    channel: Mapped[str | None] = mapped_column(String(120))
    peer_channel: Mapped[str | None] = mapped_column(String(120))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # kept beside the times so reports can average it in SQL on any database
    talk_seconds: Mapped[int | None]
    # a queue call: how long the caller waited in the queue (AgentConnect's HoldTime)
    queue_wait_seconds: Mapped[int | None]
    outcome: Mapped[Outcome | None] = mapped_column(fixed_list(Outcome), index=True)
    cause: Mapped[str | None] = mapped_column(String(80))
    dismissed: Mapped[bool] = mapped_column(default=False)  # the pop was closed by the operator
    # while the caller waits in a parking lot: the space the operator's "Take back" dials
    parking_space: Mapped[str | None] = mapped_column(String(20))

    operator = relationship("User")
    contact = relationship("Contact")
    surveys = relationship("CustomerSurvey", viewonly=True, order_by="CustomerSurvey.id")

    __table_args__ = (
        UniqueConstraint("linkedid", "extension"),
        # the pops: an operator's newest calls, read on every call event and socket connect
        Index("ix_calls_extension_started_at", "extension", "started_at"),
    )

    @property
    def talk_time(self) -> dt.timedelta | None:
        if self.answered_at and self.ended_at:
            return self.ended_at - self.answered_at
        return None
