"""Logging, set up by the factory: the app's loggers at LOG_LEVEL, one line per request
(method, path, status, milliseconds, user), and the AMI bridge's connects and drops
(survey_app.telephony.ami.bridge logs them)."""
import logging
import sys
import time

from flask import Flask, g, request
from flask_login import user_logged_in

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
requests_log = logging.getLogger("survey_app.requests")


def init_app(app: Flask) -> None:
    app_log = logging.getLogger("survey_app")
    app_log.setLevel(app.config["LOG_LEVEL"])
    # gunicorn, pytest and `flask run` may have their own handlers on the root logger; the
    # app's lines go to stderr once, through its own handler, whoever serves it
    if not app.testing and not any(getattr(h, "_survey_app", False) for h in app_log.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(FORMAT))
        handler._survey_app = True
        app_log.addHandler(handler)
        app_log.propagate = False
    app.before_request(_start_clock)
    app.after_request(_log_request)
    user_logged_in.connect(_note_user, app)


def _note_user(_app, user, **_extra) -> None:
    g.log_user = user.username  # a login: the log line names who just logged in


def _start_clock() -> None:
    g.request_started = time.perf_counter()


def _log_request(response):
    started = g.get("request_started")
    elapsed = (time.perf_counter() - started) * 1000 if started is not None else 0.0
    # the name noted when the user was loaded: after a commit the user object is expired
    # and reading it here would cost every survey step one more SELECT
    user = g.get("log_user") or "-"
    level = logging.DEBUG if request.endpoint == "static" else logging.INFO
    requests_log.log(level, "%s %s %s %.1f ms user=%s", request.method, request.full_path
                     if request.query_string else request.path, response.status_code,
                     elapsed, user)
    return response
