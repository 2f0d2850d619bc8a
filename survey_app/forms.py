"""What every form of the app shares: the first error for a one-line answer, phone numbers,
dates as the page writes them."""
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import ValidationError

from survey_app.formatting import day, parse_day
from survey_app.language.form_messages import wtforms_translations
from survey_app.models.surveys import utcnow
from survey_app.phones import to_e164


def optional_int(value) -> int | None:
    """A select's coerce for an optional id: "" (and the rendered None) mean none chosen."""
    return int(value) if value not in (None, "", "None") else None


class Form(FlaskForm):
    """Every form of the app: WTForms' own messages come from a catalog read once per
    language (Flask-WTF read its file from disk for every request with a form)."""

    class Meta:
        def get_translations(self, form):
            return wtforms_translations()


class FilterForm(Form):
    """A list's filters: a GET form (a search changes nothing, so no CSRF), each field checked
    on its own: a bad one filters nothing and says why beside the others that still apply."""

    class Meta:
        csrf = False

    def valid(self, name: str):
        """A field's value when it is good, else None."""
        field = self[name]
        return None if field.errors or field.data in ("", None) else field.data

    def bad_filter(self, *ignored: str) -> bool:
        """Whether a filter (not a page or an order, nor the fields named) was refused: an
        export takes what the list shows, and a list left a bad filter out."""
        return any(errors and name not in ("page", "sort", *ignored)
                   for name, errors in self.errors.items())

    def validate(self, extra_validators=None) -> bool:
        """Each field's checks, and a range of days (date_from, date_to) in order."""
        good = super().validate(extra_validators)
        start, end = getattr(self, "date_from", None), getattr(self, "date_to", None)
        if start and end and start.data and end.data and start.data > end.data \
                and not end.errors:
            end.errors.append(_("The end of the range is before its start."))
            good = False
        return good


class ActionForm(Form):
    """A button's form: its refusal is one sentence in the toast, not errors by each field."""

    e164: str | None = None  # set by PhoneNumber

    def first_error(self) -> str:
        for errors in self.errors.values():
            if errors:
                return str(errors[0])
        return ""


class PhoneNumber:
    """A number in any common format (PHONE_REGION's national one too); keeps its E.164 on
    the form as `form.e164` (None for an empty optional field)."""

    def __init__(self, message=None):
        self.message = message or _l("“%(number)s” is not a valid phone number.")

    def __call__(self, form, field) -> None:
        form.e164 = to_e164(field.data, current_app.config["PHONE_REGION"])
        if field.data and form.e164 is None:
            raise ValidationError(self.message % {"number": field.data})


class DayField(StringField):
    """A date as the page writes it (31.05.2026 in Ukrainian, 31/05/2026 in English) or ISO;
    shown back the page's way."""

    def process_formdata(self, valuelist) -> None:
        self.typed = (valuelist[0] if valuelist else "").strip()[:40]
        self.data = None
        if self.typed:
            try:
                self.data = parse_day(self.typed)
            except ValueError:
                raise ValueError(_("“%(text)s” is not a date: write it as %(example)s.",
                                   text=self.typed, example=day(utcnow().date()))) from None

    def _value(self) -> str:
        return day(self.data) if self.data else getattr(self, "typed", "")
