"""The Surveys list: who sees which surveys, every filter, sorting, pages and bad input."""
import datetime as dt

import pytest
from sqlalchemy import event, select, text

from survey_app.extensions import db
from survey_app.models import Questionnaire, SurveyStatus, User
from tests.helpers import login
from tests.supervision.conftest import Stored, listed, store

NEWEST_FIRST = [3, 0, 1, 2, 7, 5, 6, 4]  # the shift's surveys by start, newest first


def _ids(shift, order):
    return [shift[n] for n in order]


def test_supervisor_sees_every_survey_newest_first(app, client, shift):
    login(client, "supervisor")
    page = client.get("/surveys").text
    assert listed(page) == _ids(shift, NEWEST_FIRST)
    assert "Surveys 1–8 of 8" in page
    assert '<span class="badge badge-abandoned">Abandoned</span>' in page
    assert page.count('<span class="badge badge-stale">Stale</span>') == 1  # 20 hours, not 0.5
    assert "5 of 5" in page and "2 of 5" in page


def test_operator_sees_only_their_own_and_no_operator_filter(app, client, shift):
    login(client, "operator")
    page = client.get("/surveys").text
    assert listed(page) == _ids(shift, [0, 1, 7, 6, 4])
    assert 'name="operator"' not in page and "Your own surveys." in page
    # naming another operator in the address changes nothing
    assert listed(client.get("/surveys?operator=2").text) == _ids(shift, [0, 1, 7, 6, 4])


def test_marketer_is_sent_to_the_results_instead(app, client, shift):
    login(client, "marketer")
    response = client.get("/surveys")
    assert response.status_code == 403
    assert "a questionnaire’s results are on its Results page" in response.text
    assert 'href="/surveys"' not in client.get("/contacts").text  # no link in the frame


@pytest.mark.parametrize("query, expected", [
    ("status=completed", [0, 2, 5, 6]),
    ("status=in_progress", [3, 7]),
    ("status=stale", [7]),
    ("status=abandoned", [4]),
    ("status=cancelled", [1]),
    ("reviewed=yes", [0, 2]),
    ("reviewed=no", [3, 1, 7, 5, 6, 4]),
    ("campaign=2", [5]),
    ("status=completed&reviewed=no", [5, 6]),
])
def test_filters_narrow_the_list(app, client, shift, query, expected):
    login(client, "supervisor")
    assert listed(client.get(f"/surveys?{query}").text) == _ids(shift, expected)


def test_filter_by_operator_contact_and_questionnaire(app, client, shift):
    login(client, "supervisor")
    with app.app_context():
        operator2 = db.session.scalar(select(User.id).where(User.username == "operator2"))
        webinar = db.session.scalar(select(Questionnaire.key).where(
            Questionnaire.name == "Webinar invitation"))
    assert listed(client.get(f"/surveys?operator={operator2}").text) == _ids(shift, [3, 2, 5])
    assert listed(client.get("/surveys?contact=Уляненко").text) == _ids(shift, [6])
    assert listed(client.get(f"/surveys?questionnaire={webinar}").text) == _ids(shift, [5])
    assert listed(client.get(f"/surveys?questionnaire={webinar}&version=1").text) == \
        _ids(shift, [5])
    no_such = client.get(f"/surveys?questionnaire={webinar}&version=2").text
    assert "This questionnaire has no version 2." in no_such  # and it is left out
    assert listed(no_such) == _ids(shift, [5])


def test_days_are_the_centres_days(app, client):
    """22:30 UTC on 24 November is already the 25th in Kyiv (UTC+2)."""
    late = dt.datetime(2026, 11, 24, 22, 30)
    ids = store(app, [Stored("operator", SurveyStatus.COMPLETED, 0)], now=late)
    login(client, "supervisor")
    assert listed(client.get("/surveys?from=25.11.2026&to=25.11.2026").text) == ids
    assert listed(client.get("/surveys?from=2026-11-24&to=2026-11-24").text) == []


def test_sorting_by_a_column_and_back(app, client, shift):
    login(client, "supervisor")
    page = client.get("/surveys").text
    assert 'href="/surveys?sort=-duration"' in page  # longest first at the first click
    assert 'href="/surveys?sort=contact"' in page  # names from A
    longest = listed(client.get("/surveys?sort=-duration").text)
    assert longest[:2] == _ids(shift, [2, 6])  # 6 and 5 minutes; the open ones last
    assert longest[-2:] == _ids(shift, [7, 3])
    assert listed(client.get("/surveys?sort=duration").text)[:2] == _ids(shift, [1, 4])
    by_score = listed(client.get("/surveys?sort=-score").text)
    assert by_score[:2] == _ids(shift, [0, 2])
    assert 'aria-sort="ascending"' in client.get("/surveys?sort=contact").text


@pytest.mark.parametrize("sort", ["-duration", "duration", "-started"])
def test_a_sorted_first_page_is_read_in_order_from_an_index(app, client, shift, sort):
    """With 100,000 surveys, sorting them all for a page of 50 took over 200 ms: the plan of
    the page's query may not sort them (the open surveys, with no duration, last either way)."""
    login(client, "supervisor")
    statements = []
    listen = lambda *args: statements.append((args[2], args[3]))  # noqa: E731
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            client.get(f"/surveys?sort={sort}")
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
        page = [(s, p) for s, p in statements if "ORDER BY" in s and "LIMIT" in s]
        assert len(page) == 1
        plan = _plan(db.session.connection(), *page[0])
    # an incremental sort orders only the rows of equal start by id: cheap
    sorts = [step for step in plan if "TEMP B-TREE FOR ORDER BY" in step
             or step.lstrip(" ->").startswith("Sort  (")]
    assert plan and not sorts, "\n".join([page[0][0], *plan])


def _plan(connection, statement: str, parameters) -> list[str]:
    if connection.dialect.name == "sqlite":
        return [row[-1] for row in connection.exec_driver_sql(
            f"EXPLAIN QUERY PLAN {statement}", parameters)]
    # with sorting priced out, a plan keeps a sort only where no index gives the order
    connection.execute(text("SET LOCAL enable_sort = off"))
    return [row[0] for row in connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)]


@pytest.mark.parametrize("url", ["/surveys", "/calls", "/questionnaires/1/results"])
def test_all_in_a_filter_is_an_empty_value_not_the_word_none(app, client, shift, url):
    """The filters are a GET form: "All" sent as campaign=None&operator=None cluttered the
    address a supervisor bookmarks or shares."""
    login(client, "supervisor")
    page = client.get(url).text
    assert 'value="None"' not in page
    assert '<option selected value="">All</option>' in page


def test_pages_keep_the_filters(app, client, shift):
    app.config["SURVEYS_PER_PAGE"] = 3
    login(client, "supervisor")
    first = client.get("/surveys?reviewed=no").text
    assert listed(first) == _ids(shift, [3, 1, 7]) and "Page 1 of 2" in first
    assert 'href="/surveys?reviewed=no&amp;page=2"' in first
    second = client.get("/surveys?reviewed=no&page=2").text
    assert listed(second) == _ids(shift, [5, 6, 4]) and "Surveys 4–6 of 6" in second
    # a page past the end (the list shrank since) shows the last one
    assert listed(client.get("/surveys?reviewed=no&page=9").text) == _ids(shift, [5, 6, 4])


@pytest.mark.parametrize("query, message", [
    ("from=01.12.2026&to=01.11.2026", "The end of the range is before its start."),
    ("version=2", "Choose the questionnaire whose version to show."),
    ("version=0&questionnaire=x", "A version is a number from 1."),
    ("from=31.02.2026", "is not a date"),
    ("status=lost", "Not a valid choice"),
    ("operator=999", "Not a valid choice"),
])
def test_bad_filters_say_why_and_filter_nothing(app, client, shift, query, message):
    login(client, "supervisor")
    response = client.get(f"/surveys?{query}")
    assert response.status_code == 200
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    assert listed(response.text) == _ids(shift, NEWEST_FIRST)  # the bad filter left out


def test_a_version_the_questionnaire_does_not_have_is_named_and_left_out(app, client, shift):
    login(client, "supervisor")
    with app.app_context():
        key = db.session.scalar(select(Questionnaire.key).where(
            Questionnaire.name == "Survey 1"))
    response = client.get(f"/surveys?questionnaire={key}&version=9")
    assert "This questionnaire has no version 9." in response.text
    everyone = listed(client.get(f"/surveys?questionnaire={key}").text)
    assert listed(response.text) == everyone and len(everyone) == 7  # all its versions


@pytest.mark.parametrize("query", ["sort=password", "sort=", "page=-1", "page=x"])
def test_a_tampered_order_or_page_gives_the_first_page_newest_first(app, client, shift, query):
    login(client, "supervisor")
    response = client.get(f"/surveys?{query}")
    assert response.status_code == 200
    assert listed(response.text) == _ids(shift, NEWEST_FIRST)


def test_nothing_matches(app, client, shift):
    login(client, "supervisor")
    page = client.get("/surveys?contact=Ґґґґґ").text
    assert "No surveys match." in page and listed(page) == []
