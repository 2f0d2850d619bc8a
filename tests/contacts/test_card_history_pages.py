"""The card's history of surveys a page at a time: newest first, Older and Newer links that
work without JavaScript, an htmx click that redraws the section alone, and the surveys in
progress shown whichever page they are on."""
import datetime as dt
import re

import pytest

from survey_app.extensions import db
from survey_app.models import CustomerSurvey, SurveyStatus, User
from tests.helpers import sample_contact_id

START = dt.datetime(2026, 1, 1, 9, 0)


@pytest.fixture
def card(app):
    """The sample contact with 45 completed surveys an hour apart and one left open, the
    oldest; the card's address."""
    contact_id = sample_contact_id(app)
    with app.app_context():
        operator_id = db.session.scalar(db.select(User.id).where(User.username == "operator"))
        for n in range(46):
            db.session.add(CustomerSurvey(
                contact_id=contact_id, questionnaire_id=1, campaign_id=1,
                operator_id=operator_id, started_at=START + dt.timedelta(hours=n),
                status=SurveyStatus.IN_PROGRESS if n == 0 else SurveyStatus.COMPLETED))
        db.session.commit()
    return f"/contacts/{contact_id}"


def _history_dates(page: str) -> list[str]:
    table = re.search(r'id="customer-surveys">(.*?)</table>', page, re.S).group(1)
    return re.findall(r'data-label="Date" class="nowrap">([^<]*)<', table)


def test_the_card_shows_the_newest_twenty_surveys_and_a_way_to_older_ones(operator, card):
    page = operator.get(card).text
    dates = _history_dates(page)
    assert len(dates) == 20 and dates[0] == "03/01/2026 08:00"  # 9:00 UTC + 45 h, in Kyiv
    assert "Page 1 of 3 (46 in all)" in page and f'href="{card}?surveys_page=2"' in page
    assert "Newer" not in page.split('id="survey-history"')[1].split("</section>")[0]
    assert "Surveys in progress" in page  # the open one is the oldest, on page 3


def test_the_last_page_has_the_rest_and_a_way_back(operator, card):
    page = operator.get(f"{card}?surveys_page=3").text
    assert len(_history_dates(page)) == 6 and "Page 3 of 3 (46 in all)" in page
    assert f'href="{card}?surveys_page=2"' in page and "Older" not in page


@pytest.mark.parametrize("asked, shown", [("99", 3), ("0", 1), ("-4", 1), ("abc", 1)])
def test_a_page_out_of_range_or_garbage_shows_the_nearest_one(operator, card, asked, shown):
    page = operator.get(f"{card}?surveys_page={asked}")
    assert page.status_code == 200 and f"Page {shown} of 3 (46 in all)" in page.text


def test_an_htmx_pager_click_gets_the_section_alone_keeping_the_calls_page(operator, card):
    fragment = operator.get(f"{card}?surveys_page=2&calls_page=1", headers={
        "HX-Request": "true", "HX-Target": "survey-history"}).text
    assert fragment.startswith('<section id="survey-history"') and "<html" not in fragment
    assert len(_history_dates(fragment)) == 20 and "Page 2 of 3" in fragment
    assert f'hx-get="{card}?surveys_page=3&amp;calls_page=1"' in fragment
    assert 'hx-push-url="true"' in fragment


def test_a_survey_page_shows_the_history_with_links_to_the_card(app, operator, card):
    from tests.helpers import start_survey
    url = start_survey(operator, sample_contact_id(app))
    page = operator.get(url).text
    assert "Page 1 of 3 (46 in all)" in page and f'href="{card}?surveys_page=2"' in page
    assert "hx-push-url" not in page.split('id="survey-history"')[1]  # not this page's address


def _statements(app, client, url: str) -> list[str]:
    from sqlalchemy import event
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def note(conn, cursor, statement, *args):
        seen.append(" ".join(statement.split()).lower())
    event.listen(engine, "before_cursor_execute", note)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return seen


def test_a_card_whose_histories_fit_on_a_page_is_read_without_counting(app, operator):
    """Most contacts have fewer than 20 surveys and calls: a page that is not full is the
    last one, so its total needs no COUNT; the surveys come with their questionnaire,
    campaign and operator in one statement."""
    seen = _statements(app, operator, f"/contacts/{sample_contact_id(app)}")
    assert not [s for s in seen if "count(" in s]
    assert len([s for s in seen if s.startswith("select") and "from customer_surveys" in s
                and "join questionnaires" in s]) == 2  # the history's page and those open
    assert len(seen) <= 8


def test_a_full_page_is_counted_to_tell_how_many_pages_follow(app, operator, card):
    seen = _statements(app, operator, f"{card}?surveys_page=2")
    assert len([s for s in seen if "count(" in s]) == 1
    assert "Page 2 of 3 (46 in all)" in operator.get(f"{card}?surveys_page=2").text
