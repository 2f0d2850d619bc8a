"""WTForms' own messages ("This field is required.") in the request's language."""
import functools

from babel import support
from flask_babel import get_locale
from wtforms.i18n import messages_path


def wtforms_translations() -> support.Translations:
    """WTForms' own messages in the request's language, read from disk once per language:
    Flask-WTF read the catalog file anew for every form."""
    return _catalog(str(get_locale()))


@functools.cache
def _catalog(language: str) -> support.Translations:
    return support.Translations.load(messages_path(), [language], domain="wtforms")
