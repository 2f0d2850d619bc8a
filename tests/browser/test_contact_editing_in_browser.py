"""Editing a card in a real browser: the main form saves, and phone, address and
anniversary rows are added, changed, refused and removed in place (htmx swaps the register;
the page does not reload)."""
import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_survey_in_browser import log_in
from tests.helpers import sample_contact_id

# end to end: run on PostgreSQL, the production database (tests/conftest.py)
pytestmark = pytest.mark.database("postgresql")


def test_an_operator_edits_the_card_and_its_phones_in_place(page: Page, app):
    log_in(page)
    page.goto(f"/contacts/{sample_contact_id(app)}")
    page.get_by_role("link", name="Edit contact").click()
    expect(page.get_by_role("heading", name="Edit contact: Уляненко Олександра")).to_be_visible()
    page.wait_for_load_state("load")  # htmx has taken the row forms (a click before posts plainly)
    page.evaluate("window.__marker = 1")  # gone if the page reloads

    phones = page.locator("#phones")
    add_row = phones.locator("form").last
    add_row.get_by_label("Kind").select_option(label="Work")
    add_row.get_by_label("Number").fill("12-ab")
    add_row.get_by_role("button", name="Add phone").click()
    expect(page.locator("#phones-new-number-error")).to_have_text(
        "This is not a valid phone number.")
    page.locator("#phones-new-number").fill("044 123 45 67")
    page.locator("#phones").get_by_role("button", name="Add phone").click()
    expect(page.locator("#phones .notice")).to_have_text("Phone added.")
    expect(page.locator("#phones form")).to_have_count(3)  # two phones and the add row
    assert page.evaluate("window.__marker") == 1

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#phones form").nth(1).get_by_role("button", name="Remove").click()
    expect(page.locator("#phones .notice")).to_have_text("Phone removed.")
    expect(page.locator("#phones form")).to_have_count(2)

    page.get_by_label("Middle name").fill("Іванівна")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.get_by_role("heading", name="Уляненко Олександра Іванівна")).to_be_visible()
    expect(page.locator(".flash")).to_contain_text("Contact saved.")


def test_addresses_and_anniversaries_are_added_changed_and_refused_in_place(page: Page, app):
    log_in(page)
    contact_id = sample_contact_id(app)
    page.goto(f"/contacts/{contact_id}/edit")
    page.evaluate("window.__marker = 1")

    addresses = page.locator("#addresses")
    addresses.locator("form").last.get_by_label("City").fill("Львів")
    addresses.get_by_role("button", name="Add address").click()  # no address line
    expect(page.locator("#addresses-new-line-error")).to_be_visible()
    expect(page.locator("#addresses-new-city")).to_have_value("Львів")  # kept as typed
    page.locator("#addresses-new-line").fill("вул. Городоцька, 1")
    page.locator("#addresses").get_by_role("button", name="Add address").click()
    expect(page.locator("#addresses .notice")).to_have_text("Address added.")
    added = page.locator("#addresses form").nth(-2)  # the new row, above the add row
    expect(added.get_by_label("Address")).to_have_value("вул. Городоцька, 1")
    added.get_by_label("City").fill("Київ")
    added.get_by_role("button", name="Save").click()
    expect(page.locator("#addresses .notice")).to_have_text("Address saved.")
    expect(page.locator("#addresses form").nth(-2).get_by_label("City")).to_have_value("Київ")

    anniversaries = page.locator("#anniversaries")
    anniversaries.locator("form").last.get_by_label("Date").fill("31/02/1990")
    anniversaries.get_by_role("button", name="Add anniversary").click()
    expect(page.locator("#anniversaries-new-date-error")).to_contain_text(
        "“31/02/1990” is not a date")
    page.locator("#anniversaries-new-date").fill("15/06/1990")
    page.locator("#anniversaries-new-kind").select_option(label="Wedding anniversary")
    page.locator("#anniversaries").get_by_role("button", name="Add anniversary").click()
    expect(page.locator("#anniversaries .notice")).to_have_text("Anniversary added.")
    expect(page.locator("#anniversaries form").nth(-2).get_by_label("Date")).to_have_value(
        "15/06/1990")
    assert page.evaluate("window.__marker") == 1  # every change swapped its register only

    page.goto(f"/contacts/{contact_id}")
    expect(page.get_by_text("вул. Городоцька, 1")).to_be_visible()
    expect(page.get_by_text("15/06/1990")).to_be_visible()
