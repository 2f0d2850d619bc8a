"""At most REQUEST_SLOTS requests of a web process run at once; the others wait their turn.

A gthread worker has a thread per open socket (1,100), so dozens of page requests could run
side by side in one process. They share one interpreter lock, and each then ran slower than
alone: at 24 operators without think time one process served 39.5 steps/s, with two slots
63 (SQLite); two workers on PostgreSQL 48 and 82 (benchmarks/operators_load.py). SQLite's
writer also lost the CPU to the readers while it held the lock, and the steps behind it
waited seconds (p99 2.1 s, with two slots 0.38 s). A request waiting for its slot sleeps on
a semaphore and takes no CPU. Two slots rather than one, so that one slow request (a big
questionnaire's picture) does not hold up the process. The sockets (/ws/) hold no slot:
they wait for pops most of their life.
"""
import threading

from flask import Flask, make_response, request

BUSY = "survey_app.busy"  # in the environ of a request that got no slot in time
SOCKETS = "/ws/"


class RequestSlots:
    """WSGI middleware around the Flask app's wsgi_app."""

    def __init__(self, app: Flask, wsgi_app):
        self.app, self.wsgi_app = app, wsgi_app
        self.slots = threading.BoundedSemaphore(app.config["REQUEST_SLOTS"])

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith(SOCKETS):
            return self.wsgi_app(environ, start_response)
        if not self.slots.acquire(timeout=self.app.config["REQUEST_SLOT_TIMEOUT"]):
            environ[BUSY] = True  # answered with a 503 at once, without a slot
            return self.wsgi_app(environ, start_response)
        try:
            return self.wsgi_app(environ, start_response)
        finally:
            self.slots.release()


def init_app(app: Flask) -> None:
    app.wsgi_app = RequestSlots(app, app.wsgi_app)
    app.before_request(_refuse_when_busy)


def _refuse_when_busy():
    """The page (or the toast's fragment) that says to try again, in the user's language."""
    if request.environ.get(BUSY):
        from survey_app.errors import MESSAGES, RETRY_AFTER_SECONDS, error_response
        response = make_response(error_response(503, MESSAGES[503]))
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return None
