"""Log in and log out."""
import functools
import secrets
from urllib.parse import urlsplit

from flask import flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from survey_app.auth import bp, throttling
from survey_app.auth.forms import LoginForm
from survey_app.extensions import db, login_manager
from survey_app.language import COOKIE, LANGUAGES
from survey_app.language.selection import remembered
from survey_app.models import User
from survey_app.models.surveys import utcnow

# built once: every request runs it (Session.get built and keyed its statement anew each time)
SESSION_USER = (select(User).options(joinedload(User.role_rows))
                .where(User.id == bindparam("user_id")))


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The session's user, while the session is still theirs: a disabled account or a new
    password (a new session key) ends every session opened before, at its next request."""
    user_id, _, key = session_id.partition(":")
    user = db.session.execute(SESSION_USER, {"user_id": int(user_id)}).unique() \
        .scalar_one_or_none() if user_id.isdigit() else None
    if user is None or not user.active or user.session_key != key:
        return None
    g.log_user = user.username  # for the request's log line, read now
    return user


@bp.route("/login", methods=["GET", "POST"])
@throttling.failed_logins_limited
def login():
    """Show the login form; on success go where the user was going."""
    if current_user.is_authenticated:
        return redirect(url_for("contacts.search"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.username == form.username.data.strip()))
        matches = _password_matches(user, form.password.data)
        if user and user.active and matches:
            _renew_session()
            login_user(user, remember=form.remember.data)
            user.last_login_at = utcnow()
            _adopt_language_choice(user)
            db.session.commit()
            return remembered(
                redirect(safe_next(request.args.get("next")), code=303), user.language)
        form.password.errors.append(_("Wrong username or password."))
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    """End the session, and the user's others: with sessions in signed cookies, a copy kept
    from before (a shared desk) would otherwise still log in. A new session key does it."""
    if current_user.is_authenticated:
        current_user.end_sessions()
        db.session.commit()
    session.clear()  # before logout_user, which marks the remember-me cookie for deletion
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"), code=303)


def _password_matches(user: User | None, password: str) -> bool:
    """Check the password; for an unknown name check a stand-in hash, so the answer takes
    as long and does not tell which names are accounts."""
    return check_password_hash(user.password_hash if user else _stand_in_hash(), password)


@functools.cache
def _stand_in_hash() -> str:
    return generate_password_hash(secrets.token_hex(16))


def _renew_session() -> None:
    """A new session at login: nothing of the session before (a planted cookie, the old CSRF
    token) carries over. The language choice is its own cookie and `next` is in the URL.
    Permanent, so it lasts PERMANENT_SESSION_LIFETIME after the last request (a shift)."""
    session.clear()
    session.permanent = True


def _adopt_language_choice(user: User) -> None:
    """A language chosen on the login page becomes the user's saved choice."""
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES and chosen != user.language:
        user.language = chosen


def safe_next(target: str | None) -> str:
    """Only follow a local path: never redirect a login to another site."""
    if target and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc:
        return target
    return url_for("contacts.search")
