"""The contact's survey history ("Customer surveys") as an operator or supervisor sees it on the
common screens, 1366x768 and 1920x1080, with and without a call pop open on the right: every
column is there to read (nothing clipped, hidden under the pop or scrolled out of sight), and
the date and the duration each stay on one line."""
import datetime as dt

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import CustomerSurvey, Questionnaire, SurveyStatus, User
from survey_app.telephony.calls import events as ev
from tests.browser.conftest import browser_page
from tests.browser.test_in_ukrainian import log_in as log_in_ukrainian
from tests.browser.test_survey_in_browser import log_in, start_survey_from_card
from tests.helpers import sample_contact_id

# end to end: run on PostgreSQL, the production database (tests/conftest.py)
pytestmark = pytest.mark.database("postgresql")

VIEWPORTS = [pytest.param((1366, 768), id="1366x768"), pytest.param((1920, 1080), id="1920x1080")]
POPS = [pytest.param(False, id="no-pop"), pytest.param(True, id="pop")]
HEADINGS = {"en-GB": ["Questionnaire", "Campaign", "Operator", "Date", "Duration", "Status"],
            "uk-UA": ["Опитувальник", "Кампанія", "Оператор", "Дата", "Тривалість", "Статус"]}
ONE_LINE = ("Date", "Duration")  # the columns whose cells must not wrap, by their English heading
# (questionnaire, status, how long it took); the longest names the demo has, and the
# "1 min 14 s" that wrapped
HISTORY = [("Survey 1", SurveyStatus.COMPLETED, 74),
           ("Webinar invitation", SurveyStatus.CANCELLED, 3725),
           ("Survey 1", SurveyStatus.COMPLETED, 42)]

# What the user cannot read in the table, one line per problem: a cell outside the window,
# cut off by a box around the table (a scroll box, the panel), under a pop, clipped inside
# itself, or (in the columns `oneLine` names by index) wrapped onto a second line.
PROBLEMS = """([oneLine]) => {
  const table = document.getElementById("customer-surveys");
  window.scrollTo(0, table.getBoundingClientRect().top + window.scrollY - 8);
  const problems = [];
  const viewport = {left: 0, top: 0, right: document.documentElement.clientWidth,
                    bottom: document.documentElement.clientHeight};
  const clipping = [];
  for (let box = table.parentElement; box && box !== document.body; box = box.parentElement) {
    if (getComputedStyle(box).overflowX !== "visible") clipping.push(box);
  }
  const pops = [...document.querySelectorAll("#call-pops .pop")]
    .map(pop => pop.getBoundingClientRect());
  const name = (cell) => `${cell.tagName} "${cell.innerText.trim()}"`;
  const label = (box) => box.tagName.toLowerCase() + (box.id ? `#${box.id}` : "") +
    [...box.classList].map(c => `.${c}`).join("");
  const outside = (r, box) => r.left < box.left - 0.5 || r.right > box.right + 0.5 ||
                             r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5;
  for (const box of clipping) {
    if (box.scrollWidth > box.clientWidth) {
      problems.push(`${label(box)} hides ${box.scrollWidth - box.clientWidth}px sideways`);
    }
  }
  for (const row of table.rows) {
    [...row.cells].forEach((cell, column) => {
      const r = cell.getBoundingClientRect();
      if (outside(r, viewport)) problems.push(`${name(cell)} is outside the window`);
      for (const box of clipping) {
        if (r.right > box.getBoundingClientRect().right + 0.5 ||
            r.left < box.getBoundingClientRect().left - 0.5) {
          problems.push(`${name(cell)} is cut off by ${label(box)}`);
        }
      }
      for (const pop of pops) {
        if (r.right > pop.left && r.left < pop.right) problems.push(`${name(cell)} is under a pop`);
      }
      if (cell.scrollWidth > cell.clientWidth) problems.push(`${name(cell)} is clipped`);
      if (cell.tagName === "TD" && oneLine.includes(column) && cell.innerText.trim()) {
        const text = document.createRange();
        text.selectNodeContents(cell);
        const line = parseFloat(getComputedStyle(cell).lineHeight);
        if (text.getBoundingClientRect().height > 1.5 * line) {
          problems.push(`${name(cell)} wraps`);
        }
      }
    });
  }
  return problems;
}"""


@pytest.fixture
def history(app) -> int:
    """The sample contact, with the surveys of HISTORY taken by the operator; its id."""
    contact_id = sample_contact_id(app)
    with app.app_context():
        operator = db.session.scalar(select(User).where(User.username == "operator"))
        questionnaires = {q.name: q for q in db.session.scalars(select(Questionnaire))}
        started = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=1)
        for days_ago, (name, status, seconds) in enumerate(HISTORY):
            at = started - dt.timedelta(days=days_ago)
            questionnaire = questionnaires[name]
            db.session.add(CustomerSurvey(
                contact_id=contact_id, questionnaire_id=questionnaire.id,
                campaign_id=questionnaire.campaign_id, operator_id=operator.id, status=status,
                step=2, started_at=at, current_shown_at=at,
                finished_at=at + dt.timedelta(seconds=seconds)))
        db.session.commit()
    return contact_id


def ring(app, extension: str = "305", number: str = "+380501234567") -> None:
    """A call from the sample contact rings at the operator's phone: it pops on the page."""
    app.extensions["telephony"].apply([ev.CallEvent(
        ev.RINGING, "1795635395.0", extension, ev.INBOUND, number=number, did="5551000",
        channel=f"PJSIP/{extension}-00000001", peer_channel="PJSIP/trunk-00000000")])


def expect_pops(page: Page, pop: bool) -> None:
    """The pop is on the page (the socket brought it) or there is none."""
    expect(page.locator("#call-pops .pop")).to_have_count(1 if pop else 0)


def expect_every_column_readable(page: Page, locale: str = "en-GB",
                                 surveys: int = len(HISTORY)) -> None:
    table = page.locator("#customer-surveys")
    expect(table.locator("thead th")).to_have_text(HEADINGS[locale])
    expect(table.locator("tbody tr")).to_have_count(surveys)
    page.evaluate("document.fonts.ready.then(() => true)")
    one_line = [HEADINGS["en-GB"].index(heading) for heading in ONE_LINE]
    problems = page.evaluate(PROBLEMS, [one_line])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("pop", POPS)
@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("locale", ["en-GB", "uk-UA"])
def test_the_card_shows_every_column_of_the_surveys(browser, live_server, app, history,
                                                    locale, viewport, pop):
    if pop:
        ring(app)
    with browser_page(browser, live_server, locale=locale, viewport=viewport) as page:
        (log_in if locale == "en-GB" else log_in_ukrainian)(page)
        page.goto(f"/contacts/{history}")
        expect_pops(page, pop)
        expect(page.locator("#customer-surveys")).to_contain_text(
            "1 min 14 s" if locale == "en-GB" else "1 хв 14 с")
        expect_every_column_readable(page, locale)


@pytest.mark.parametrize("pop", POPS)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_survey_screen_shows_every_column_of_the_surveys(browser, live_server, app, history,
                                                             viewport, pop):
    with browser_page(browser, live_server, viewport=viewport) as page:
        log_in(page)
        page.goto(f"/contacts/{history}")
        start_survey_from_card(page)
        if pop:  # the call rings in while the survey is on screen (with the pop, the card
            ring(app)  # has a second "Start survey", which start_survey_from_card would not know)
            page.reload()
        expect_pops(page, pop)
        expect(page.locator("#customer-surveys tbody tr").first).to_contain_text("In progress")
        expect_every_column_readable(page, surveys=len(HISTORY) + 1)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_supervisor_sees_every_column_of_the_surveys(browser, live_server, history, viewport):
    with browser_page(browser, live_server, viewport=viewport) as page:
        log_in(page, "supervisor")
        page.goto(f"/contacts/{history}")
        expect(page.get_by_role("link", name="Start survey")).to_have_count(0)
        expect_every_column_readable(page)
