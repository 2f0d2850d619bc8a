"""Background-tab notifications: the operator is offered them once, visibly; the browser's
permission prompt follows the click; the offer does not come back once answered."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import browser_page
from tests.browser.test_survey_in_browser import log_in

# end to end: run on PostgreSQL, the production database (tests/conftest.py)
pytestmark = pytest.mark.database("postgresql")

OFFER = "Calls that ring while this tab is in the background can show a notification."


def test_notifications_are_offered_once_and_allowing_asks_the_browser(browser, live_server):
    with browser_page(browser, live_server) as page:
        log_in(page)
        assert page.evaluate("Notification.permission") == "default"
        offer = page.locator("#notifications-offer")
        expect(offer).to_be_visible()
        expect(offer).to_contain_text(OFFER)
        page.evaluate("""() => { window.__asked = 0; Notification.requestPermission = () => {
            window.__asked += 1; return Promise.resolve("default"); }; }""")
        offer.get_by_role("button", name="Allow notifications").click()
        assert page.evaluate("window.__asked") == 1  # the browser's own prompt was asked for
        expect(offer).to_be_hidden()
        page.reload()
        page.wait_for_load_state()
        expect(page.locator("#notifications-offer")).to_be_hidden()


def test_not_now_hides_the_offer_for_good(browser, live_server):
    with browser_page(browser, live_server) as page:
        log_in(page)
        page.locator("#notifications-offer").get_by_role("button", name="Not now").click()
        expect(page.locator("#notifications-offer")).to_be_hidden()
        page.goto("/calls")
        page.wait_for_load_state()
        expect(page.locator("#notifications-offer")).to_be_hidden()


def test_no_offer_once_the_browser_has_allowed_them(browser, live_server):
    with browser_page(browser, live_server) as page:
        page.context.grant_permissions(["notifications"])
        log_in(page)
        assert page.evaluate("Notification.permission") == "granted"
        expect(page.locator("#notifications-offer")).to_be_hidden()
