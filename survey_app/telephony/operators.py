"""Who takes calls at which phone, as the users' settings say, re-read every few seconds.

The translator knows an operator's phone by its endpoint name, whatever the name is (305,
agent_7): the extensions of the users, and any 2-6 digit endpoint (a phone not yet given to
anyone still rings as an operator's). A change in this process is taken at the next event;
a separate `flask ami-bridge` reads it within OPERATORS_REFRESH_SECONDS.
"""
import logging
import time

from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from survey_app.extensions import db
from survey_app.models import User
from survey_app.telephony.calls.channels import default_is_operator

log = logging.getLogger(__name__)
_USERS = select(User.extension, User.telephony_debug).where(User.extension.is_not(None))


class Operators:
    def __init__(self, app: Flask):
        self.app = app
        self.every = float(app.config.get("OPERATORS_REFRESH_SECONDS", 5.0))
        self.extensions: frozenset[str] = frozenset()
        self.debugging: frozenset[str] = frozenset()  # telephony debug on: raw events shown
        self._read_at: float | None = None

    def is_operator(self, endpoint: str) -> bool:
        return endpoint in self.extensions or default_is_operator(endpoint)

    def changed(self) -> None:
        """Someone's extension or debug setting changed here: read them at the next event."""
        self._read_at = None

    def refresh(self) -> None:
        """Read the users' extensions when the last reading is older than `every` seconds."""
        now = time.monotonic()
        if self._read_at is not None and now - self._read_at < self.every:
            return
        self._read_at = now
        with self.app.app_context():
            try:
                rows = db.session.execute(_USERS).all()
            except SQLAlchemyError:  # a locked database must not stop the events: keep the last
                log.exception("could not read the operators' extensions")
                return
            finally:
                db.session.remove()
        self.extensions = frozenset(extension for extension, _ in rows)
        self.debugging = frozenset(extension for extension, debug in rows if debug)
