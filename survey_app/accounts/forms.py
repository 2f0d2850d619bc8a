"""A user's own settings."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, StringField
from wtforms.validators import Length, Optional, Regexp, ValidationError

from survey_app.extensions import db
from survey_app.models import User


class TelephonySettingsForm(FlaskForm):
    """For line PJSIP/305 the extension is "305"."""

    extension = StringField(_l("Extension"), validators=[Optional(), Length(max=40), Regexp(
        r"^[0-9A-Za-z_.-]+$", message=_l("Letters, digits, dot, dash or underscore only."))])
    outgoing_context = StringField(_l("Outgoing context"), validators=[
        Optional(), Length(max=80),
        Regexp(r"^[0-9A-Za-z_-]+$", message=_l("A dialplan context name, e.g. from-crm."))])
    telephony_enabled = BooleanField(_l("Telephony on"))
    telephony_debug = BooleanField(_l("Debug (raw events in the browser console)"))

    def validate_extension(self, field) -> None:
        taken = db.session.scalar(select(User.full_name).where(
            User.extension == field.data, User.id != current_user.id))
        if field.data and taken:
            raise ValidationError(_("Extension %(extension)s is already taken by %(user)s.",
                                    extension=field.data, user=taken))
