"""Call buttons in a real browser: a refusal shows the server's own words in the toast, and a
server with no PBX offers no call control at all."""
import pytest
from playwright.sync_api import expect

from tests.browser.test_survey_in_browser import log_in
from tests.helpers import sample_contact_id
from tests.telephony.served import free_port

# end to end: run on PostgreSQL, the production database (tests/conftest.py)
pytestmark = pytest.mark.database("postgresql")

NUMBER = "+380 50 123 4567"


def test_a_refused_call_shows_the_servers_message_in_the_toast(app, page):
    app.config.update(AMI_HOST="127.0.0.1", AMI_PORT=free_port(), AMI_USERNAME="crm",
                      AMI_SECRET="crmsecret")  # a PBX is configured, but nobody answers there
    app.extensions["telephony"].start_bridge()
    try:
        log_in(page)
        page.goto(f"/contacts/{sample_contact_id(app)}")
        page.get_by_role("button", name=f"Call {NUMBER}").click()
        expect(page.locator("#toast")).to_have_text(
            "The link to the PBX is down; nothing was sent. Try again shortly.")
    finally:
        app.extensions["telephony"].stop()


def test_without_a_pbx_no_call_button_is_offered(app, page):
    log_in(page)
    page.goto(f"/contacts/{sample_contact_id(app)}")
    expect(page.get_by_text(NUMBER)).to_be_visible()
    expect(page.get_by_role("button", name=f"Call {NUMBER}")).to_have_count(0)
