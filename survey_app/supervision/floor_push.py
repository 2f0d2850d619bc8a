"""The floor's rows, pushed: when an operator's row changes (floor_changes.tell), it is read
again and published to the supervisors' floor pages, once per language a floor page shows,
whichever process made the change. Nothing is read or rendered while no floor page is open
(the bus knows, across processes too)."""
import datetime as dt
import logging

from flask import Flask, has_request_context, render_template
from flask_babel import force_locale

from survey_app import floor_changes
from survey_app.language import LANGUAGES
from survey_app.models.surveys import utcnow
from survey_app.supervision import floor
from survey_app.telephony.bus import floor_topic

log = logging.getLogger(__name__)


class Floor:
    """One per app: renders the floor for its sockets and pushes the rows that change."""

    def __init__(self, app: Flask):
        self.app = app
        floor_changes.operators_changed.connect(self.changed, sender=app)
        floor_changes.roster_changed.connect(self.roster_changed, sender=app)
        floor_changes.ticked.connect(self.ticked, sender=app)
        self._ticked_at: dt.datetime | None = None

    def rows_html(self, whole: dict | None = None) -> str:
        """Every operator's row and the counts by state, as they are now (a floor socket's
        first frame, its resend, and the push when who is on the floor changed). Needs a
        request context."""
        whole = whole or floor.rows(floor.read(), whole=True)
        return (render_template("supervision/_floor_counts.html", **whole)
                + render_template("supervision/_floor_rows.html", **whole))

    def changed(self, app: Flask, user_ids: frozenset[int], extensions: frozenset[str]) -> None:
        """Push the rows of these operators to every floor page."""
        self._publish(app, lambda bus, languages: self._push(bus, languages, user_ids,
                                                             extensions))

    def roster_changed(self, app: Flask) -> None:
        """Push the whole table: an operator came or went, or was renamed (the order)."""
        def push(bus, languages):
            whole = floor.rows(floor.read(), whole=True)
            for language in languages:
                with force_locale(language):
                    bus.publish(floor_topic(language), self.rows_html(whole))
        self._publish(app, push)

    def ticked(self, app: Flask) -> None:
        """Push the rows of the operators whose survey went quiet since the last tick."""
        now = utcnow()
        since, self._ticked_at = self._ticked_at or now, now

        def push(bus, languages):
            quiet = floor.surveys_gone_quiet(since, now)
            if quiet:
                self._push(bus, languages, frozenset(quiet), frozenset())
        self._publish(app, push)

    @staticmethod
    def _publish(app: Flask, push) -> None:
        """push(bus, languages) for the languages a floor page shows, if any. Runs after the
        change is committed, in the request, command or pipeline that made it: a failure here
        is logged, never passed on to them."""
        bus = app.extensions["telephony"].bus
        languages = [language for language in LANGUAGES if bus.listened(floor_topic(language))]
        if not languages:
            return
        try:
            if has_request_context():
                push(bus, languages)
            else:
                with app.test_request_context("/"):  # url_for in the template needs one
                    push(bus, languages)
        except Exception:  # noqa: BLE001  (the floor must never break a survey or a call)
            log.exception("could not push the floor's rows")

    @staticmethod
    def _push(bus, languages, user_ids, extensions) -> None:
        operators = floor.read(user_ids, extensions)
        if not operators:  # none of them is an operator
            return
        changed = floor.rows(operators, whole=False)
        for language in languages:
            with force_locale(language):
                bus.publish(floor_topic(language),
                            render_template("supervision/_floor_rows.html", **changed))


def init_app(app: Flask) -> None:
    app.extensions["floor"] = Floor(app)
