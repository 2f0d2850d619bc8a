"""Logging, set up by the factory: the app's loggers at LOG_LEVEL, one line per request
(method, path, status, milliseconds, user, request id), and the AMI bridge's connects and
drops (survey_app.telephony.ami.bridge logs them). LOG_FORMAT=json writes one JSON object a
line, for a log collector; every line logged during a request carries its request id, which
the response also returns (X-Request-ID; one sent by a proxy in front is kept)."""
import datetime as dt
import json
import logging
import re
import sys
import time
import uuid

from flask import Flask, g, has_request_context, request
from flask_login import user_logged_in

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
requests_log = logging.getLogger("survey_app.requests")
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")  # a proxy's id is kept only when it is plain


class RequestId(logging.Filter):
    """Puts the current request's id on every record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id") if has_request_context() else None
        return True


class JsonLines(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, request id, and the
    request's fields on a request's own line."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"at": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                    timespec="milliseconds"),
                "level": record.levelname, "logger": record.name,
                "message": record.getMessage()}
        if getattr(record, "request_id", None):
            line["request_id"] = record.request_id
        line |= getattr(record, "fields", {})
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def init_app(app: Flask) -> None:
    app_log = logging.getLogger("survey_app")
    app_log.setLevel(app.config["LOG_LEVEL"])
    # gunicorn, pytest and `flask run` may have their own handlers on the root logger; the
    # app's lines go to stderr once, through its own handler, whoever serves it
    if not app.testing and not any(getattr(h, "_survey_app", False) for h in app_log.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonLines() if app.config.get("LOG_FORMAT") == "json"
                             else logging.Formatter(FORMAT))
        handler.addFilter(RequestId())
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
    sent = request.headers.get("X-Request-ID", "")
    g.request_id = sent if _SANE_ID.fullmatch(sent) else uuid.uuid4().hex


def _log_request(response):
    started = g.get("request_started")
    elapsed = (time.perf_counter() - started) * 1000 if started is not None else 0.0
    # the name noted when the user was loaded: after a commit the user object is expired
    # and reading it here would cost every survey step one more SELECT
    user = g.get("log_user") or "-"
    level = logging.DEBUG if request.endpoint == "static" else logging.INFO
    path = request.full_path if request.query_string else request.path
    request_id = g.get("request_id", "")
    response.headers["X-Request-ID"] = request_id
    requests_log.log(level, "%s %s %s %.1f ms user=%s id=%s", request.method, path,
                     response.status_code, elapsed, user, request_id, extra={"fields": {
                         "method": request.method, "path": path,
                         "status": response.status_code, "ms": round(elapsed, 1),
                         "user": user}})
    return response
