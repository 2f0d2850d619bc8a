"""Error pages: a whole page for a browser, a short message for htmx to show in a toast."""
from flask import Flask, current_app, g, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from survey_app.extensions import db
from survey_app.language.selection import browser_language

# What SQLite says when it cannot write (the disk full, the file or its folder read-only) or,
# in WAL mode, cannot even open the file beside it that readers share.
CANNOT_WRITE = ("database or disk is full", "readonly database", "disk i/o error",
                "unable to open database file")
RETRY_AFTER_SECONDS = 5

MESSAGES = {
    400: _l("The request could not be understood."),
    401: _l("Please log in to open this page."),
    403: _l("You are not allowed to do this."),
    404: _l("This page or record does not exist."),
    405: _l("This action is not available here."),
    409: _l("This was already done."),
    413: _l("What was sent is too large."),
    422: _l("The data sent could not be accepted."),
    429: _l("Too many requests; wait a moment and try again."),
    500: _l("Something went wrong on the server; nothing was changed. Try again, and tell "
            "the administrator if it happens again."),
    502: _l("A server behind this one did not answer properly."),
    503: _l("The service is not available right now; try again shortly."),
}


def register(app: Flask) -> None:
    """Answer every HTTP error with a clear message in the shape the client asked for."""
    register_database_errors(app)
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return error_response(400, _("The form’s security token is missing or expired. "
                                     "Reload the page and try again."))

    @app.errorhandler(HTTPException)
    def http_error(error):
        default = MESSAGES.get(error.code, _l("The request could not be completed."))
        message = error.description if error.description and \
            error.description != type(error).description else default
        return error_response(error.code, message)


def register_database_errors(app: Flask) -> None:
    """The database out of reach (restarted, its pool exhausted) or refusing to write (a
    full disk): 503 with a message in the user's language, never a traceback. The request's
    transaction is rolled back, so nothing of it is stored."""
    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PoolTimeout)
    def database_unavailable(error):
        _roll_back()
        current_app.logger.warning("database unavailable: %s", str(error).splitlines()[0])
        # who asks is not known: reading the user needs the database (Flask-Login's own key)
        g._login_user = current_app.login_manager.anonymous_user()
        with force_locale(browser_language()):  # the saved choice is in the database
            return _unavailable_response(_cannot_write(error))


def _roll_back() -> None:
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001  (a connection already gone: the pool discards it)
        current_app.logger.debug("rollback after a database error failed", exc_info=True)


def _cannot_write(error) -> bool:
    return any(words in str(error).lower() for words in CANNOT_WRITE)


def _unavailable_response(cannot_write: bool):
    message = _("The database cannot store anything right now (its disk is full or it is "
                "read-only); nothing was changed. Tell the administrator.") if cannot_write \
        else _("The database is not available right now; nothing was changed. Try again in "
               "a moment.")
    if request.headers.get("HX-Request"):
        body = render_template("_partials/_error.html", message=message, status=503)
    else:
        again = request.full_path.rstrip("?") if request.method == "GET" else None
        body = render_template("errors/unavailable.html", message=message, status=503,
                               again=again)
    return body, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def error_response(status: int, message: str):
    """A fragment for htmx (shown by static/js/app.js), a full page otherwise."""
    if request.headers.get("HX-Request"):
        return render_template("_partials/_error.html", message=message, status=status), status
    return render_template("errors/error.html", message=str(message), status=status), status
