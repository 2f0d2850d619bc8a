"""What admins (in the app or with `flask users`) do to users, each change with its audit
event in the same transaction. Users are never deleted: history keeps who did what."""
from flask import current_app
from sqlalchemy import func, select, update

from survey_app import audit
from survey_app.extensions import db
from survey_app.models import AuditAction, Role, User
from survey_app.telephony.bus import ACCOUNT_CLOSED, account_topic


class LastAdmin(Exception):
    """The change would leave no active admin to manage users."""


class Stale(Exception):
    """The form was opened before another save of the same user."""


def create(actor: User | None, username: str, full_name: str, roles, password: str,
           extension: str | None = None) -> User:
    user = User(username=username, full_name=full_name, roles=roles, extension=extension)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, AuditAction.USER_CREATED, username, user,
                 roles=sorted(user.roles), extension=extension)
    return user


def change(actor: User | None, user: User, full_name: str, roles, extension: str | None,
           version: int) -> dict:
    """New display name, roles and extension, on the user as of `version` (else Stale); refused
    if the last admin would stop being one. Returns what changed besides the roles
    ({"extension": [old, new]}, ...)."""
    _claim(user, version)
    roles = {Role(role) for role in roles}
    before = user.roles
    if Role.ADMIN in before and Role.ADMIN not in roles:
        _keep_an_admin(user)
    changes = {name: [getattr(user, name), value] for name, value in
               (("full_name", full_name), ("extension", extension))
               if getattr(user, name) != value}
    user.full_name, user.extension, user.roles = full_name, extension, roles
    if changes:
        audit.record(actor, AuditAction.USER_CHANGED, user.username, user, **changes)
    if roles != before:
        audit.record(actor, AuditAction.ROLES_CHANGED, user.username, user,
                     before=sorted(before), after=sorted(roles))
    return changes


def _claim(user: User, version: int) -> None:
    """Count this save, if no other has come since `version`: one conditional UPDATE, so
    that of two admins saving at once, the second is refused whichever database it is."""
    claimed = db.session.execute(
        update(User).where(User.id == user.id, User.version == version)
        .values(version=User.version + 1)).rowcount
    if not claimed:
        raise Stale


def change_own_password(user: User, password: str) -> None:
    user.set_password(password)
    audit.record(user, AuditAction.PASSWORD_CHANGED, user.username, user)


def reset_password(actor: User | None, user: User, password: str) -> None:
    """A new password set by an admin: the user's open sessions and sockets end."""
    user.set_password(password)
    audit.record(actor, AuditAction.PASSWORD_RESET, user.username, user)


def disable(actor: User | None, user: User) -> None:
    """The user can no longer log in; their sessions end at their next request."""
    if user.has(Role.ADMIN):
        _keep_an_admin(user)
    user.active = False
    user.end_sessions()
    audit.record(actor, AuditAction.USER_DISABLED, user.username, user)


def enable(actor: User | None, user: User) -> None:
    user.active = True
    audit.record(actor, AuditAction.USER_ENABLED, user.username, user)


def close_sockets(user: User) -> None:
    """After the commit: the user's open pages stop receiving calls (a session ended)."""
    current_app.extensions["telephony"].bus.publish(account_topic(user.id), ACCOUNT_CLOSED)


def _keep_an_admin(user: User) -> None:
    others = db.session.scalar(select(func.count(User.id)).where(
        User.holding(Role.ADMIN), User.active.is_(True), User.id != user.id))
    if not others:
        raise LastAdmin
