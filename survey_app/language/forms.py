"""The language switch: a real form, so it works without JavaScript."""
import functools

from babel import Locale
from flask_babel import lazy_pgettext
from wtforms import HiddenField, SelectField
from wtforms.validators import InputRequired

from survey_app.forms import Form
from survey_app.language import LANGUAGES


@functools.cache
def language_names() -> list[tuple[str, str]]:
    """Each language named in itself (Українська, English), as switches usually are."""
    return [(code, Locale.parse(code).get_display_name(code).capitalize()) for code in LANGUAGES]


class LanguageForm(Form):
    """Which language to use; `next` is the page to come back to."""

    language = SelectField(lazy_pgettext("of the interface", "Language"), choices=language_names,
                           validators=[InputRequired()])
    next = HiddenField()
