"""The floor in a real browser: the operator's page opens, their phone rings (a recorded
Asterisk call replayed by a real AMI peer), and the supervisor's floor follows by itself."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import browser_page
from tests.browser.test_pop_in_browser import ANSWERED, NUMBER, expect_live, held_call
from tests.browser.test_survey_in_browser import log_in
from tests.helpers import SAMPLE_CONTACT

# end to end: run on PostgreSQL, the production database (tests/conftest.py)
pytestmark = pytest.mark.database("postgresql")
OPERATOR = "Олена Коваль"


def count_of(page, state: str):
    return page.locator(f'#floor-counts .floor-count[data-state="{state}"] strong')


def test_the_floor_shows_the_operator_come_online_ring_talk_and_hang_up(browser, live_server,
                                                                         app, pbx):
    with browser_page(browser, live_server) as floor, \
            browser_page(browser, live_server) as operator:
        log_in(floor, "supervisor")
        floor.get_by_role("link", name="Floor").click()
        expect(floor.get_by_role("heading", name="The floor")).to_be_visible()
        row = floor.get_by_role("row").filter(has_text=OPERATOR)
        expect(row).to_have_attribute("data-state", "offline")
        expect(count_of(floor, "offline")).to_have_text("2")

        log_in(operator)  # the operator's page opens: online, Ready
        expect_live(operator)
        expect(row).to_have_attribute("data-state", "ready")
        expect(row.locator("td").nth(1)).to_have_text("Ready")
        expect(count_of(floor, "offline")).to_have_text("1")
        expect(count_of(floor, "ready")).to_have_text("1")

        answer, hang_up, pauses = held_call(ANSWERED)
        pbx(ANSWERED, pauses=pauses)
        expect(row).to_have_attribute("data-state", "ringing")
        expect(row).to_contain_text(NUMBER)
        expect(row).to_contain_text(SAMPLE_CONTACT)
        expect(count_of(floor, "ringing")).to_have_text("1")
        answer.set()
        expect(row).to_have_attribute("data-state", "talking")
        # the time in the state counts on in the page between pushes
        since = row.locator("time.since")
        expect(since).to_have_text(re.compile(r"^0:0[1-9]$"), timeout=5_000)
        hang_up.set()
        expect(row).to_have_attribute("data-state", "ready")
        expect(row.locator("td").nth(5)).to_have_text("1 / 1")  # answered of today's calls


def test_the_floor_reloads_itself_at_the_centres_midnight(browser, live_server, app):
    """Calls and surveys "today" start again at midnight: the page reloads by itself then
    (the browser's clock is run on past the day's end instead of waiting for it)."""
    with browser_page(browser, live_server) as floor:
        floor.clock.install()
        log_in(floor, "supervisor")
        floor.goto("/floor")
        ends = floor.locator("#floor").get_attribute("data-day-ends")
        left_ms = floor.evaluate("ends => Date.parse(ends) - Date.now()", ends)
        assert 0 < left_ms <= 25 * 3600 * 1000  # a day at most (one of 25 hours in autumn)
        floor.evaluate("window.beforeMidnight = true")
        floor.clock.run_for(int(left_ms) - 60_000)  # a minute before: still the same page
        assert floor.evaluate("window.beforeMidnight") is True
        with floor.expect_navigation():
            floor.clock.run_for(65_000)
        assert floor.evaluate("window.beforeMidnight") is None
        expect(floor.get_by_role("heading", name="The floor")).to_be_visible()
