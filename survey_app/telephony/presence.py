"""Who has a page of the app open: the floor shows an operator offline after a minute without.

Every signed-in page holds the live socket (web/socket.py). A process counts the sockets it
holds per user. The first socket of a user marks them online at once. Every BEAT_SECONDS one
socket thread of the process (whichever comes first) stamps all of the process's users in
one UPDATE, then ends the presence of anyone no process has stamped for OFFLINE_SECONDS: one
guarded UPDATE ... RETURNING, so of two processes sweeping at once only one tells the floor.
A page closed for good thus shows offline 50-70 s later; a reload, or a page that reconnects
to another process after a restart, never shows offline at all.
"""
import datetime as dt
import logging
import threading
import time
from collections import Counter

from flask import Flask
from sqlalchemy import bindparam, or_, update
from sqlalchemy.exc import SQLAlchemyError

from survey_app import floor_changes
from survey_app.extensions import db
from survey_app.models import User
from survey_app.models.surveys import utcnow

log = logging.getLogger(__name__)
users = User.__table__

_ARRIVED = (update(users)
            .where(users.c.id.in_(bindparam("ids", expanding=True)), users.c.online_since.is_(None))
            .values(online_since=bindparam("now"), page_seen_at=bindparam("now"))
            .returning(users.c.id))
_STAMP = (update(users).where(users.c.id.in_(bindparam("ids", expanding=True)))
          .values(page_seen_at=bindparam("now")))
_GONE = (update(users)
         .where(users.c.online_since.is_not(None),
                or_(users.c.page_seen_at < bindparam("cutoff"), users.c.page_seen_at.is_(None)))
         .values(online_since=None).returning(users.c.id))


class Presence:
    """One per app: the sockets of this process, by user."""

    def __init__(self, app: Flask):
        self.app = app
        self.beat_every = float(app.config["PRESENCE_BEAT_SECONDS"])
        self.offline_after = dt.timedelta(seconds=float(app.config["PRESENCE_OFFLINE_SECONDS"]))
        self._held: Counter[int] = Counter()
        self._lock = threading.Lock()
        self._beating = threading.Lock()
        self._beaten_at = time.monotonic()

    def opened(self, user_id: int) -> None:
        """A socket of the user opened here: the first one marks them online now."""
        with self._lock:
            self._held[user_id] += 1
            first = self._held[user_id] == 1
        if first:
            self._write([user_id], sweep=False)

    def closed(self, user_id: int) -> None:
        with self._lock:
            self._held[user_id] -= 1
            if self._held[user_id] <= 0:
                del self._held[user_id]

    def beat(self) -> None:
        """Called by every socket's loop; does the work once per BEAT_SECONDS per process."""
        if time.monotonic() - self._beaten_at < self.beat_every:
            return
        if not self._beating.acquire(blocking=False):  # another socket thread is at it
            return
        try:
            self._beaten_at = time.monotonic()
            with self._lock:
                held = list(self._held)
            self._write(held, sweep=True)
            floor_changes.tick(self.app)
        finally:
            db.session.remove()  # what the floor read: no transaction left open till the next
            self._beating.release()

    def _write(self, ids: list[int], sweep: bool) -> None:
        """Stamp these users (and end the presence of those gone); tell the floor who came
        and who went. A database out of reach costs a beat, never the socket."""
        now = utcnow()
        try:
            changed = self._stamp(ids, now) if ids else []
            if sweep:
                cutoff = now - self.offline_after
                changed += db.session.scalars(_GONE, {"cutoff": cutoff}).all()
            db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()
            log.warning("could not note the pages open", exc_info=True)
            return
        finally:
            db.session.remove()
        floor_changes.tell(self.app, user_ids=changed)

    @staticmethod
    def _stamp(ids: list[int], now: dt.datetime) -> list[int]:
        arrived = db.session.scalars(_ARRIVED, {"ids": ids, "now": now}).all()
        db.session.execute(_STAMP, {"ids": ids, "now": now})
        return list(arrived)
