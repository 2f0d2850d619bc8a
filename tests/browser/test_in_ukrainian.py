"""The app in a browser that asks for Ukrainian: the login, Survey 1 run to the end with
Далі / Назад, the card, the language switch, and a pop in Ukrainian beside an English one."""
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import browser_page
from tests.browser.test_pop_in_browser import ANSWERED, held_call
from tests.browser.test_survey_in_browser import (
    EMAIL,
    LIKED,
    NPS,
    SETTLED,
    SURVEY_URL,
    TIME,
)
from tests.helpers import SAMPLE_CONTACT

# end to end: run on PostgreSQL, the production database (tests/conftest.py)
pytestmark = pytest.mark.database("postgresql")


@pytest.fixture
def ukrainian(browser, live_server):
    """A page in a browser whose language is Ukrainian, on a 1366x768 screen."""
    with browser_page(browser, live_server, locale="uk-UA", viewport=(1366, 768)) as page:
        yield page


def log_in(page: Page, username: str = "operator") -> None:
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    page.get_by_label("Ім'я користувача").fill(username)
    page.get_by_label("Пароль").fill("demo")
    page.get_by_role("button", name="Увійти").click()
    expect(page).to_have_url(re.compile(r"/contacts$"))
    page.wait_for_load_state()


def question_is(page: Page, text: str) -> None:
    expect(page.locator("#question-text")).to_have_text(text)
    page.wait_for_function(SETTLED)


def choose(page: Page, label: str) -> None:
    page.locator("#question").get_by_role("radio", name=label, exact=True).check()


def next_step(page: Page) -> None:
    page.locator("#question").get_by_role("button", name="Далі").click()


def test_an_operator_runs_survey_one_in_ukrainian(ukrainian: Page):
    page = ukrainian
    log_in(page)
    expect(page).to_have_title("Контакти · Опитування клієнтів")
    page.get_by_label("Пошук контакту за ім’ям або телефоном").press_sequentially("Уляненко")
    page.get_by_role("link", name=SAMPLE_CONTACT).click()
    card = page.locator("#client-data")
    for words in ("Контрагент", "Відповідальний", "Мова спілкування", "Країна"):
        expect(card).to_contain_text(words)
    page.get_by_role("link", name="Почати опитування").click()
    expect(page.get_by_role("heading", name="Оберіть кампанію")).to_be_visible()
    page.wait_for_load_state()
    page.get_by_label("Кампанія").select_option(label='Conference "CRM Days"')
    expect(page.get_by_label("Опитувальник").locator("option")).to_have_text(["Survey 1"])
    page.get_by_role("button", name="Почати опитування").click()
    expect(page).to_have_url(SURVEY_URL)
    page.wait_for_load_state()

    question_is(page, LIKED)
    expect(page.locator("#question").get_by_role("button", name="Назад")).to_be_disabled()
    choose(page, "Ні")
    next_step(page)
    question_is(page, NPS)
    page.locator("#answer-value").fill("0")
    next_step(page)
    expect(page.locator("#answer-error")).to_have_text("Введіть число від 1 до 10.")
    page.locator("#answer-value").fill("8")
    next_step(page)
    question_is(page, EMAIL)
    page.locator("#question").get_by_role("button", name="Назад").click()
    question_is(page, NPS)
    expect(page.locator("#answer-value")).to_have_value("8")
    next_step(page)
    question_is(page, EMAIL)
    choose(page, "Так")
    next_step(page)
    question_is(page, TIME)
    choose(page, "18:00-21:00")
    next_step(page)

    expect(page).to_have_url(re.compile(r"/contacts/\d+\?survey=\d+$"))
    expect(page.locator(".flash-success")).to_have_text("Опитування завершено")
    surveys = page.locator("#contact-details")
    expect(surveys.get_by_role("heading", name="Опитування клієнта")).to_be_visible()
    row = page.locator("#customer-surveys tbody tr").filter(has_text="Survey 1")
    expect(row).to_contain_text("Завершено")
    expect(row).to_contain_text(re.compile(r"\d\d\.\d\d\.\d{4} \d\d:\d\d"))
    page.screenshot(path="/tmp/card-uk.png", full_page=True)


def test_the_header_switch_changes_the_language_and_keeps_the_page(ukrainian: Page, app):
    page = ukrainian
    log_in(page)
    page.goto("/calls")
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(r"/calls$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Calls")).to_be_visible()
    page.get_by_role("button", name="Українська").click()
    expect(page.get_by_role("heading", name="Дзвінки")).to_be_visible()


def test_the_login_page_switch_is_kept_after_logging_in(browser, live_server):
    with browser_page(browser, live_server) as page:
        page.goto("/login")
        expect(page.get_by_role("button", name="Log in")).to_be_visible()
        page.get_by_role("button", name="Українська").click()
        page.get_by_label("Ім'я користувача").fill("operator")
        page.get_by_label("Пароль").fill("demo")
        page.get_by_role("button", name="Увійти").click()
        expect(page.get_by_role("heading", name="Контакти")).to_be_visible()


def _log_in_english(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/contacts$"))


def _live(page: Page, words: str) -> None:
    expect(page.locator("#ws-status")).to_have_attribute("aria-label", words)
    expect(page.locator("#pbx-status")).to_have_attribute(
        "aria-label", re.compile(r"^(Зв’язок з АТС|PBX link)"))


UK_STATES = re.compile(r"^(Вхідний дзвінок|Вихідний дзвінок|Іде розмова|На утриманні|Завершено)")
EN_STATES = re.compile(r"^(Incoming call|Calling out|Talking|On hold|Ended)")


def test_pops_ring_in_ukrainian_for_one_operator_and_in_english_for_another(
        ukrainian: Page, browser, live_server, app, pbx):
    with browser_page(browser, live_server) as english:
        log_in(ukrainian)  # 305
        _log_in_english(english, "operator2")  # 306, in the same server process
        _live(ukrainian, "З’єднання в реальному часі: працює")
        _live(english, "Live connection: working")
        pbx("concurrent_calls.ami")  # calls to both operators, interleaved
        for page, states, dismiss in ((ukrainian, UK_STATES, "Закрити вікно дзвінка"),
                                      (english, EN_STATES, "Dismiss the call pop")):
            pops = page.locator("#call-pops .pop")
            expect(pops.first).to_be_visible()
            expect(pops.first.locator(".pop-state")).to_have_text(states)
            expect(pops.first.get_by_role("button", name=dismiss)).to_be_visible()
        expect(ukrainian.locator("#call-pops .pop-state").first).not_to_have_text(EN_STATES)
        expect(english.locator("#call-pops .pop-state").first).not_to_have_text(UK_STATES)
        expect(english.locator("#pbx-status")).to_have_attribute(
            "aria-label", re.compile(r"^PBX link working: connected to 127\.0\.0\.1"))
        expect(ukrainian.locator("#pbx-status")).to_have_attribute(
            "aria-label", re.compile(r"^Зв’язок з АТС працює: під’єднано до 127\.0\.0\.1"))


def test_a_call_rings_talks_and_ends_in_ukrainian(ukrainian: Page, pbx):
    log_in(ukrainian)
    _live(ukrainian, "З’єднання в реальному часі: працює")
    answer, hang_up, pauses = held_call(ANSWERED)
    pbx(ANSWERED, pauses=pauses)
    pop = ukrainian.locator("#call-pops").get_by_role("region", name="Дзвінок +380 50 123 4567")
    expect(pop.locator(".pop-state")).to_have_text("Вхідний дзвінок")
    expect(pop).to_contain_text("Від +380 50 123 4567")
    expect(pop.get_by_role("link", name="Почати опитування")).to_be_visible()
    answer.set()
    expect(pop.locator(".pop-state")).to_have_text("Іде розмова")
    expect(pop.get_by_role("button", name="Покласти слухавку")).to_be_visible()
    hang_up.set()
    expect(pop.locator(".pop-state")).to_have_text(re.compile(r"^Завершено · \d+ с$"))
    ukrainian.screenshot(path="/tmp/pop-uk.png", full_page=True)
