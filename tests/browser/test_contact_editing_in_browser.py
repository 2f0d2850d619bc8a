"""Editing a card in a real browser: the main form saves, and a phone row is added and
removed in place (htmx swaps the register; the page does not reload)."""
from playwright.sync_api import Page, expect

from tests.browser.test_survey_in_browser import log_in
from tests.helpers import sample_contact_id


def test_an_operator_edits_the_card_and_its_phones_in_place(page: Page, app):
    log_in(page)
    page.goto(f"/contacts/{sample_contact_id(app)}")
    page.get_by_role("link", name="Edit contact").click()
    expect(page.get_by_role("heading", name="Edit contact: Уляненко Олександра")).to_be_visible()
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
