"""The survey as an operator runs it in a real browser: keyboard, Back, htmx swaps, the card."""
import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import CustomerAnswer, CustomerSurvey, SurveyEvent, SurveyStatus
from tests.helpers import SAMPLE_CONTACT, sample_contact_id

# end to end: run on PostgreSQL, the production database (tests/conftest.py)
pytestmark = pytest.mark.database("postgresql")

LIKED = "Чи сподобався вам вебінар?"
NPS = "Яка вірогідність що ви порекомендуєте нас знайомим та друзям? Від 1 до 10."
EMAIL = "Вам цікаво отримувати на пошту подібні запрошення на лекції?"
DISLIKED = "Що не сподобалось на вебінарі?"
TIME = "О котрій годині вам зручно відвідувати семінари?"
CAMPAIGN = 'Conference "CRM Days"'
SURVEY_URL = re.compile(r"/surveys/(\d+)$")

# htmx marks swapped content .htmx-added/.htmx-settling until it has processed it (20 ms);
# a key pressed before that would submit the form natively (see the report on survey-keys.js).
SETTLED = """() => {
  const q = document.getElementById("question");
  return !!q && !q.matches(".htmx-added, .htmx-settling, .htmx-swapping");
}"""
ANSWER_FOCUSED = """() => {
  const el = document.activeElement;
  return !!el && !!el.closest("#question") &&
    (el.matches("input[type=radio]") || el.id === "answer-value");
}"""


# --- what an operator does -------------------------------------------------------------------

def log_in(page: Page, username: str = "operator") -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/contacts$"))
    page.wait_for_load_state()  # htmx is loaded (deferred scripts), the live search works


def start_survey_from_card(page: Page) -> int:
    """On the contact card: Start survey, choose the campaign and Survey 1; the survey's id."""
    page.get_by_role("link", name="Start survey").click()
    expect(page).to_have_url(re.compile(r"/surveys/new$"))
    page.wait_for_load_state()
    page.get_by_label("Campaign").select_option(label=CAMPAIGN)
    questionnaire = page.get_by_label("Questionnaire")
    expect(questionnaire.locator("option")).to_have_text(["Survey 1"])  # htmx refilled it
    questionnaire.select_option(label="Survey 1")
    page.get_by_role("button", name="Start survey").click()
    expect(page).to_have_url(SURVEY_URL)
    page.wait_for_load_state()
    expect_question(page, LIKED)
    return int(SURVEY_URL.search(page.url).group(1))


def open_runner(page: Page, app) -> int:
    log_in(page)
    page.goto(f"/contacts/{sample_contact_id(app)}")
    return start_survey_from_card(page)


def expect_question(page: Page, text: str, focused: bool = True) -> None:
    """The question on screen is `text`, and (after a swap) the cursor is in its answer input."""
    expect(page.locator("#question-text")).to_have_text(text)
    page.wait_for_function(SETTLED)
    if focused:
        page.wait_for_function(ANSWER_FOCUSED)


def option(page: Page, label: str):
    return page.locator("#question").get_by_role("radio", name=label, exact=True)


def next_button(page: Page):
    return page.locator("#question").get_by_role("button", name="Next")


def answers_in_review(page: Page) -> list[list[str]]:
    """The rows of #customer-answers as [question, answer]."""
    rows = page.locator("#customer-answers tbody tr")
    return [[cell.strip() for cell in row.locator("td").all_inner_texts()[1:3]]
            for row in rows.all()]


def history_row(page: Page):
    return page.locator("#customer-surveys tbody tr").filter(has_text="Survey 1")


# --- the tests -------------------------------------------------------------------------------

def test_operator_runs_survey_one_with_keyboard_back_and_mouse(page: Page):
    log_in(page)
    search = page.get_by_label("Find a contact by name or phone")
    expect(search).to_be_focused()
    search.press_sequentially("050 123-45-67")  # live htmx search, no Enter
    page.get_by_role("link", name=SAMPLE_CONTACT).click()
    expect(page.get_by_role("heading", name=SAMPLE_CONTACT)).to_be_visible()
    survey_id = start_survey_from_card(page)
    client = page.locator("#client-data")
    for fact in (SAMPLE_CONTACT, "Our company", "Молниста Наталья",
                 "aleksandra-ulianenko@gmail.com"):
        expect(client).to_contain_text(fact)
    page.evaluate("window.__marker = 1")  # gone if the page ever reloads

    # Q1 by keyboard: "2" picks Ні, Enter goes Next
    page.keyboard.press("2")
    expect(option(page, "Ні")).to_be_checked()
    expect(option(page, "Ні")).to_be_focused()
    page.keyboard.press("Enter")
    expect_question(page, NPS)
    expect(page.locator("#answer-value")).to_be_focused()
    page.keyboard.type("5")
    page.keyboard.press("Enter")
    expect_question(page, DISLIKED)

    # Esc back to Q2 (5 kept), the Back button back to Q1 (Ні kept), Enter forward again
    page.keyboard.press("Escape")
    expect_question(page, NPS)
    expect(page.locator("#answer-value")).to_have_value("5")
    page.locator("#question").get_by_role("button", name="Back").click()
    expect_question(page, LIKED)
    expect(option(page, "Ні")).to_be_checked()
    expect(option(page, "Ні")).to_be_focused()
    page.keyboard.press("Enter")
    expect_question(page, NPS)
    expect(page.locator("#answer-value")).to_have_value("5")

    # a new NPS by mouse takes the other branch
    page.locator("#answer-value").fill("8")
    next_button(page).click()
    expect_question(page, EMAIL)
    option(page, "Так").click()
    next_button(page).click()
    expect_question(page, TIME)
    expect(page.locator("#question .progress")).to_have_text("Question 4 of 4")
    page.screenshot(path="/tmp/survey-run.png", full_page=True)
    assert page.evaluate("window.__marker") == 1, "the page reloaded during the survey"
    page.keyboard.press("4")
    expect(option(page, "18:00-21:00")).to_be_checked()
    page.keyboard.press("Enter")

    # HX-Redirect to the card
    expect(page).to_have_url(re.compile(rf"/contacts/\d+\?survey={survey_id}$"))
    expect(page.locator(".flash-success")).to_have_text("Survey completed")
    row = history_row(page)
    expect(row).to_have_count(1)
    expect(row).to_have_class("highlight")
    expect(row).to_contain_text("Completed")
    page.screenshot(path="/tmp/card-done.png", full_page=True)
    row.get_by_role("link", name="Survey 1").click()
    expect(page).to_have_url(SURVEY_URL)
    expect(page.locator("#customer-answers tbody tr")).to_have_count(4)
    # the review tells the supervisor the NPS was 5 before the operator went Back
    assert answers_in_review(page) == [[LIKED, "Ні"], [NPS, "8\nchanged from: 5"], [EMAIL, "Так"],
                                       [TIME, "18:00-21:00"]]
    expect(page.locator("#customer-answers")).not_to_contain_text(DISLIKED)


def test_cancel_asks_first_and_keeps_the_partial_answer(page: Page, app):
    survey_id = open_runner(page, app)
    option(page, "Так").click()
    next_button(page).click()
    expect_question(page, NPS)
    url = page.url
    messages = []

    def dismiss(dialog):
        messages.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Cancel survey").click()
    expect_question(page, NPS, focused=False)  # no swap: the focus stays on the button
    assert messages == ["Cancel this survey? The answers given so far are kept."]
    assert page.url == url
    with app.app_context():
        survey = db.session.get(CustomerSurvey, survey_id)
        assert (survey.status, survey.step) == (SurveyStatus.IN_PROGRESS, 1)

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Cancel survey").click()
    expect(page).to_have_url(re.compile(r"/contacts/\d+$"))
    expect(page.locator(".flash")).to_have_text(
        "Survey cancelled. The answers given so far are kept.")
    expect(page.locator(".open-surveys")).to_have_count(0)
    row = history_row(page)
    expect(row).to_have_count(1)
    expect(row.locator(".badge")).to_have_text("Cancelled")
    row.get_by_role("link", name="Survey 1").click()
    expect(page.locator("#customer-answers tbody tr")).to_have_count(1)
    assert answers_in_review(page) == [[LIKED, "Так"]]


def test_double_click_on_next_records_the_answer_once(page: Page, app):
    survey_id = open_runner(page, app)
    option(page, "Так").click()
    next_button(page).dblclick()
    expect_question(page, NPS)
    expect(page.locator("#question .progress")).to_have_text("Question 2 of 3–4")
    page.locator("#answer-value").fill("9")
    # two clicks in the same task: the second one lands before any answer arrives
    page.evaluate("() => { const b = document.getElementById('next-button');"
                  " b.click(); b.click(); }")
    expect_question(page, EMAIL)
    expect(page.locator("#question .progress")).to_have_text("Question 3 of 3–4")
    option(page, "Ні").click()
    next_button(page).dblclick()
    expect(page).to_have_url(re.compile(rf"\?survey={survey_id}$"))
    expect(page.locator(".flash-success")).to_have_text("Survey completed")
    expect(page.locator("#toast")).to_be_hidden()
    page.goto(f"/surveys/{survey_id}")
    expect(page.locator("#customer-answers tbody tr")).to_have_count(3)
    assert answers_in_review(page) == [[LIKED, "Так"], [NPS, "9"], [EMAIL, "Ні"]]
    with app.app_context():
        answered = db.session.scalar(select(func.count()).select_from(SurveyEvent).where(
            SurveyEvent.survey_id == survey_id, SurveyEvent.kind == "answered"))
        stored = db.session.scalar(select(func.count()).select_from(CustomerAnswer).where(
            CustomerAnswer.survey_id == survey_id))
    assert (answered, stored) == (3, 3)


def test_survey_left_in_progress_is_resumed_from_the_card(page: Page, app):
    open_runner(page, app)
    option(page, "Так").click()
    next_button(page).click()
    expect_question(page, NPS)
    page.keyboard.type("9")
    page.keyboard.press("Enter")
    expect_question(page, EMAIL)
    page.locator(".crumbs").get_by_role("link", name=SAMPLE_CONTACT).click()
    expect(page).to_have_url(re.compile(r"/contacts/\d+$"))
    in_progress = page.locator(".open-surveys")
    expect(in_progress).to_contain_text("Survey 1")
    expect(in_progress).to_contain_text("2 answers given.")
    expect(history_row(page).locator(".badge")).to_have_text("In progress")
    in_progress.get_by_role("button", name="Resume survey").click()
    expect(page).to_have_url(SURVEY_URL)
    expect_question(page, EMAIL)
    expect(page.locator("#question .progress")).to_have_text("Question 3 of 3–4")
    # the earlier answers are still there behind Back (the keys bind once the page's
    # deferred scripts have run: a key pressed before that does nothing, as for a person)
    page.wait_for_load_state("load")
    page.keyboard.press("Escape")
    expect_question(page, NPS)
    expect(page.locator("#answer-value")).to_have_value("9")


def open_runner_at_nps(page: Page, app) -> int:
    """Start Survey 1 and answer the first question with key 1 and Enter."""
    survey_id = open_runner(page, app)
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    expect_question(page, NPS)
    return survey_id


def test_reload_mid_survey_shows_the_same_question(page: Page, app):
    open_runner_at_nps(page, app)
    page.keyboard.type("2")
    page.keyboard.press("Enter")
    expect_question(page, "Чи хочете ви відписатись?")
    page.evaluate("window.__marker = 1")
    page.reload()
    expect_question(page, "Чи хочете ви відписатись?")
    expect(page.locator("#question .progress")).to_have_text("Question 3 of 3")
    assert page.evaluate("window.__marker") is None
    expect(option(page, "Так")).to_be_focused()


def test_keys_pressed_right_after_a_swap_never_reload_the_page(page: Page, app):
    survey_id = open_runner(page, app)
    page.evaluate("window.__marker = 1")
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    # no wait for htmx to settle: type the NPS as soon as the question text is there
    expect(page.locator("#question-text")).to_have_text(NPS)
    page.locator("#answer-value").fill("9")
    page.keyboard.press("Enter")
    expect(page.locator("#question-text")).to_have_text(EMAIL)
    page.keyboard.press("Escape")
    expect(page.locator("#question-text")).to_have_text(NPS)
    assert page.evaluate("window.__marker") == 1, "the page reloaded"
    with app.app_context():
        assert db.session.get(CustomerSurvey, survey_id).step == 1


def test_number_outside_the_range_shows_the_servers_message_and_stays(page: Page, app):
    open_runner_at_nps(page, app)
    page.keyboard.type("11")
    page.keyboard.press("Enter")
    expect(page.locator("#answer-error")).to_have_text("Please enter a number from 1 to 10.")
    expect(page.locator("#question-text")).to_have_text(NPS)
    expect(page.locator("#answer-value")).to_be_focused()
    expect(page.locator("#answer-value")).to_have_value("11")  # kept to be corrected


def test_esc_in_a_free_text_answer_keeps_what_was_typed(page: Page, app):
    open_runner(page, app)
    page.keyboard.press("2")  # Ні: on to the rating
    page.keyboard.press("Enter")
    expect_question(page, NPS)
    page.keyboard.type("5")
    page.keyboard.press("Enter")
    expect_question(page, DISLIKED)
    page.keyboard.type("Звук переривався")
    page.keyboard.press("Escape")
    expect_question(page, NPS)
    page.reload()  # kept by the server, not by the page
    expect_question(page, NPS)
    page.keyboard.press("Enter")
    expect_question(page, DISLIKED)
    expect(page.locator("#answer-value")).to_have_value("Звук переривався")


# the physical key 2 on a French (AZERTY) keyboard types "é": keydown carries both
PRESS_ON_AZERTY = """([key, code]) => document.activeElement.dispatchEvent(
  new KeyboardEvent("keydown", {key, code, bubbles: true, cancelable: true}))"""


def test_digits_work_on_any_layout_and_0_records_a_refusal(page: Page, app):
    from tests.survey.test_refusals import _allow_refusal
    _allow_refusal(app, LIKED)
    survey_id = open_runner(page, app)
    page.evaluate(PRESS_ON_AZERTY, ["é", "Digit2"])
    expect(option(page, "Ні")).to_be_checked()
    page.evaluate(PRESS_ON_AZERTY, ["à", "Digit0"])
    refusal = page.locator("#question").get_by_role("radio", name="Refused / don’t know")
    expect(refusal).to_be_checked()
    page.keyboard.press("2")
    expect(option(page, "Ні")).to_be_checked()
    page.keyboard.press("0")  # on the operator's own layout
    expect(refusal).to_be_checked()
    page.keyboard.press("Enter")
    expect_question(page, NPS)  # the refusal follows the "any other answer" way
    with app.app_context():
        stored = db.session.scalars(select(CustomerAnswer).where(
            CustomerAnswer.survey_id == survey_id)).one()
        assert stored.refused and stored.answer_text == "Refused / don’t know"
