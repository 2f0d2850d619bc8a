"""Users of the app and their roles (a user may hold several)."""

import datetime as dt
import enum
import secrets
from collections.abc import Iterable

from flask_login import UserMixin
from sqlalchemy import DateTime, ForeignKey, String, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from survey_app.extensions import db, fixed_list
from survey_app.models.naming import SortedByName


class Role(enum.StrEnum):
    """What a user may do: run surveys, review them, build scripts, or everything."""

    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    MARKETER = "marketer"
    ADMIN = "admin"


def _new_session_key() -> str:
    return secrets.token_hex(8)


class UserRole(db.Model):
    """One role a user holds."""

    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    role: Mapped[Role] = mapped_column(fixed_list(Role), primary_key=True, index=True)


class User(UserMixin, SortedByName, db.Model):
    """A person who logs in; operators have a phone extension."""

    __tablename__ = "users"
    __sorted_by__ = "full_name"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256))
    # the logged-in user's are loaded with the user, in one statement (auth.routes.load_user)
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan",
                                                     order_by=UserRole.role)
    # part of the id kept in sessions: a new key (password set, user disabled) ends them all
    session_key: Mapped[str] = mapped_column(String(32), default=_new_session_key)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    extension: Mapped[str | None] = mapped_column(String(40), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    # "Call Centre parameters" of the CRM: telephony on/off, outgoing context, debug, state
    telephony_enabled: Mapped[bool] = mapped_column(default=True, server_default=true())
    outgoing_context: Mapped[str | None] = mapped_column(String(80))
    telephony_debug: Mapped[bool] = mapped_column(default=False, server_default=false())
    language: Mapped[str | None] = mapped_column(String(8))  # the saved choice; None: browser's
    agent_state: Mapped[str] = mapped_column(String(20), default="ready",
                                             server_default="ready")
    agent_state_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # when it was set
    # presence, for the floor: a page of the app open (its socket beats every few seconds);
    # online_since is cleared once no page has beaten for a minute (telephony/presence.py)
    page_seen_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    online_since: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # counts the admins' saves of name, roles and extension: a form opened before the last
    # save is refused (users.management.change); logins and passwords do not count
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(row.role for row in self.role_rows)

    @roles.setter
    def roles(self, roles: Iterable[Role]) -> None:
        wanted = {Role(role) for role in roles}
        self.role_rows = [row for row in self.role_rows if row.role in wanted] + [
            UserRole(role=role) for role in sorted(wanted - self.roles)]

    def has(self, *roles: Role) -> bool:
        """Holds at least one of these roles."""
        return any(row.role in roles for row in self.role_rows)

    @classmethod
    def holding(cls, role: Role):
        """SQL: the users who hold this role."""
        return cls.role_rows.any(UserRole.role == role)

    @property
    def takes_calls(self) -> bool:
        """Operators take calls: they have telephony settings, pops and call control."""
        return self.has(Role.OPERATOR)

    @property
    def telephony_on(self) -> bool:
        """Has a phone extension and telephony switched on: gets pops, may call."""
        return bool(self.extension and self.telephony_enabled)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        """What the session keeps: the id and the session key, so that a changed key (a new
        password, a disabled account) ends every session opened before."""
        return f"{self.id}:{self.session_key}"

    def end_sessions(self) -> None:
        self.session_key = _new_session_key()

    def set_password(self, password: str) -> None:
        """Store a salted hash, never the password; sessions opened before end."""
        self.password_hash = generate_password_hash(password)
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        """True when the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.username} {','.join(sorted(self.roles))}>"
