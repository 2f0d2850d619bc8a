"""Which language a request is answered in: the user's saved choice, then the choice made
before logging in (a cookie), then the browser's Accept-Language, then DEFAULT_LANGUAGE."""
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import Babel, get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from survey_app.language import COOKIE, LANGUAGES
from survey_app.language.catalogs import DIRECTORY, ensure_compiled
from survey_app.language.client_text import client_text
from survey_app.language.forms import language_names

babel = Babel()
ONE_YEAR = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", app.config["DEFAULT_LANGUAGE"])
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", app.config["TIMEZONE"])
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(DIRECTORY))
    ensure_compiled(DIRECTORY)
    babel.init_app(app, locale_selector=language)
    _install_request_translations(app)
    # Chosen when the request starts, while the user loaded for it is fresh: chosen at the
    # first gettext, after a view's commit has expired that user, it cost one more SELECT.
    app.before_request(_choose_now)
    app.context_processor(_template_context)


def _install_request_translations(app: Flask) -> None:
    """The templates' gettext reads the request's catalog once, not per string: through
    Flask-Babel each of a page's 30-40 strings looked up the domain, the locale and the
    catalog anew (about 0.5 ms a page). The catalog is kept where Flask-Babel keeps its own
    (`babel_translations`), which force_locale empties and restores, so a pop rendered in
    another operator's language is still rendered in theirs."""
    def from_catalog(method: str):
        return lambda *args: getattr(request_translations(), method)(*args)
    app.jinja_env.install_gettext_callables(
        gettext=from_catalog("ugettext"), ngettext=from_catalog("ungettext"),
        pgettext=from_catalog("upgettext"), npgettext=from_catalog("unpgettext"),
        newstyle=True)
    # gettext itself, the most used, without Jinja's wrapper (see _template_gettext)
    app.jinja_env.globals.update(gettext=_template_gettext, _=_template_gettext)


@pass_context
def _template_gettext(__context, __string: str, /, **variables) -> str:
    """Jinja's newstyle gettext, less its cost for a text without placeholders: Jinja
    formatted every translation as Markup % {} (most of a page's 30 strings have none).
    Positional-only, so that a placeholder may be named `context` or `string`."""
    text = request_translations().ugettext(__string)
    if __context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables if variables or "%" in text else text


def request_translations():
    """The current request's catalog in its (possibly forced) language."""
    context = g.get("_flask_babel") if g else None
    if context is None:
        return get_translations()
    translations = getattr(context, "babel_translations", None)
    if translations is None:
        translations = context.babel_translations = get_translations()
    return translations


def _choose_now() -> None:
    get_locale()  # cached for the request by Flask-Babel


def _template_context() -> dict:
    locale = get_locale()  # as forced for a pop rendered for another operator
    return {"current_language": locale.language if locale else language(),
            "language_names": language_names(), "here": _here, "client_text": client_text}


def _here() -> str:
    """The page the switch is on, to come back to: a form shown again after a POST comes
    back as its empty GET; a POST-only address, to the contacts."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    rule = request.url_rule
    return request.path if rule is not None and "GET" in (rule.methods or ()) else ""


def language() -> str:
    """The language of the current request (or of the app's default outside one)."""
    if not has_request_context():
        return current_app.config["DEFAULT_LANGUAGE"]
    if current_user and current_user.is_authenticated and current_user.language in LANGUAGES:
        return current_user.language
    return browser_language()


def browser_language() -> str:
    """What this browser asks for, leaving any saved choice of the user aside."""
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or \
        current_app.config["DEFAULT_LANGUAGE"]


def remembered(response, choice: str):
    """The language kept in this browser too: the login page is in it, and so is the page
    that says the database is out of reach, where the user's saved choice cannot be read."""
    if choice in LANGUAGES:
        response.set_cookie(COOKIE, choice, max_age=ONE_YEAR, httponly=True, samesite="Lax",
                            secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response
