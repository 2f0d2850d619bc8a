"""An admin manages users in a real browser: creates one (a refused form keeps what was typed),
gives them a second role, disables them; the disabled user's open page ends at their next click."""
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import browser_page
from tests.browser.test_survey_in_browser import log_in

# end to end: run on PostgreSQL, the production database (tests/conftest.py)
pytestmark = pytest.mark.database("postgresql")


def create_user(page: Page, username: str, password: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Users").click()
    page.get_by_role("link", name="New user").click()
    expect(page).to_have_url(re.compile(r"/users/new$"))
    page.wait_for_load_state("load")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Display name").fill("Марія Ткаченко")
    page.get_by_label("operator").check()
    page.get_by_label("Extension").fill("309")
    page.get_by_label("Password", exact=True).fill("1234567890")  # long enough but common
    page.get_by_label("Password again").fill("1234567890")
    page.get_by_role("button", name="Create user").click()
    expect(page.locator(".field-error")).to_contain_text("common")
    expect(page.get_by_label("Display name")).to_have_value("Марія Ткаченко")  # kept
    expect(page.get_by_label("operator")).to_be_checked()
    expect(page.get_by_label("Extension")).to_have_value("309")
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password again").fill(password)
    page.get_by_role("button", name="Create user").click()
    expect(page.get_by_role("status")).to_have_text(f"User {username} created.")
    expect(page.get_by_role("heading", name="Марія Ткаченко")).to_be_visible()


def test_an_admin_creates_changes_and_disables_a_user(page: Page, browser, live_server):
    log_in(page, "admin")
    create_user(page, "mtkachenko", "тиха вода греблю рве")

    with browser_page(browser, live_server) as theirs:  # the new operator at their desk
        theirs.goto("/login")
        theirs.get_by_label("Username").fill("mtkachenko")
        theirs.get_by_label("Password").fill("тиха вода греблю рве")
        theirs.get_by_role("button", name="Log in").click()
        expect(theirs).to_have_url(re.compile(r"/contacts$"))

        page.get_by_label("supervisor").check()  # a supervisor who also takes calls
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("status")).to_have_text("User mtkachenko saved.")
        expect(page.get_by_label("supervisor")).to_be_checked()
        expect(page.get_by_label("operator")).to_be_checked()

        page.get_by_role("link", name="All users").click()
        row = page.locator("#users-table tr", has_text="mtkachenko")
        expect(row).to_contain_text("operator, supervisor")
        expect(row).to_contain_text("309")
        row.get_by_role("link", name="Марія Ткаченко").click()

        page.get_by_role("button", name="Disable user").click()
        expect(page.get_by_role("status")).to_have_text(
            "User mtkachenko disabled: they can no longer log in.")
        expect(page.get_by_role("button", name="Enable user")).to_be_visible()

        theirs.get_by_role("navigation", name="Main").get_by_role("link", name="Calls").click()
        expect(theirs).to_have_url(re.compile(r"/login"))  # their session ended
        theirs.get_by_label("Username").fill("mtkachenko")
        theirs.get_by_label("Password").fill("тиха вода греблю рве")
        theirs.get_by_role("button", name="Log in").click()
        expect(theirs).to_have_url(re.compile(r"/login"))  # and cannot start another one

    page.get_by_role("link", name="All users").click()
    expect(page.locator("#users-table tr", has_text="mtkachenko")).to_contain_text("Disabled")


def test_the_last_admin_cannot_take_away_their_own_admin_role(page: Page):
    log_in(page, "admin")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Users").click()
    page.get_by_role("link", name="Адміністратор").click()
    page.wait_for_load_state("load")
    page.get_by_label("admin", exact=True).uncheck()
    page.get_by_label("supervisor").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#roles-error")).to_be_visible()
    expect(page.get_by_label("supervisor")).to_be_checked()  # what was typed is kept
    page.goto(page.url)  # a fresh GET: what is stored
    expect(page.get_by_label("admin", exact=True)).to_be_checked()  # nothing changed
    expect(page.get_by_label("supervisor")).not_to_be_checked()
