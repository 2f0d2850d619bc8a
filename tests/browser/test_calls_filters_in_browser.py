"""The Calls section's filters sit on one line: selects, date boxes and the button alike."""
import pytest

from tests.browser.conftest import browser_page
from tests.browser.test_in_ukrainian import log_in as log_in_uk
from tests.browser.test_survey_in_browser import log_in

# end to end: run on PostgreSQL, the production database (tests/conftest.py)
pytestmark = pytest.mark.database("postgresql")

BOXES = """() => [...document.querySelectorAll(
  '.filters select, .filters input, .filters button')].map(e => {
    const box = e.getBoundingClientRect();
    return [e.name || e.textContent.trim(), Math.round(box.top), Math.round(box.bottom)]; })"""


@pytest.mark.parametrize("locale", ["en-GB", "uk-UA"])
def test_the_filters_line_up(browser, live_server, locale):
    with browser_page(browser, live_server, locale=locale, viewport=(1366, 768)) as page:
        (log_in if locale == "en-GB" else log_in_uk)(page, "supervisor")
        page.goto("/calls?from=31.02.2026")  # with an error shown under them too
        page.wait_for_load_state()
        boxes = page.evaluate(BOXES)
        assert len(boxes) == 6
        assert len({(top, bottom) for _, top, bottom in boxes}) == 1, boxes
