"""Exports of the Surveys list: what the filters show, wide and long, CSV read back (the byte
order mark, columns, Cyrillic, a formula made inert) and XLSX read back with openpyxl."""
import csv
import io

import openpyxl
import pytest
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import CustomerSurvey
from tests.helpers import login, sample_contact_id, screen_of, start_survey, step


def _completed_survey(app, operator, comment: str) -> int:
    """Survey 1 to its end: Ні, 5 (so question 4 follows), then the given free text."""
    url = start_survey(operator, sample_contact_id(app))
    screen = screen_of(operator.get(url).text)
    screen = screen_of(step(operator, url, "answer",
                            screen.form(option_id=screen.options["Ні"])).text)
    screen = screen_of(step(operator, url, "answer", screen.form(value="5")).text)
    done = step(operator, url, "answer", screen.form(value=comment))
    assert done.headers.get("HX-Redirect"), done.text
    return int(url.rsplit("/", 1)[1])


def _csv(response) -> list[list[str]]:
    assert response.data.startswith(b"\xef\xbb\xbf")  # UTF-8's byte order mark
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def _supervisor(app):
    supervisor = app.test_client()
    login(supervisor, "supervisor")
    return supervisor


@pytest.fixture
def surveyed(app, operator):
    """One survey completed through the runner, with a formula-looking free text."""
    return _completed_survey(app, operator, "=HYPERLINK(\"http://x\")")


def test_wide_csv_has_a_row_per_survey_and_a_column_per_question(app, surveyed):
    response = _supervisor(app).get("/surveys/export.csv?status=completed")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith('attachment; filename="surveys-wide')
    header, *rows = _csv(response)
    assert header[:6] == ["Survey", "Started", "Finished", "Duration, s", "Status", "Contact"]
    questions = header[12:]
    assert questions[0] == "1. Чи сподобався вам вебінар?" and len(questions) == 6
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["Survey"] == str(surveyed) and row["Status"] == "Completed"
    assert row["Contact"] == "Уляненко Олександра"
    assert row["1. Чи сподобався вам вебінар?"] == "Ні"
    assert "'=HYPERLINK(\"http://x\")" in rows[0]  # inert: a spreadsheet shows it as text
    assert rows[0].count("") >= 2  # the questions this path did not ask stay empty


def test_long_csv_has_a_row_per_answer_with_times(app, surveyed):
    header, *rows = _csv(_supervisor(app).get("/surveys/export.csv?shape=long"))
    assert header[-8:] == ["Step", "Question no.", "Question", "Answer",
                           "Refused / don’t know", "Shown", "Answered at", "Seconds"]
    with app.app_context():
        assert len(rows) == len(db.session.get(CustomerSurvey, surveyed).answers) == 3
    assert [r[header.index("Answer")] for r in rows][:2] == ["Ні", "5"]
    assert [r[header.index("Step")] for r in rows] == ["1", "2", "3"]
    assert rows[2][header.index("Answer")] == "'=HYPERLINK(\"http://x\")"
    assert float(rows[0][header.index("Seconds")]) >= 0


def test_xlsx_reads_back_with_the_same_cells(app, surveyed):
    response = _supervisor(app).get("/surveys/export.xlsx?status=completed")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True).active
    header, row = list(sheet.iter_rows(values_only=True))
    assert header[5] == "Contact" and row[5] == "Уляненко Олександра"
    answers = dict(zip(header[12:], row[12:], strict=True))
    assert answers["1. Чи сподобався вам вебінар?"] == "Ні"
    assert "=HYPERLINK(\"http://x\")" in row  # a string cell, never a formula
    assert row[0] == surveyed and isinstance(row[3], int)


def test_the_export_is_what_the_filters_show_and_operators_get_their_own(app, operator):
    mine = _completed_survey(app, operator, "Добре")
    other = app.test_client()
    login(other, "operator2")
    with app.app_context():
        from survey_app.models import Contact
        contact = db.session.scalar(select(Contact.id).where(
            Contact.id != sample_contact_id(app)).limit(1))
    url = start_survey(other, contact)
    theirs = int(url.rsplit("/", 1)[1])
    everyone = [int(r[0]) for r in _csv(_supervisor(app).get("/surveys/export.csv"))[1:]]
    assert sorted(everyone) == sorted([mine, theirs])
    in_progress = _csv(_supervisor(app).get("/surveys/export.csv?status=in_progress"))[1:]
    assert [int(r[0]) for r in in_progress] == [theirs]
    own = [int(r[0]) for r in _csv(operator.get("/surveys/export.csv?operator=0"))[1:]]
    assert own == [mine]


def test_an_export_of_nothing_says_so(app, surveyed):
    supervisor = _supervisor(app)
    response = supervisor.get("/surveys/export.csv?status=abandoned")
    assert response.status_code == 303
    assert response.headers["Location"] == "/surveys?status=abandoned"
    assert "nothing to export" in supervisor.get(response.headers["Location"]).text
    odd = supervisor.get("/surveys/export.xlsx?shape=sideways")
    assert odd.status_code == 303
    assert "a row per survey or a row per answer" in supervisor.get(odd.headers["Location"]).text


@pytest.mark.parametrize("query", ["status=lost", "from=31.02.2026", "operator=999",
                                   "from=02.12.2026&to=01.12.2026"])
def test_an_export_with_a_bad_filter_is_refused_not_widened(app, surveyed, query):
    """The list leaves a bad filter out and says so; the file would have had every survey."""
    supervisor = _supervisor(app)
    response = supervisor.get(f"/surveys/export.csv?{query}")
    assert response.status_code == 303 and response.headers["Location"] == f"/surveys?{query}"
    page = supervisor.get(response.headers["Location"]).text
    assert "A filter is not valid (the list says which): correct it, then export." in page
    assert 'aria-invalid="true"' in page


def test_marketers_do_not_export_the_list(app, surveyed):
    marketer = app.test_client()
    login(marketer, "marketer")
    assert marketer.get("/surveys/export.csv").status_code == 403


def test_the_list_offers_the_exports_with_its_filters(app, surveyed):
    page = _supervisor(app).get("/surveys?status=completed").text
    assert 'href="/surveys/export.csv?status=completed"' in page
    assert 'href="/surveys/export.xlsx?status=completed&amp;shape=long"' in page
