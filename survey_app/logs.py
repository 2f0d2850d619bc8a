"""Logging, set up by the factory: the app's loggers at LOG_LEVEL, one line per request
(method, path, status, milliseconds, user), and the AMI bridge's connects and drops
(survey_app.telephony.ami.bridge logs them)."""
import logging
import sys
import time

from flask import Flask, g, request
from flask_login import current_user

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


def _start_clock() -> None:
    g.request_started = time.perf_counter()


def _log_request(response):
    started = g.get("request_started")
    elapsed = (time.perf_counter() - started) * 1000 if started is not None else 0.0
    user = current_user.username if current_user and current_user.is_authenticated else "-"
    level = logging.DEBUG if request.endpoint == "static" else logging.INFO
    requests_log.log(level, "%s %s %s %.1f ms user=%s", request.method, request.full_path
                     if request.query_string else request.path, response.status_code,
                     elapsed, user)
    return response
