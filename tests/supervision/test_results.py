"""A questionnaire's results checked against the surveys run for the test: totals, options,
numbers, free texts, refusals, the funnel, paths, handle time by version, operators, and who
may see which surveys' results."""
import datetime as dt
import re

import pytest
from flask import render_template_string
from sqlalchemy import select, update

from survey_app.authoring import versioning
from survey_app.extensions import db
from survey_app.models import (
    Contact,
    CustomerAnswer,
    CustomerSurvey,
    Question,
    Questionnaire,
    SurveyStatus,
    User,
)
from survey_app.models.scripts import AnswerKind
from survey_app.supervision import figures, results
from tests.helpers import login, screen_of, start_survey, step
from tests.supervision.conftest import Stored, store

# Survey 1: 1 (Так/Ні) -> 2 (NPS 1-10) -> 1-3: 5 (Так/Ні), 4-6: 4 (text), 7-10: 3 (Так/Ні)
# -> Так: 6 (the time). Each path: (answers, how it ends, operator, seconds it took)
RUNS = [
    (["Ні", "2", "Так"], "done", "operator", 60),          # 1 -> 2 -> 5
    (["Так", "5", "Погано чути"], "done", "operator", 120),  # 1 -> 2 -> 4
    (["Так", "9", "Ні"], "done", "operator2", 180),         # 1 -> 2 -> 3
    (["Ні", "2", "Ні"], "done", "operator", 240),           # 1 -> 2 -> 5
    (["Так", "5", "Затихо, погано чути"], "done", "operator2", 300),  # 1 -> 2 -> 4
    (["refuse", "5"], "cancel", "operator", None),          # question 1 refused; cancelled
    (["Ні"], "cancel", "operator2", None),                  # stopped after question 1
    ([], "leave", "operator", None),                        # still in progress, no answer
]


def _contacts(app, count: int) -> list[int]:
    with app.app_context():
        return db.session.scalars(select(Contact.id).order_by(Contact.id).limit(count)).all()


def _run(app, client, contact_id: int, answers: list[str], end: str,
         questionnaire_id: int = 1) -> int:
    url = start_survey(client, contact_id, questionnaire_id=questionnaire_id)
    screen = screen_of(client.get(url).text)
    for given in answers:
        if given == "refuse":
            data = screen.form(option_id="refused")
        elif given in screen.options:
            data = screen.form(option_id=screen.options[given])
        else:
            data = screen.form(value=given)
        response = step(client, url, "answer", data)
        if response.headers.get("HX-Redirect"):  # completed: 204 and the card
            break
        assert response.status_code == 200, response.text
        screen = screen_of(response.text)
    if end == "cancel":
        step(client, url, "cancel", {})
    return int(url.rsplit("/", 1)[1])


def _took(app, survey_id: int, seconds: int) -> None:
    """The survey started `seconds` before it finished (its start moved back)."""
    with app.app_context():
        survey = db.session.get(CustomerSurvey, survey_id)
        db.session.execute(update(CustomerSurvey).where(CustomerSurvey.id == survey_id)
                           .values(started_at=survey.finished_at - dt.timedelta(seconds=seconds)))
        db.session.commit()


def _allow_refusal_of_question_one(app) -> None:
    """Question 1 leads to question 2 whatever the answer, so a refusal goes there too."""
    with app.app_context():
        db.session.execute(update(Question).where(Question.text.startswith("Чи сподобався"))
                           .values(allows_refusal=True))
        db.session.execute(update(Questionnaire).where(Questionnaire.id == 1)
                           .values(revision=Questionnaire.revision + 1))  # graphs are cached
        db.session.commit()


def _operator_client(app, username):
    client = app.test_client()
    login(client, username)
    return client


@pytest.fixture
def surveys(app):
    """RUNS, run through the runner by two operators, with their handle times set."""
    _allow_refusal_of_question_one(app)
    clients = {name: _operator_client(app, name) for name in ("operator", "operator2")}
    ids = []
    for contact_id, (answers, end, operator, seconds) in zip(_contacts(app, len(RUNS)), RUNS,
                                                            strict=True):
        ids.append(_run(app, clients[operator], contact_id, answers, end))
        if seconds:
            _took(app, ids[-1], seconds)
    return ids


def _page(app, username="supervisor", query=""):
    client = _operator_client(app, username)
    response = client.get(f"/questionnaires/1/results{query}")
    assert response.status_code == 200
    return response.text


def _section(page: str, number: int) -> str:
    return re.search(rf'<h3 id="title-\w+">{number}\. .*?</section>', page, re.S).group(0)


def _options(section: str) -> dict[str, tuple[str, str]]:
    return {text: (count, share) for text, count, share in re.findall(
        r'<th scope="row">([^<]+)</th><td class="number">([^<]+)</td>'
        r'<td class="number">([^<]+)</td>', section)}


def test_totals_and_completion_rate(app, surveys):
    page = _page(app)
    totals = dict(re.findall(r'<dd id="total-(\w+)">(\d+)</dd>', page))
    assert totals == {"completed": "5", "cancelled": "2", "abandoned": "0", "in_progress": "1"}
    assert "<dt>Started</dt><dd>8</dd>" in page
    assert '<dd id="completion-rate">62%</dd>' in page  # 5 of 8, 62.5 rounded to even


def test_options_counted_with_their_shares(app, surveys):
    first = _section(_page(app), 1)
    assert _options(first) == {"Так": ("3", "50%"), "Ні": ("3", "50%")}  # of the 6 chosen
    assert "7 answers" in first and "refused or don’t know: 1 (14%)" in first
    assert _options(_section(_page(app), 5)) == {"Так": ("1", "50%"), "Ні": ("1", "50%")}


def test_numbers_as_a_histogram_with_the_median(app, surveys):
    nps = _section(_page(app), 2)
    assert "6 answers" in nps and "refused" not in nps
    assert "<p>Median 5</p>" in nps  # 2, 2, 5, 5, 5, 9: the third
    bars = re.findall(r"<title>(\d+): (\d+)</title>", nps)
    assert bars == [("2", "2"), ("5", "3"), ("9", "1")]


def test_a_number_with_many_values_is_drawn_in_round_ranges(app):
    """Ages 18 to 99 asked as a number: 82 bars would not be read, nor printed; 17 ranges
    five wide are, the empty ones kept so the shape reads true."""
    ages = {age: 1 for age in range(18, 100)} | {30: 4}
    for none in range(40, 45):  # nobody of these ages
        del ages[none]
    bars = figures.in_ranges(ages)
    assert len(bars) == 17 and bars[0] == ("15–19", 2) and bars[-1] == ("95–99", 5)
    assert ("30–34", 8) in bars and ("40–44", 0) in bars
    assert sum(count for _, count in bars) == sum(ages.values())
    assert figures.in_ranges({2: 2, 5: 3, 9: 1}) == [("2", 2), ("5", 3), ("9", 1)]  # few: each
    with app.test_request_context():
        svg = render_template_string('{% from "supervision/_charts.html" import histogram %}'
                                     '{{ histogram(bars, "Ages") }}', bars=bars)
    assert svg.count("<rect") == 17 and "<title>40–44: 0</title>" in svg
    assert 'viewBox="0 0 765 130"' in svg  # 17 bars, each as wide as "15–19" needs (45)


def test_free_texts_listed_newest_first_and_found_by_a_word(app, surveys):
    texts = _section(_page(app), 4)
    # by start: the 300-second survey started before the 120-second one
    assert re.findall(r"</a> ([^<]+)</li>", texts) == ["Погано чути", "Затихо, погано чути"]
    found = _section(_page(app, query="?q=затихо"), 4)
    assert re.findall(r"</a> ([^<]+)</li>", found) == ["Затихо, погано чути"]
    assert "No free answer matches." in _section(_page(app, query="?q=%25"), 4)


def test_more_free_texts_than_a_page_shows_are_a_click_away(app, monkeypatch):
    """25 free answers: the newest 20, and "Show more answers" for all of them; past
    TEXTS_MORE the page says how to read the rest."""
    ids = store(app, [Stored("operator", SurveyStatus.CANCELLED, 25 - n) for n in range(25)])
    with app.app_context():
        question = db.session.scalar(select(Question).where(Question.questionnaire_id == 1,
                                                            Question.kind == AnswerKind.TEXT))
        for n, survey_id in enumerate(ids):
            survey = db.session.get(CustomerSurvey, survey_id)
            survey.step = 1
            db.session.add(CustomerAnswer(
                survey_id=survey_id, position=1, question_id=question.id,
                question_number=question.number, question_text=question.text,
                text_value=f"відповідь {n}", answer_text=f"відповідь {n}",
                shown_at=survey.started_at, answered_at=survey.started_at))
        db.session.commit()
        number = question.number
    texts = _section(_page(app), number)
    assert len(re.findall(r"</a> відповідь (\d+)</li>", texts)) == 20
    more = re.search(r'<a href="([^"]+)">Show more answers</a>', texts).group(1)
    assert more.endswith(f"more={question.key}#question-{question.key}")
    everything = _section(_page(app, query=more.split("results", 1)[1].split("#")[0]), number)
    assert re.findall(r"</a> відповідь (\d+)</li>", everything) == [
        str(n) for n in range(24, -1, -1)]  # newest first
    assert "Show more answers" not in everything and "These are the newest" not in everything
    monkeypatch.setattr(results, "TEXTS_MORE", 22)
    capped = _section(_page(app, query=more.split("results", 1)[1].split("#")[0]), number)
    assert "These are the newest 22: find a word above, or export a row per answer" in capped


def test_funnel_and_where_stopped_surveys_ended(app, surveys):
    page = _page(app)
    funnel = re.findall(r'<th scope="row">([^<]+)</th><td class="number">(\d+)</td>',
                        page.split('id="funnel"')[1].split("</table>")[0])
    # the refused NPS is an answer at step 2
    assert funnel == [("Started", "8"), ("Answered step 1", "7"), ("Answered step 2", "6"),
                      ("Answered step 3", "5")]
    assert "1 stopped survey ended here" in _section(page, 1)  # the one cancelled after it
    assert "1 stopped survey ended here" in _section(page, 2)  # cancelled after the NPS


def test_commonest_paths(app, surveys):
    table = _page(app).split('id="paths"')[1].split("</table>")[0]
    rows = re.findall(r"<tr><td>([^<]+)</td><td class=\"number\">(\d+)</td>", table)
    assert rows == [("1 → 2 → 4", "2"), ("1 → 2 → 5", "2"), ("1 → 2 → 3", "1")]


def test_handle_time_by_version_shows_a_script_change(app, surveys):
    with app.app_context():
        published = db.session.get(Questionnaire, 1)
        marketer = db.session.scalar(select(User).where(User.username == "marketer"))
        second = versioning.next_draft(published)
        versioning.publish(second, marketer)
        db.session.commit()
        second_id = second.id
    fast = _run(app, _operator_client(app, "operator"), _contacts(app, 9)[-1],
                ["Ні", "2", "Так"], "done", questionnaire_id=second_id)
    _took(app, fast, 30)
    rows = re.findall(r"<tr><td>(\d+)</td><td>(\d+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>",
                      _page(app).split('id="handle-time"')[1].split("</table>")[0])
    # version 1: 60, 120, 180, 240, 300 s: the median is the third, the 90th the fifth
    assert rows == [("2", "1", "30 s", "30 s"), ("1", "5", "3 min 00 s", "5 min 00 s")]
    only_two = _page(app, query="?version=2")
    assert "<dt>Started</dt><dd>1</dd>" in only_two


def _answer_took(app, survey_id: int, position: int, seconds: int) -> None:
    with app.app_context():
        answer = db.session.scalar(select(CustomerAnswer).where(
            CustomerAnswer.survey_id == survey_id, CustomerAnswer.position == position))
        answer.shown_at = answer.answered_at - dt.timedelta(seconds=seconds)
        db.session.commit()


def test_time_to_answer_per_question_overall_and_by_version(app, surveys):
    """Question 1 took 10, 20, ... 70 s in the seven surveys that answered it; after a new
    version, one more answer of 5 s: overall and each version's median and 90th percentile."""
    for n, survey_id in enumerate(sorted(surveys)[:7]):
        _answer_took(app, survey_id, 1, 10 * (n + 1))
    first = _section(_page(app), 1)
    assert "time to answer: median 40 s, 90th percentile 1 min 10 s" in first
    assert "by version" not in first  # one version answered: nothing to compare
    with app.app_context():
        marketer = db.session.scalar(select(User).where(User.username == "marketer"))
        second = versioning.next_draft(db.session.get(Questionnaire, 1))
        versioning.publish(second, marketer)
        db.session.commit()
        second_id = second.id
    newer = _run(app, _operator_client(app, "operator"), _contacts(app, 9)[-1], ["Ні"],
                 "cancel", questionnaire_id=second_id)
    _answer_took(app, newer, 1, 5)
    first = _section(_page(app), 1)
    # 5, 10, ..., 70: the median is the fourth of eight (30 s), the 90th the eighth
    assert "time to answer: median 30 s, 90th percentile 1 min 10 s" in first
    assert ("Time to answer by version: v2: median 5 s, 90th percentile 5 s; "
            "v1: median 40 s, 90th percentile 1 min 10 s") in first
    assert "by version" not in _section(_page(app, query="?version=1"), 1)


def test_a_row_per_operator(app, surveys):
    table = _page(app).split('id="operators-results"')[1].split("</table>")[0]
    rows = re.findall(r"<tr><td>([^<]+)</td><td class=\"number\">(\d+)</td>"
                      r"<td class=\"number\">([^<]+)</td><td>([^<]+)</td>", table)
    # Андрій: 3 surveys, 2 completed (180, 300 s: the median is the first); Олена: 5, 3
    # completed (60, 120, 240 s: the second)
    assert rows == [("Андрій Мельник", "3", "67%", "3 min 00 s"),
                    ("Олена Коваль", "5", "60%", "2 min 00 s")]


def test_operators_see_their_own_surveys_results(app, surveys):
    own = _page(app, "operator2")
    assert "Your own surveys." in own and "<dt>Started</dt><dd>3</dd>" in own
    assert 'name="operator"' not in own
    assert "<dt>Started</dt><dd>3</dd>" in _page(app, "operator2", "?operator=1")
    assert "<dt>Started</dt><dd>8</dd>" in _page(app, "marketer")


def test_bad_filters_and_unknown_questionnaires(app, surveys):
    page = _page(app, query="?version=7&from=02.12.2026&to=01.12.2026")
    assert "Not a valid choice" in page and "The end of the range is before its start." in page
    client = _operator_client(app, "supervisor")
    assert client.get("/questionnaires/999/results").status_code == 404


def test_results_are_linked_from_the_questionnaires(app, surveys):
    client = _operator_client(app, "marketer")
    assert 'href="/questionnaires/1/results"' in client.get("/questionnaires").text
    assert 'href="/questionnaires/1/results"' in client.get("/questionnaires/1").text


def test_the_results_export_the_surveys_they_count(app, surveys):
    """The export buttons carry the results' filters: the same surveys, a row each; an
    operator's are their own; marketers read figures only and get no buttons."""
    import csv
    import html
    import io
    client = _operator_client(app, "supervisor")
    page = _page(app, query="?operator=2")
    links = re.findall(r'<p class="exports" id="results-exports">.*?</p>', page, re.S)[0]
    wide = html.unescape(re.search(r'href="([^"]+export\.csv[^"]*)"', links).group(1))
    assert "operator=2" in wide and "questionnaire=" in wide
    rows = list(csv.reader(io.StringIO(client.get(wide).data.decode("utf-8-sig"))))[1:]
    assert len(rows) == 3  # what the page counts for Андрій: "Started 3"
    assert "<dt>Started</dt><dd>3</dd>" in page
    own = _page(app, "operator2")
    assert 'id="results-exports"' in own
    assert 'id="results-exports"' not in _page(app, "marketer")
