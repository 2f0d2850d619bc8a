"""WTForms' own messages ("This field is required.") in the request's language."""
from babel import support
from flask_babel import get_locale
from wtforms.i18n import messages_path

_WTFORMS: dict[str, support.Translations] = {}


def wtforms_translations():
    """WTForms' own messages ("This field is required.") in the request's language, read
    from disk once per language: Flask-WTF read the catalog file anew for every form."""
    locale = get_locale()
    key = str(locale)
    if key not in _WTFORMS:
        _WTFORMS[key] = support.Translations.load(messages_path(), [locale], domain="wtforms")
    return _WTFORMS[key]
