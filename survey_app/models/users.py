"""Users of the app and their roles."""

import enum

from flask_login import UserMixin
from sqlalchemy import Enum, String, false, true
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from survey_app.extensions import db
from survey_app.extensions import enum_values as _values
from survey_app.models.naming import SortedByName


class Role(enum.StrEnum):
    """What a user may do: run surveys, review them, build scripts, or everything."""

    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    MARKETER = "marketer"
    ADMIN = "admin"


class User(UserMixin, SortedByName, db.Model):
    """A person who logs in; operators have a phone extension."""

    __tablename__ = "users"
    __sorted_by__ = "full_name"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, values_callable=_values)
    )
    extension: Mapped[str | None] = mapped_column(String(40), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    # "Call Centre parameters" of the CRM: telephony on/off, outgoing context, debug, state
    telephony_enabled: Mapped[bool] = mapped_column(default=True, server_default=true())
    outgoing_context: Mapped[str | None] = mapped_column(String(80))
    telephony_debug: Mapped[bool] = mapped_column(default=False, server_default=false())
    language: Mapped[str | None] = mapped_column(String(8))  # the saved choice; None: browser's
    agent_state: Mapped[str] = mapped_column(String(20), default="ready",
                                             server_default="ready")

    @property
    def takes_calls(self) -> bool:
        """Operators take calls: they have telephony settings, pops and call control."""
        return self.role == Role.OPERATOR

    @property
    def telephony_on(self) -> bool:
        """Has a phone extension and telephony switched on: gets pops, may call."""
        return bool(self.extension and self.telephony_enabled)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def set_password(self, password: str) -> None:
        """Store a salted hash, never the password."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """True when the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"
