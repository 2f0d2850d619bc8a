"""The telephony pipeline of one process: AMI events -> translator -> call log -> pops -> bus."""
import datetime as dt
import json
import logging
import threading

from flask import Flask, has_request_context, render_template
from flask_babel import force_locale
from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import joinedload

from survey_app import floor_changes
from survey_app.contacts.lookup import contacts_by_e164
from survey_app.extensions import db
from survey_app.language import LANGUAGES
from survey_app.language import pbx as pbx_words
from survey_app.models import Call, CustomerSurvey
from survey_app.models.surveys import utcnow
from survey_app.telephony.bus import DEBUG_MARK, debug_topic_for, everyone, make_bus, topic_for
from survey_app.telephony.calllog import ended_unseen, record
from survey_app.telephony.calls import click_to_call
from survey_app.telephony.calls.channels import operators_named
from survey_app.telephony.calls.translator import Translator
from survey_app.telephony.link import NOT_CONFIGURED, LinkStatus
from survey_app.telephony.operators import Operators

log = logging.getLogger(__name__)
RECENT_MINUTES = 30  # an ended call's pop stays until dismissed, at most this long
MAX_POPS = 5
LAST_SURVEYS = 3  # shown per matched contact in a pop


class Telephony:
    """One per app: owns the translator and the bus; the AMI bridge feeds it."""

    def __init__(self, app: Flask, bus=None):
        self.app = app
        self.bus = bus or make_bus(app.config.get("REDIS_URL"))
        self.operators = Operators(app)
        self.translator = Translator(self.operators.is_operator)
        self._lock = threading.Lock()  # events are applied one at a time, in arrival order
        self.pbx_connected = False
        self.pbx_status = NOT_CONFIGURED
        self.bridge = None
        self.resyncs = 0  # done since the start: the calls are as the PBX has them
        self.simulations: dict = {}  # training mode's calls in progress, by Linkedid

    def start_bridge(self, events: bool = True) -> None:
        """Log in to Asterisk in the background; the bridge reconnects by itself.

        events=False: a web process beside `flask ami-bridge` keeps a session for its
        operators' actions only; the events (and the pops) come from that bridge by the bus.
        """
        from survey_app.telephony.ami.bridge import AmiBridge
        c = self.app.config
        where = f"{c['AMI_HOST']}:{c['AMI_PORT']}"
        self.pbx_status = LinkStatus("connecting", f"Connecting to {where}...", address=where)
        self.bridge = AmiBridge(c["AMI_HOST"], c["AMI_PORT"], c["AMI_USERNAME"] or "",
                                c["AMI_SECRET"] or "", on_event=self.on_ami_event,
                                on_resync=self.on_resync, events=events,
                                on_status=self.on_status if events else self._note_status)
        self.bridge.start()

    def stop(self) -> None:
        if self.bridge is not None:
            self.bridge.stop()

    # --- fed by the bridge (its thread) or by the training simulator --------------------

    def on_ami_event(self, raw: dict) -> None:
        with self._lock:
            self.operators.refresh()
            call_events = self.translator.feed(raw)
            if call_events:
                self.apply(call_events)
            elif raw.get("Event") == "OriginateResponse":
                self._tell_click_to_call_failure(raw)
            if self.operators.debugging:
                self._show_raw(raw, call_events)

    def _show_raw(self, raw: dict, call_events) -> None:
        concerned = operators_named(raw, self.translator.is_operator)
        concerned.update(e.extension for e in call_events)
        message = None
        for extension in concerned & self.operators.debugging:
            message = message or DEBUG_MARK + json.dumps(raw, ensure_ascii=False)
            self.bus.publish(debug_topic_for(extension), message)

    def _tell_click_to_call_failure(self, raw: dict) -> None:
        failed = click_to_call.failure(raw, self.translator.is_operator)
        if failed is not None:
            extension, why, number = failed
            log.info("click-to-call from %s failed: %s", extension, raw)
            with self.app.test_request_context("/"):
                self.publish_to(extension, lambda: render_template(
                    "telephony/_action_result.html", ok=False,
                    message=pbx_words.click_to_call_failure(why, number)))

    def on_resync(self, channels: list[dict]) -> None:
        with self._lock:
            call_events = self.translator.resync(channels)
            self.apply(call_events + self._ended_unseen(channels))
            self.resyncs += 1
        log.info("PBX resync: %d channels up, %d call changes", len(channels), len(call_events))

    def _ended_unseen(self, channels: list[dict]) -> list:
        """The calls the log has in progress that none of `channels` carries (those ended
        above by the translator come again, and change nothing); simulated ones aside."""
        live = {c.get("Linkedid") for c in channels if isinstance(c, dict)}
        with self.app.app_context():
            try:
                return ended_unseen(live | set(self.simulations))
            except Exception:  # the database out of reach: the translator's changes go on
                log.exception("could not read the calls in progress for the resync")
                return []
            finally:
                db.session.remove()

    def on_status(self, connected: bool, status: LinkStatus) -> None:
        self._note_status(connected, status)
        with self.app.test_request_context("/"):
            for language in LANGUAGES:
                if self.bus.listened(everyone(language)):
                    with force_locale(language):
                        self.bus.publish(everyone(language), self.status_html())

    def _note_status(self, connected: bool, status: LinkStatus) -> None:
        self.pbx_connected, self.pbx_status = connected, status
        log.debug("PBX link: %s", status)  # the bridge logs it, once

    # --- rendering, for the socket and the pages ------------------------------------------

    def pops_html(self, extension: str) -> str:
        """The operator's pops: calls in progress and recently ended ones not dismissed."""
        if has_request_context():  # the socket's first frame, a dismissal
            return self._render_pops(extension)
        with self.app.test_request_context("/"):  # url_for in the template needs one
            return self._render_pops(extension)

    def _render_pops(self, extension: str) -> str:
        return self.pops_renderer(extension)()

    def pops_renderer(self, extension: str):
        """Read the operator's pops once; the function returned renders them in the
        language in force when it is called (once per language, with no query again)."""
        calls = live_calls(extension)
        found = contacts_by_e164(c.external_e164 for c in calls if c.contact is None)
        pops = [(call, [call.contact] if call.contact else found.get(call.external_e164, []))
                for call in calls]
        surveys = _last_surveys(pops)
        return lambda: render_template("telephony/_pops.html", pops=pops, surveys=surveys)

    def status_html(self) -> str:
        return render_template("telephony/_pbx_status.html", telephony=self)

    def apply(self, call_events) -> None:
        """Record call events in the log and push the touched operators' pops."""
        with self.app.test_request_context("/"):  # one context for the write and the pops
            touched = []
            try:
                for event in call_events:
                    touched += [e for e in record(event) if e not in touched]
                db.session.commit()
            except Exception:  # a bad event must never stop the pipeline; nothing half-written
                db.session.rollback()
                log.exception("could not record call events %s", call_events)
                return
            for extension in touched:
                self.publish_to(extension, self.pops_renderer(extension))
            floor_changes.tell(self.app, extensions=touched)

    def publish_to(self, extension: str, render) -> None:
        """Publish render() to the operator's pages once per language that a page of theirs
        reads: each page reads the one it was opened in, which its browser may have chosen,
        and a tab left open in the old language after a switch keeps getting its pops.
        Needs a request context."""
        for language in LANGUAGES:
            topic = topic_for(extension, language)
            if self.bus.listened(topic):
                with force_locale(language):
                    self.bus.publish(topic, render())


# Built once: the pops are read on every call event, so no statement is rebuilt per event.
_LIVE_CALLS = (
    select(Call)
    .where(Call.extension == bindparam("extension"), Call.dismissed.is_(False),
           or_(Call.ended_at.is_(None), Call.ended_at >= bindparam("since")))
    .options(joinedload(Call.operator), joinedload(Call.contact))  # no query per pop
    .order_by(Call.started_at.desc()).limit(MAX_POPS))


def live_calls(extension: str) -> list[Call]:
    """Calls in progress for the extension, and ended ones whose pop was not dismissed."""
    since = utcnow() - dt.timedelta(minutes=RECENT_MINUTES)
    return list(db.session.scalars(_LIVE_CALLS, {"extension": extension, "since": since}))


# The newest surveys of each contact, numbered in SQL: a contact with hundreds of surveys
# costs no more than one with three (a window function: SQLite 3.25+, PostgreSQL).
_NEWEST = (select(CustomerSurvey.id, func.row_number().over(
    partition_by=CustomerSurvey.contact_id,
    order_by=(CustomerSurvey.started_at.desc(), CustomerSurvey.id.desc())).label("n"))
    .where(CustomerSurvey.contact_id.in_(bindparam("contacts", expanding=True)))
    .subquery())
_LAST_SURVEYS = (select(CustomerSurvey).join(_NEWEST, _NEWEST.c.id == CustomerSurvey.id)
                 .where(_NEWEST.c.n <= LAST_SURVEYS)
                 .options(joinedload(CustomerSurvey.questionnaire))
                 .order_by(CustomerSurvey.started_at.desc(), CustomerSurvey.id.desc()))


def _last_surveys(pops) -> dict[int, list[CustomerSurvey]]:
    """The newest surveys of each matched contact, in one query."""
    ids = {c.id for _call, matches in pops for c in matches}
    if not ids:
        return {}
    by_contact: dict[int, list[CustomerSurvey]] = {}
    for survey in db.session.scalars(_LAST_SURVEYS, {"contacts": list(ids)}):
        by_contact.setdefault(survey.contact_id, []).append(survey)
    return by_contact
