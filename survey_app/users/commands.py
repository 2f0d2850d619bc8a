"""`flask users`: create, list, disable, enable and set-password, for a fresh installation
without the demo seed. Input goes through the same forms as the Users pages; a refusal
prints the field's message and exits with status 1, changing nothing."""
import click
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from survey_app import floor_changes
from survey_app.cli import speaking
from survey_app.extensions import db
from survey_app.language.words import roles_label
from survey_app.models import User
from survey_app.users import management
from survey_app.users.forms import NewUserForm, PasswordResetForm

NO_CSRF = {"csrf": False}  # the command line is no browser: nothing to forge


@click.group("users")
def users() -> None:
    """Users of the app: create, list, disable, enable, set a password."""


@users.command("create")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True,
              help="operator, supervisor, marketer or admin; repeat for several.")
@click.option("--name", "full_name", help="The display name (default: the username).")
@click.option("--extension", default="", help="The phone extension of an operator.")
@click.password_option(help="Asked for when not given.")
@speaking
def create(username: str, roles: tuple[str, ...], full_name: str | None, extension: str,
           password: str) -> None:
    """Create a user, e.g. the first admin: flask users create admin --role admin."""
    form = NewUserForm(meta=NO_CSRF, formdata=MultiDict(
        [("username", username), ("full_name", full_name or username),
         ("extension", extension), ("password", password), ("password_again", password)]
        + [("roles", role) for role in roles]))
    _refuse_unless(form.validate(), form)
    user = management.create(None, username.strip(), form.full_name.data, form.roles.data,
                             password, form.extension.data or None)
    db.session.commit()
    floor_changes.tell_roster_here()
    click.echo(_("User %(username)s created (%(roles)s).", username=user.username,
                 roles=roles_label(user.roles)))


@users.command("list")
@speaking
def list_users() -> None:
    """Every user: username, display name, roles, extension, and whether disabled."""
    for user in db.session.scalars(select(User).options(selectinload(User.role_rows))
                                   .order_by(User.username)):
        status = "" if user.active else " " + _("(disabled)")
        extension = f" · {user.extension}" if user.extension else ""
        click.echo(f"{user.username}\t{user.full_name}\t{roles_label(user.roles)}"
                   f"{extension}{status}")


@users.command("disable")
@click.argument("username")
@speaking
def disable(username: str) -> None:
    """Disable a user: they cannot log in and their sessions end; their history stays."""
    user = _named(username)
    try:
        management.disable(None, user)
    except management.LastAdmin:
        raise click.ClickException(_("%(username)s is the last active admin: make another "
                                     "user an admin first.", username=user.username)) from None
    db.session.commit()
    floor_changes.tell_roster_here()
    management.close_sockets(user)
    click.echo(_("User %(username)s disabled.", username=user.username))


@users.command("enable")
@click.argument("username")
@speaking
def enable(username: str) -> None:
    """Let a disabled user log in again."""
    user = _named(username)
    management.enable(None, user)
    db.session.commit()
    floor_changes.tell_roster_here()
    click.echo(_("User %(username)s enabled.", username=user.username))


@users.command("set-password")
@click.argument("username")
@click.password_option(help="Asked for when not given.")
@speaking
def set_password(username: str, password: str) -> None:
    """Set a user's password (e.g. a forgotten admin's); their sessions end."""
    user = _named(username)
    form = PasswordResetForm(user.username, meta=NO_CSRF, formdata=MultiDict(
        [("password", password), ("password_again", password)]))
    _refuse_unless(form.validate(), form)
    management.reset_password(None, user, password)
    db.session.commit()
    management.close_sockets(user)
    click.echo(_("New password set for %(username)s.", username=user.username))


def _named(username: str) -> User:
    user = db.session.scalars(select(User).where(
        func.lower(User.username) == username.strip().lower())).first()
    if user is None:
        raise click.ClickException(_("There is no user %(username)s.", username=username))
    return user


def _refuse_unless(valid: bool, form) -> None:
    if not valid:
        lines = [f"{form[name].label.text}: {error}" for name, errors in form.errors.items()
                 for error in errors]
        raise click.ClickException("\n".join(lines))
