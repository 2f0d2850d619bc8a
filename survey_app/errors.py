"""Error pages: a whole page for a browser, a short message for htmx to show in a toast."""
from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: "The request could not be understood.",
    403: "You are not allowed to do this.",
    404: "This page or record does not exist.",
    405: "This action is not available here.",
    409: "This was already done.",
    422: "The data sent could not be accepted.",
}


def register(app: Flask) -> None:
    """Answer every HTTP error with a clear message in the shape the client asked for."""
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return error_response(400, "The form's security token is missing or expired. "
                              "Reload the page and try again.")

    @app.errorhandler(HTTPException)
    def http_error(error):
        default = MESSAGES.get(error.code, error.name)
        message = error.description if error.description and \
            error.description != type(error).description else default
        return error_response(error.code, message)


def error_response(status: int, message: str):
    """A fragment for htmx (shown by static/js/app.js), a full page otherwise."""
    if request.headers.get("HX-Request"):
        return render_template("_partials/_error.html", message=message, status=status), status
    return render_template("errors/error.html", message=message, status=status), status
