"""The new-contact form, prefilled with the caller's number from a pop."""
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from survey_app.language.words import CONTACT_TYPES
from survey_app.phones import to_e164


class ContactForm(FlaskForm):
    """A contact with one phone; the rest of the card is filled in later."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    account = StringField(_l("Account"), validators=[Optional(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[DataRequired(), Length(max=60)])
    email = EmailField(_l("Email"), validators=[
        Optional(), Length(max=200),
        Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("This is not an email address."))])
    contact_type = SelectField(_l("Type"), choices=lambda: list(CONTACT_TYPES.items()))

    def validate_phone(self, field) -> None:
        self.e164 = to_e164(field.data, current_app.config["PHONE_REGION"])  # stored with it
        if self.e164 is None:
            raise ValidationError(_l("This is not a valid phone number."))
