"""The admin's user forms and everyone's own password form."""
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from wtforms import (
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    widgets,
)
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from survey_app.accounts.forms import EXTENSION, check_extension_free
from survey_app.extensions import db
from survey_app.forms import Form
from survey_app.language.words import AUDIT_ACTIONS, ROLES
from survey_app.models import AuditAction, Role, User
from survey_app.passwords import Weakness, weakness

WEAKNESSES = {Weakness.TOO_SHORT: _l("At least %(count)s characters."),
              Weakness.COMMON: _l("This is one of the most common passwords: choose another."),
              Weakness.USERNAME: _l("The password may not be the username.")}


class Checkboxes(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class StrongPassword:
    """Long enough, not a common password, not the username (read from `username_of`)."""

    def __init__(self, username_of=lambda form: ""):
        self.username_of = username_of

    def __call__(self, form, field) -> None:
        minimum = current_app.config["PASSWORD_MIN_LENGTH"]
        found = weakness(field.data or "", self.username_of(form), minimum)
        if found:
            raise ValidationError(str(WEAKNESSES[found]) % {"count": minimum})


class UserForm(Form):
    """Display name, roles, and an extension for those who take calls."""

    full_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=200)])
    roles = Checkboxes(_l("Roles"), choices=lambda: [(r.value, ROLES[r.value]) for r in Role],
                       validators=[InputRequired(_l("Choose at least one role."))])
    extension = StringField(_l("Extension"), validators=[Optional(), Length(max=40), EXTENSION])
    user_id: int | None = None  # the user edited; None for a new one
    version = HiddenField()  # the user's version the form was opened on (not on "New user")

    def validate_extension(self, field) -> None:
        if field.data and Role.OPERATOR.value not in (self.roles.data or []):
            raise ValidationError(_("Only a user who takes calls (an operator) has an "
                                    "extension."))
        check_extension_free(field.data, self.user_id)


class NewUserForm(UserForm):
    username = StringField(_l("Username"), validators=[
        DataRequired(), Length(max=80),
        Regexp(r"^[A-Za-z0-9_.@-]+$", message=_l("Latin letters, digits, dot, dash, "
                                                 "underscore or @ only."))])
    password = PasswordField(_l("Password"), validators=[
        DataRequired(), StrongPassword(lambda form: form.username.data or "")])
    password_again = PasswordField(_l("Password again"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])

    def validate_username(self, field) -> None:
        if db.session.scalar(select(User.id).where(
                func.lower(User.username) == field.data.strip().lower())):
            raise ValidationError(_("The username %(username)s is taken.",
                                    username=field.data.strip()))


class PasswordResetForm(Form):
    """An admin sets a new password for a user."""

    password = PasswordField(_l("New password"), validators=[DataRequired()])
    password_again = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])

    def __init__(self, username: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.password.validators = [DataRequired(), StrongPassword(lambda _form: username)]


class OwnPasswordForm(PasswordResetForm):
    """Any user changes their own password, knowing the current one."""

    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])

    def __init__(self, user: User, *args, **kwargs):
        super().__init__(user.username, *args, **kwargs)
        self.user = user

    def validate_current_password(self, field) -> None:
        if not self.user.check_password(field.data or ""):
            raise ValidationError(_("This is not your current password."))


class AuditFilterForm(Form):
    class Meta:
        csrf = False  # a GET form: reading changes nothing

    action = SelectField(_l("Action"), default="", choices=lambda: [("", _("Any"))] + [
        (a.value, AUDIT_ACTIONS[a.value]) for a in AuditAction])
    page = IntegerField(default=1, validators=[Optional(), NumberRange(min=1)])
