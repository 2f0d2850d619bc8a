"""The floor's rows, pushed: when an operator's row changes (floor_changes.tell), it is read
again and published to the supervisors' floor pages, once per language a floor page shows,
whichever process made the change. Nothing is read or rendered while no floor page is open
(the bus knows, across processes too)."""
import logging

from flask import Flask, has_request_context, render_template
from flask_babel import force_locale

from survey_app import floor_changes
from survey_app.language import LANGUAGES
from survey_app.supervision import floor
from survey_app.telephony.bus import floor_topic

log = logging.getLogger(__name__)


class Floor:
    """One per app: renders the floor for its sockets and pushes the rows that change."""

    def __init__(self, app: Flask):
        self.app = app
        floor_changes.operators_changed.connect(self.changed, sender=app)

    def rows_html(self) -> str:
        """Every operator's row and the counts by state, as they are now (a floor socket's
        first frame, and its resend). Needs a request context."""
        whole = floor.rows(floor.read(), whole=True)
        return (render_template("supervision/_floor_counts.html", **whole)
                + render_template("supervision/_floor_rows.html", **whole))

    def changed(self, app: Flask, user_ids: frozenset[int], extensions: frozenset[str]) -> None:
        """Push the rows of these operators to every floor page. Runs after the change is
        committed, in the request or the pipeline that made it: a failure here is logged,
        never passed on to them."""
        bus = app.extensions["telephony"].bus
        languages = [language for language in LANGUAGES if bus.listened(floor_topic(language))]
        if not languages:
            return
        try:
            if has_request_context():
                self._push(bus, languages, user_ids, extensions)
            else:
                with app.test_request_context("/"):  # url_for in the template needs one
                    self._push(bus, languages, user_ids, extensions)
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
