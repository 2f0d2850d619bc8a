"""Dates, times, durations, numbers and plurals follow the page's language, in TIMEZONE; the
date filters take and show the same format as the rest of the page."""
import datetime as dt
import re

import pytest
from flask_babel import force_locale, ngettext

from survey_app import formatting
from survey_app.telephony.calls import events as ev
from tests.helpers import sample_contact_id

UK = {"Accept-Language": "uk"}
EN = {"Accept-Language": "en"}
T0 = dt.datetime(2026, 11, 25, 7, 5, 9, tzinfo=dt.UTC).timestamp()  # 09:05:09 in Kyiv


@pytest.mark.parametrize(("count", "words"), [
    (1, "1 дзвінок"), (2, "2 дзвінки"), (4, "4 дзвінки"), (5, "5 дзвінків"), (11, "11 дзвінків"),
    (12, "12 дзвінків"), (21, "21 дзвінок"), (22, "22 дзвінки"), (25, "25 дзвінків"),
    (111, "111 дзвінків"), (0, "0 дзвінків"),
])
def test_ukrainian_plurals(app, count, words):
    with app.test_request_context(), force_locale("uk"):
        assert ngettext("Today: %(num)s call.", "Today: %(num)s calls.", count) == \
            f"Сьогодні: {words}."


@pytest.mark.parametrize(("count", "words"), [(1, "1 call"), (2, "2 calls"), (21, "21 calls")])
def test_english_plurals(app, count, words):
    with app.test_request_context(), force_locale("en"):
        assert ngettext("Today: %(num)s call.", "Today: %(num)s calls.", count) == \
            f"Today: {words}."


@pytest.mark.parametrize(("language", "when", "short", "seconds", "day", "number"), [
    ("uk", "25.11.2026 09:05", "09:05:09", "25.11.2026 09:05:09", "31.05.1989", "10\xa0000"),
    ("en", "25/11/2026 09:05", "09:05:09", "25/11/2026 09:05:09", "31/05/1989", "10,000"),
])
def test_times_dates_and_numbers_by_language_in_the_configured_zone(
        app, language, when, short, seconds, day, number):
    moment = dt.datetime(2026, 11, 25, 7, 5, 9)  # stored naive UTC
    with app.test_request_context(), force_locale(language):
        assert formatting.localtime(moment) == when
        assert formatting.localtime(moment, "time") == short
        assert formatting.localtime(moment, "seconds") == seconds
        assert formatting.day(dt.date(1989, 5, 31)) == day
        assert formatting.number(10_000) == number


@pytest.mark.parametrize(("language", "seconds", "words"), [
    ("uk", 74, "1 хв 14 с"), ("uk", 42, "42 с"), ("uk", 3725, "1 год 02 хв"),
    ("en", 74, "1 min 14 s"), ("en", 42, "42 s"), ("en", 3725, "1 h 02 min"),
])
def test_durations_by_language(app, language, seconds, words):
    with app.test_request_context(), force_locale(language):
        assert formatting.duration(seconds) == words


def test_the_card_writes_its_dates_the_ukrainian_way(app, operator):
    page = operator.get(f"/contacts/{sample_contact_id(app)}", headers=UK).text
    assert "31.05.1989 · День народження" in page
    assert "Мобільний: +380 50 123 4567" in page and "Контрагент" in page


@pytest.fixture
def two_calls(app):
    pipeline = app.extensions["telephony"]
    for n, (day_offset, outcome) in enumerate([(0, "answered"), (1, "no_answer")]):
        at = T0 + day_offset * 86_400
        pipeline.apply([ev.CallEvent(ev.RINGING, f"{n}.1", "305", ev.INBOUND,
                                     number="+380501234567", at=at),
                        ev.CallEvent(ev.ENDED, f"{n}.1", "305", ev.INBOUND, outcome=outcome,
                                     at=at + 30)])


def _rows(page: str) -> int:
    return page.count('<td><a href="/contacts/')


@pytest.mark.parametrize(("headers", "typed", "shown"), [
    (UK, "26.11.2026", "26.11.2026"), (EN, "26/11/2026", "26/11/2026"),
    (UK, "2026-11-26", "26.11.2026"),  # a bookmarked ISO link still works, shown the page's way
])
def test_the_date_filter_takes_and_shows_the_pages_own_format(supervisor, two_calls, headers,
                                                              typed, shown):
    page = supervisor.get(f"/calls?from={typed}&to={typed}", headers=headers).text
    assert _rows(page) == 1
    assert f'value="{shown}"' in _input(page, "from") and f'value="{shown}"' in _input(page, "to")


@pytest.mark.parametrize(("headers", "typed", "message"), [
    (UK, "31.02.2026", "«31.02.2026» — не дата: напишіть так: "),
    (UK, "вчора", "«вчора» — не дата"),
    (EN, "11/26/2026", "“11/26/2026” is not a date: write it as "),  # month first: not British
])
def test_a_date_that_is_not_one_is_named_and_filters_nothing(supervisor, two_calls, headers,
                                                             typed, message):
    page = supervisor.get(f"/calls?from={typed}", headers=headers).text
    assert _rows(page) == 2
    assert message in page.replace("&#34;", '"')
    assert 'aria-invalid="true"' in _input(page, "from")
    assert 'aria-describedby="from-error"' in _input(page, "from")
    assert 'id="from-error"' in page


def _input(page: str, name: str) -> str:
    [tag] = re.findall(rf'<input[^>]*name="{name}"[^>]*>', page)
    return tag


def test_the_calls_figures_speak_ukrainian(supervisor, two_calls):
    page = supervisor.get("/calls", headers=UK).text
    assert "<strong>2</strong> плечі операторів" in page
    assert "2 дзвінки: прийнято 1 (50%) · пропущено" in page
    assert "Прийнято: 1 (50%)" in page and "Без відповіді: 1 (50%)" in page
    assert "Вхідний" in page and "25.11.2026 09:05:09" in page
