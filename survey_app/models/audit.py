"""What admins and marketers did: who, when, what, kept for the admins to read."""
import datetime as dt
import enum

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey_app.extensions import db, fixed_list
from survey_app.models.surveys import utcnow


class AuditAction(enum.StrEnum):
    USER_CREATED = "user_created"
    USER_CHANGED = "user_changed"        # display name or extension
    ROLES_CHANGED = "roles_changed"
    PASSWORD_RESET = "password_reset"    # by an admin or `flask users set-password`
    PASSWORD_CHANGED = "password_changed"  # by the user themselves
    USER_DISABLED = "user_disabled"
    USER_ENABLED = "user_enabled"
    CONTACTS_MERGED = "contacts_merged"
    QUESTIONNAIRE_PUBLISHED = "questionnaire_published"
    QUESTIONNAIRE_ARCHIVED = "questionnaire_archived"
    QUESTIONNAIRE_IMPORTED = "questionnaire_imported"


class AuditEvent(db.Model):
    """One action; `subject` names what it was done to as it was named then (a username,
    a contact, a questionnaire), `details` holds what changed (e.g. the roles before and
    after). No actor: the command line."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[AuditAction] = mapped_column(fixed_list(AuditAction, length=40), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    subject_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    actor = relationship("User", foreign_keys=[actor_id], lazy="joined")
