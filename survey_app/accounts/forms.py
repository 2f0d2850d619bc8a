"""A user's own settings."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import BooleanField, StringField
from wtforms.validators import Length, Optional, Regexp, ValidationError

from survey_app.extensions import db
from survey_app.forms import Form
from survey_app.models import User

EXTENSION = Regexp(r"^[0-9A-Za-z_.-]+$", message=_l("Letters, digits, dot, dash or underscore "
                                                    "only."))


def check_extension_free(extension: str | None, user_id: int | None) -> None:
    """Refuse an extension someone else has, naming that person."""
    taken = extension and db.session.scalar(select(User.full_name).where(
        User.extension == extension, User.id != user_id))
    if taken:
        raise ValidationError(_("Extension %(extension)s is already taken by %(user)s.",
                                extension=extension, user=taken))


class TelephonySettingsForm(Form):
    """For line PJSIP/305 the extension is "305"."""

    extension = StringField(_l("Extension"), validators=[Optional(), Length(max=40), EXTENSION])
    outgoing_context = StringField(_l("Outgoing context"), validators=[
        Optional(), Length(max=80),
        Regexp(r"^[0-9A-Za-z_-]+$", message=_l("A dialplan context name, e.g. from-crm."))])
    telephony_enabled = BooleanField(_l("Telephony on"))
    telephony_debug = BooleanField(_l("Debug (raw events in the browser console)"))

    def validate_extension(self, field) -> None:
        check_extension_free(field.data, current_user.id)
