"""The pages under the Content-Security-Policy in a real browser: everything an operator uses
works and the console shows no refusal; inline code and eval are refused."""
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_pop_in_browser import ANSWERED, expect_live, pop_of
from tests.browser.test_survey_in_browser import (
    LIKED,
    NPS,
    expect_question,
    log_in,
    next_button,
    option,
    start_survey_from_card,
)
from tests.helpers import SAMPLE_CONTACT

# end to end: run on PostgreSQL, the production database (tests/conftest.py)
pytestmark = pytest.mark.database("postgresql")

REFUSAL = re.compile(r"Content Security Policy|Refused to")


@pytest.fixture
def refusals(page: Page) -> list[str]:
    """What the browser refused under the policy (console) and any script error on the page."""
    seen = []
    page.on("console", lambda msg: seen.append(msg.text) if REFUSAL.search(msg.text) else None)
    page.on("pageerror", lambda error: seen.append(f"page error: {error}"))
    return seen


def test_operator_pages_work_under_the_policy_with_no_refusal(page: Page, pbx, refusals):
    log_in(page)
    policy = page.request.get("/contacts").headers["content-security-policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    expect_live(page)  # the socket is up: connect-src lets /ws/calls through

    search = page.get_by_label("Find a contact by name or phone")
    search.press_sequentially("050 123-45-67")  # the live search: an htmx swap
    expect(page).to_have_url(re.compile(r"/contacts\?q="))
    page.locator("#contact-results").get_by_role("link", name=SAMPLE_CONTACT).click()
    expect(page.get_by_role("heading", name=SAMPLE_CONTACT)).to_be_visible()
    expect_live(page)
    start_survey_from_card(page)  # the questionnaires' list refilled by htmx
    next_button(page).click()  # no answer: 422, swapped with its message
    expect(page.locator("#question .field-error")).to_be_visible()
    option(page, "Так").click()
    next_button(page).click()
    expect_question(page, NPS)  # the question fragment swapped
    page.keyboard.press("Escape")  # survey-keys.js: Back
    expect_question(page, LIKED)
    expect_live(page)
    pbx(ANSWERED)
    # the pop comes over the socket and is swapped in by the ws extension
    expect(pop_of(page).locator(".pop-contact")).to_contain_text(SAMPLE_CONTACT)
    assert refusals == []


def test_inline_code_and_eval_are_refused(page: Page, refusals):
    log_in(page)
    page.evaluate("""() => {
      document.body.insertAdjacentHTML("beforeend",
        '<button id="probe" onclick="window.handlerRan = true">probe</button>');
      const script = document.createElement("script");
      script.textContent = "window.scriptRan = true";
      document.body.append(script);
    }""")
    page.locator("#probe").click()
    assert page.evaluate("() => [!!window.handlerRan, !!window.scriptRan]") == [False, False]
    # htmx told to eval (as hx-on would need): the browser refuses, not only htmx's config
    page.evaluate("""() => {
      htmx.config.allowEval = true;
      document.body.insertAdjacentHTML("beforeend",
        '<button id="eval-probe" hx-on:click="window.evalRan = true">eval</button>');
      htmx.process(document.getElementById("eval-probe"));
    }""")
    page.locator("#eval-probe").click()
    assert page.evaluate("() => !!window.evalRan") is False
    assert any("inline event handler" in text for text in refusals), refusals
    assert any("inline script" in text for text in refusals), refusals
    assert any("'unsafe-eval'" in text for text in refusals), refusals
