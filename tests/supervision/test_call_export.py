"""The Calls list as CSV (what its filters show), and its days being the centre's days."""
import csv
import datetime as dt
import io

from survey_app.telephony.calls import events as ev
from tests.helpers import login
from tests.telephony.test_calls_section import listed

NINE = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC).timestamp()
LATE = dt.datetime(2026, 11, 24, 22, 30, tzinfo=dt.UTC).timestamp()  # 00:30 on the 25th in Kyiv


def _call(app, linkedid, extension, *kinds, at, number="+380501234567", outcome=None):
    app.extensions["telephony"].apply([
        ev.CallEvent(kind, linkedid, extension, ev.INBOUND, number=number,
                     outcome=outcome if kind == ev.ENDED else None, at=at + i * 10)
        for i, kind in enumerate(kinds)])


def _calls(app):
    _call(app, "1.0", "305", ev.RINGING, ev.ANSWERED, ev.ENDED, at=NINE, outcome="answered")
    _call(app, "2.0", "306", ev.RINGING, ev.ENDED, at=NINE + 60, outcome="no_answer",
          number="=cmd|' /C calc'!A0")
    _call(app, "3.0", "305", ev.RINGING, ev.ANSWERED, ev.ENDED, at=LATE, outcome="answered")


def _rows(response) -> list[dict]:
    assert response.status_code == 200 and response.data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_calls_export_as_the_filters_show_them(app, client):
    _calls(app)
    login(client, "supervisor")
    assert 'href="/calls/export.csv?outcome=answered"' in client.get("/calls?outcome=answered").text
    rows = _rows(client.get("/calls/export.csv?outcome=answered"))
    assert len(rows) == 2 and {r["Outcome"] for r in rows} == {"Answered"}
    first = next(r for r in rows if r["Started"] == "2026-11-25 11:00:00")  # Kyiv's time
    assert first["Operator"] == "Олена Коваль" and first["Contact"] == "Уляненко Олександра"
    assert first["Ring time, s"] == "10" and first["Talk time, s"] == "10"
    missed = _rows(client.get("/calls/export.csv?outcome=no_answer"))
    assert missed[0]["Number"].startswith("'=")  # a formula from the PBX made inert


def test_an_operator_exports_only_their_own_calls(app, client):
    _calls(app)
    login(client, "operator2")
    rows = _rows(client.get("/calls/export.csv?operator=1"))
    assert [r["Ext"] for r in rows] == ["306"]


def test_an_export_of_no_calls_says_so(app, client):
    login(client, "supervisor")
    response = client.get("/calls/export.csv?outcome=busy")
    assert response.status_code == 303
    assert "nothing to export" in client.get(response.headers["Location"]).text


def test_a_calls_export_with_a_bad_filter_is_refused_not_widened(app, client):
    _calls(app)
    login(client, "supervisor")
    response = client.get("/calls/export.csv?outcome=lost")
    assert response.status_code == 303
    assert "A filter is not valid" in client.get(response.headers["Location"]).text


def test_the_days_are_the_centres_days(app, client):
    _calls(app)
    login(client, "supervisor")
    page = client.get("/calls?from=25.11.2026&to=25.11.2026").text
    assert listed(page) == 4  # header + the three calls, 00:30 in Kyiv included
    assert listed(client.get("/calls?from=24.11.2026&to=24.11.2026").text) == 0
    by_day = page.split('id="calls-by-day"')[1].split("</table>")[0]
    assert "25/11/2026" in by_day and "24/11/2026" not in by_day


def test_a_range_of_days_the_wrong_way_round_says_so(app, client):
    _calls(app)
    login(client, "supervisor")
    page = client.get("/calls?from=25.11.2026&to=24.11.2026").text
    assert "The end of the range is before its start." in page
    assert listed(page) == 4  # from the 25th: all three; the bad end filters nothing
