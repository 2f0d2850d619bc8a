"""The audit log: what admins and marketers did. An event is added to the session of the
change it records, so both are committed together or not at all."""
from survey_app.extensions import db
from survey_app.models import AuditAction, AuditEvent, User


def record(actor: User | None, action: AuditAction, subject: str,
           subject_user: User | None = None, **details) -> None:
    """Note an action; no actor means the command line."""
    db.session.add(AuditEvent(actor=actor, action=action, subject=subject[:200],
                              subject_user_id=subject_user.id if subject_user else None,
                              details=details))
