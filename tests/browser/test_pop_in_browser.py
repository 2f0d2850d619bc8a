"""The operator's screen pop in a real browser: recorded Asterisk calls replayed by a real AMI
peer over TCP -> the bridge -> the Calls table -> the operator's WebSocket -> what the page shows.
"""
import re
import threading
import time

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.formatting import duration
from survey_app.models import Call, CustomerSurvey
from tests.browser.test_survey_in_browser import CAMPAIGN, log_in
from tests.helpers import SAMPLE_CONTACT, sample_contact_id
from tests.telephony.ami_peer import wait_until
from tests.telephony.transcripts import messages

# end to end: run on PostgreSQL, the production database (tests/conftest.py)
pytestmark = pytest.mark.database("postgresql")

ANSWERED = "inbound_answered.ami"  # +380501234567 (Уляненко Олександра) answered by 305
UNKNOWN = "unknown_caller.ami"     # 0442223344, in no contact, answered by 305
NUMBER = "+380 50 123 4567"  # every screen shows a number this one way
UNKNOWN_NUMBER = "+380 44 222 3344"  # the PBX sent 0442223344
UNKNOWN_E164 = "+380442223344"
CONNECTED = "Live connection: working"
PBX_UP = re.compile(r"^PBX link working: connected to 127\.0\.0\.1:\d+")
ANY_PBX_STATE = re.compile(r"^PBX link (working|down): ")  # the server's dot, not the page's


# --- the PBX side ----------------------------------------------------------------------------

def before(transcript: str, event: str) -> int:
    """The number (as AmiPeer counts, the Login response is 0) of the first such event."""
    return next(i for i, m in enumerate(messages(transcript)) if m.get("Event") == event)


def held_call(transcript: str) -> tuple[threading.Event, threading.Event, dict]:
    """Gates for a call that waits before it is answered and before it hangs up."""
    answer, hang_up = threading.Event(), threading.Event()
    return answer, hang_up, {before(transcript, "DialEnd"): answer,
                             before(transcript, "Hangup"): hang_up}


def calls(app) -> list[Call]:
    with app.app_context():
        return db.session.scalars(select(Call).order_by(Call.id)).all()


# --- what the operator sees ------------------------------------------------------------------

def expect_live(page: Page) -> None:
    """The corner's socket dot says connected: it does once the server's first frame has come,
    so from now on the socket gets every pop."""
    expect(page.locator("#ws-status")).to_have_attribute("aria-label", CONNECTED)
    expect(page.locator("#pbx-status")).to_have_attribute("aria-label", ANY_PBX_STATE)


def pop_of(page: Page, number: str = NUMBER):
    return page.locator("#call-pops").get_by_role("region", name=f"Call {number}")


def state_of(pop):
    return pop.locator(".pop-state")


def open_contacts(page: Page) -> None:
    log_in(page)
    expect_live(page)


# --- the tests -------------------------------------------------------------------------------

def test_answered_call_pops_the_contact_rings_talks_ends_and_leads_to_card_and_survey(
        page: Page, app, pbx):
    open_contacts(page)
    expect(page.locator("#call-pops .pop")).to_have_count(0)
    answer, hang_up, pauses = held_call(ANSWERED)
    pbx(ANSWERED, pauses=pauses)

    pop = pop_of(page)
    expect(pop).to_have_count(1)
    expect(state_of(pop)).to_have_text("Incoming call")
    expect(pop.locator(".pop-number")).to_have_text(f"From {NUMBER}")
    expect(pop.locator(".pop-contact")).to_contain_text(SAMPLE_CONTACT)
    expect(pop.get_by_role("button", name="Hang up")).to_have_count(0)

    answer.set()
    expect(state_of(pop)).to_have_text("Talking")
    talking_since = time.monotonic()
    expect(pop.get_by_role("button", name="Hang up")).to_be_visible()
    expect(pop.locator(".pop-contact")).to_contain_text(SAMPLE_CONTACT)
    # talk for a second at least, so the duration shown cannot be a zero by accident
    page.wait_for_timeout(max(0, 1.05 - (time.monotonic() - talking_since)) * 1000)
    hang_up.set()
    expect(state_of(pop)).to_have_text(re.compile(r"^Ended · [1-9]\d* s$"))
    expect(pop.get_by_role("button", name="Hang up")).to_have_count(0)
    [call] = calls(app)
    assert (call.extension, call.outcome, call.talk_seconds >= 1) == ("305", "answered", True)
    expect(state_of(pop)).to_have_text(f"Ended · {duration(call.talk_time)}")

    contact_id = sample_contact_id(app)
    pop.get_by_role("link", name="Open card").click()
    expect(page).to_have_url(re.compile(rf"/contacts/{contact_id}$"))
    expect(page.get_by_role("heading", name=SAMPLE_CONTACT)).to_be_visible()

    pop.get_by_role("link", name="Start survey").click()  # the pop on the card page
    expect(page).to_have_url(re.compile(rf"/contacts/{contact_id}/surveys/new\?call={call.id}$"))
    expect(page.get_by_role("heading", name="Choose the campaign")).to_be_visible()
    expect(page.locator("main")).to_contain_text(f"Survey of {SAMPLE_CONTACT}")
    expect(page.locator("input[name=call_id]")).to_have_value(str(call.id))
    page.wait_for_load_state()
    page.get_by_label("Campaign").select_option(label=CAMPAIGN)
    questionnaire = page.get_by_label("Questionnaire")
    expect(questionnaire.locator("option")).to_have_text(["Survey 1"])
    questionnaire.select_option(label="Survey 1")
    page.locator("main").get_by_role("button", name="Start survey").click()
    expect(page).to_have_url(re.compile(r"/surveys/\d+$"))
    survey_id = int(page.url.rsplit("/", 1)[1])
    with app.app_context():
        survey = db.session.get(CustomerSurvey, survey_id)
        assert (survey.contact_id, survey.call_id) == (contact_id, call.id)


def test_pbx_and_socket_dots_turn_connected_when_the_bridge_logs_in(page: Page, app, pbx):
    open_contacts(page)
    ws_dot, pbx_dot = page.locator("#ws-status"), page.locator("#pbx-status")
    expect(ws_dot).to_have_class(re.compile(r"\bok\b"))
    expect(pbx_dot).to_have_class(re.compile(r"\bdown\b"))
    expect(pbx_dot).to_have_attribute(
        "aria-label", "PBX link down: Telephony is not configured (no AMI_HOST).")

    peer = pbx(ANSWERED)
    expect(pbx_dot).to_have_attribute("aria-label", PBX_UP)
    expect(pbx_dot).to_have_class(re.compile(r"\bok\b"))
    expect(pbx_dot).not_to_have_class(re.compile(r"\bdown\b"))
    expect(pbx_dot).to_have_attribute("title", re.compile(rf"^PBX: connected to "
                                                          rf"127\.0\.0\.1:{peer.port}"))
    expect(ws_dot).to_have_class(re.compile(r"\bok\b"))
    expect(ws_dot).to_have_attribute("aria-label", CONNECTED)

    page.reload()  # a page opened while the link is up shows it at once
    expect(page.locator("#pbx-status")).to_have_attribute("aria-label", PBX_UP)
    expect(page.locator("#ws-status")).to_have_attribute("aria-label", CONNECTED)


def test_unknown_caller_offers_create_contact_with_the_number_filled_in(
        page: Page, app, pbx):
    open_contacts(page)
    pbx(UNKNOWN)
    pop = pop_of(page, UNKNOWN_NUMBER)
    # the replayed call ends within a few frames; each frame redraws the pops, and a click
    # landing during a redraw moved nowhere (once in CI), so the click waits for the last one
    expect(state_of(pop)).to_have_text(re.compile(r"^Ended"))
    expect(pop).to_contain_text("Unknown number.")
    expect(pop.locator(".pop-contact")).to_have_count(0)
    expect(pop.get_by_role("link", name="Open card")).to_have_count(0)
    pop.get_by_role("link", name="Create contact").click()
    expect(page).to_have_url(re.compile(r"/contacts/new\?phone=%2B380442223344$"))
    expect(page.get_by_role("heading", name="New contact")).to_be_visible()
    expect(page.get_by_label("Phone", exact=True)).to_have_value(UNKNOWN_E164)
    expect(page.get_by_label("Last name")).to_be_focused()


def test_dismissed_pop_goes_away_and_stays_away_after_a_reload(page: Page, app, pbx):
    open_contacts(page)
    pbx(ANSWERED)
    pop = pop_of(page)
    expect(state_of(pop)).to_have_text(re.compile(r"^Ended"))
    page.reload()  # not dismissed yet: a reload brings the ended call's pop back
    expect_live(page)
    expect(state_of(pop)).to_have_text(re.compile(r"^Ended"))

    pop.get_by_role("button", name="Dismiss the call pop").click()
    expect(page.locator("#call-pops .pop")).to_have_count(0)
    assert wait_until(lambda: calls(app)[0].dismissed)
    page.reload()
    expect_live(page)  # the server's first frame (with the pops) has been swapped in
    expect(page.locator("#call-pops")).to_be_attached()
    expect(page.locator("#call-pops .pop")).to_have_count(0)


def test_tab_opened_during_a_call_gets_its_pop_on_connect(page: Page, app, pbx):
    answer, hang_up, pauses = held_call(ANSWERED)
    answer.set()  # the call is answered, and held before it hangs up
    pbx(ANSWERED, pauses=pauses)
    assert wait_until(lambda: calls(app) and calls(app)[0].answered_at is not None)

    open_contacts(page)  # the first page the operator opens, mid-call
    pop = pop_of(page)
    expect(state_of(pop)).to_have_text("Talking")
    expect(pop.locator(".pop-contact")).to_contain_text(SAMPLE_CONTACT)
    expect(pop.get_by_role("button", name="Hang up")).to_be_visible()
    hang_up.set()  # and the rest of the call comes live
    expect(state_of(pop)).to_have_text(re.compile(r"^Ended · \d+ s$"))


def test_two_tabs_of_the_operator_both_pop_and_a_dismissal_closes_both(
        page: Page, app, pbx):
    open_contacts(page)
    second = page.context.new_page()
    second.goto("/contacts")
    expect_live(second)
    answer, hang_up, pauses = held_call(ANSWERED)
    pbx(ANSWERED, pauses=pauses)

    for tab in (page, second):
        expect(state_of(pop_of(tab))).to_have_text("Incoming call")
        expect(pop_of(tab).locator(".pop-contact")).to_contain_text(SAMPLE_CONTACT)
    answer.set()
    hang_up.set()
    for tab in (page, second):
        expect(state_of(pop_of(tab))).to_have_text(re.compile(r"^Ended · \d+ s$"))

    pop_of(second).get_by_role("button", name="Dismiss the call pop").click()
    for tab in (second, page):
        expect(tab.locator("#call-pops .pop")).to_have_count(0)


def test_debug_mode_logs_the_raw_ami_events_in_the_console_and_still_pops(
        page: Page, app, pbx):
    from survey_app.models import User
    with app.app_context():  # the operator's setting "Debug (raw events in the browser console)"
        db.session.scalar(select(User).where(User.username == "operator")).telephony_debug = True
        db.session.commit()
    logged = []
    page.on("console", lambda msg: logged.append(msg) if msg.type == "debug" else None)
    open_contacts(page)
    pbx(ANSWERED)
    expect(state_of(pop_of(page))).to_have_text(re.compile(r"^Ended"))
    raw = [m.args[1].json_value() for m in logged if m.text.startswith("[AMI]")]
    dial_begin = next(e for e in raw if e["Event"] == "DialBegin")
    assert dial_begin["DestChannel"].startswith("PJSIP/305-")
    assert {"Newchannel", "DialBegin", "DialEnd", "Hangup"} <= {e["Event"] for e in raw}
    assert "<!--ami-->" not in page.locator("#telephony").inner_html()  # logged, not swapped


def test_on_a_wide_screen_the_pop_makes_room_instead_of_covering_the_page(
        page: Page, app, pbx):
    from survey_app.models import User
    with app.app_context():  # the card then has a table of surveys, its widest part
        operator = db.session.scalar(select(User.id).where(User.username == "operator"))
        db.session.add(CustomerSurvey(contact_id=sample_contact_id(app), questionnaire_id=1,
                                      campaign_id=1, operator_id=operator))
        db.session.commit()
    open_contacts(page)
    main = page.locator("main")
    assert main.bounding_box()["x"] + main.bounding_box()["width"] > 1000  # centred, no pop
    answer, hang_up, pauses = held_call(ANSWERED)
    pbx(ANSWERED, pauses=pauses)
    pop = pop_of(page)
    expect(state_of(pop)).to_have_text("Incoming call")
    expect(main).to_have_css("margin-right", "384px")  # 24rem kept free for the pops
    box, pop_box = main.bounding_box(), pop.bounding_box()
    assert box["x"] + box["width"] <= pop_box["x"], (box, pop_box)
    pop.get_by_role("link", name="Open card").click()  # the card's columns fit what is left
    expect(pop_of(page)).to_be_visible()
    box = main.bounding_box()
    for section in page.locator("#contact-details > section").all():
        edge = section.bounding_box()
        assert edge["x"] + edge["width"] <= box["x"] + box["width"], section.inner_text()
    answer.set()
    hang_up.set()
