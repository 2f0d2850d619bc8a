"""A supervisor finds a completed survey in the Surveys list, reviews it with a score and a
comment, and its operator reads the feedback on their own survey, in a real browser."""
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import browser_page
from tests.browser.test_survey_in_browser import log_in
from tests.helpers import login, sample_contact_id, screen_of, start_survey, step

pytestmark = pytest.mark.database("postgresql")  # end to end: the production database


def _completed_survey(app) -> int:
    """Survey 1 run to its end by the operator: Ні, 5, a free text."""
    operator = app.test_client()
    login(operator, "operator")
    url = start_survey(operator, sample_contact_id(app))
    screen = screen_of(operator.get(url).text)
    screen = screen_of(step(operator, url, "answer", screen.form(
        option_id=screen.options["Ні"])).text)
    screen = screen_of(step(operator, url, "answer", screen.form(value="5")).text)
    step(operator, url, "answer", screen.form(value="Погано чути"))
    return int(url.rsplit("/", 1)[1])


def test_a_supervisor_reviews_and_the_operator_reads_it(app, page: Page, browser, live_server):
    survey_id = _completed_survey(app)
    log_in(page, "supervisor")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Surveys").click()
    page.get_by_label("Review").select_option("no")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"reviewed=no"))
    page.locator("#surveys-table tbody").get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(rf"/surveys/{survey_id}$"))
    page.get_by_role("button", name="Save review").click()  # no score chosen
    expect(page.locator("#score-error")).to_have_text("Choose a score from 1 to 5.")
    page.get_by_label("Comment for the operator").fill("Уточнюйте, що саме погано чути.")
    page.get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Save review").click()
    expect(page.get_by_role("status")).to_have_text(
        "Review saved. The operator sees it on this survey.")
    expect(page.locator("#review")).to_contain_text("4 of 5")
    expect(page.get_by_role("button", name="Change review")).to_be_visible()

    with browser_page(browser, live_server) as operator:  # the operator at their desk
        log_in(operator, "operator")
        operator.goto(f"/surveys/{survey_id}")
        expect(operator.locator("#review-comment")).to_have_text(
            "Уточнюйте, що саме погано чути.")
        expect(operator.locator("#review")).to_contain_text("4 of 5 · by Ірина Бондар")
        expect(operator.locator("#review-form")).to_have_count(0)
