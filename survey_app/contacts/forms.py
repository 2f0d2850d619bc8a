"""The new-contact form, prefilled with the caller's number from a pop."""
from flask import current_app
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from survey_app.contacts.phones import to_e164


class ContactForm(FlaskForm):
    """A contact with one phone; the rest of the card is filled in later."""

    full_name = StringField("Full name", validators=[DataRequired(), Length(max=200)])
    account = StringField("Account", validators=[Optional(), Length(max=200)])
    phone = StringField("Phone", validators=[DataRequired(), Length(max=60)])
    email = EmailField("Email", validators=[
        Optional(), Length(max=200),
        Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="This is not an email address.")])
    contact_type = SelectField("Type", choices=["Client", "Partner", "Employee"])

    def validate_phone(self, field) -> None:
        self.e164 = to_e164(field.data, current_app.config["PHONE_REGION"])  # stored with it
        if self.e164 is None:
            raise ValidationError("This is not a valid phone number.")
