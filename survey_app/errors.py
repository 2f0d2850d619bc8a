"""Error pages: a whole page for a browser, a short message for htmx to show in a toast."""
from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

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


def error_response(status: int, message: str):
    """A fragment for htmx (shown by static/js/app.js), a full page otherwise."""
    if request.headers.get("HX-Request"):
        return render_template("_partials/_error.html", message=message, status=status), status
    return render_template("errors/error.html", message=str(message), status=status), status
