"""The Calls section: what each call looks like in the log, filters, figures, roles."""
import datetime as dt
import re

import pytest
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Call, CustomerSurvey
from survey_app.telephony.calls import events as ev
from tests.helpers import csrf_from, login, sample_contact_id

T0 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC).timestamp()


def _call(app, linkedid, extension, *kinds, number="+380501234567", outcome=None,
          direction=ev.INBOUND, waited=None):
    """The call's events 10 s apart; `waited`: a queue connected the caller at the answer,
    after that many seconds in the queue (AgentConnect)."""
    events = [ev.CallEvent(kind, linkedid, extension, direction, number=number,
                           outcome=outcome if kind == ev.ENDED else None, at=T0 + i * 10)
              for i, kind in enumerate(kinds)]
    if waited is not None:
        events.insert(2, ev.CallEvent(ev.CONNECTED, linkedid, extension, direction,
                                      number=number, at=T0 + 10, extra={"queue_wait": waited}))
    app.extensions["telephony"].apply(events)


@pytest.fixture
def logged_calls(app):
    _call(app, "1.0", "305", ev.RINGING, ev.ANSWERED, ev.ENDED, outcome="answered", waited=12)
    _call(app, "2.0", "305", ev.RINGING, ev.ENDED, outcome="no_answer", number="0441234567")
    _call(app, "3.0", "306", ev.RINGING, ev.ANSWERED, ev.ENDED, outcome="answered", waited=6)
    _call(app, "4.0", "305", ev.RINGING, ev.ENDED, outcome="busy", direction=ev.OUTBOUND,
          number="+380671234567")


def test_a_call_is_logged_with_its_times_contact_and_outcome(app, logged_calls):
    with app.app_context():
        call = db.session.scalar(select(Call).where(Call.linkedid == "1.0"))
        assert call.contact.full_name == "Уляненко Олександра"
        assert call.operator.username == "operator"
        assert call.talk_seconds == 10 and call.outcome == "answered"
        assert (call.answered_at - call.started_at).total_seconds() == 10


def listed(page: str) -> int:
    """The rows of the calls' list, its header included (0 when there is no list)."""
    table = page.split('id="calls-table"')[1].split("</table>")[0] if "calls-table" in page else ""
    return table.count("<tr>")


def test_supervisor_sees_every_call_with_outcome_figures(app, client, logged_calls):
    login(client, "supervisor")
    page = client.get("/calls").text
    assert listed(page) == 5  # header + four calls
    assert "<strong>4</strong> operators’ legs" in page
    # counted once each: two answered, the inbound one nobody took missed, the busy
    # outbound one neither
    assert ("4 calls: answered 2 (50%) · missed 1 (25%) · average ring before the answer 10 s"
            " · average wait in a queue 9 s") in page  # of the two queue calls: 12 and 6 s
    by_operator = page.split('id="calls-by-operator"')[1].split("</table>")[0]
    rows = re.findall(r"<tr><td>([^<]+)</td><td class=\"number\">(\d+)</td>"
                      r"<td class=\"number\">(\d+)</td><td class=\"number\">(\d+)</td>"
                      r"<td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>", by_operator)
    assert rows == [("Андрій Мельник", "1", "1", "0", "10 s", "10 s", "6 s"),
                    ("Олена Коваль", "3", "1", "1", "10 s", "10 s", "12 s")]
    by_day = page.split('id="calls-by-day"')[1].split("</table>")[0]
    # calls once each (2 answered, 1 missed); talk and ring of the legs; the queue calls' wait
    assert re.findall(r"<td>([^<]+)</td><td class=\"number\">(\d+)</td><td class=\"number\">"
                      r"(\d+)</td><td class=\"number\">(\d+)</td><td>([^<]+)</td>"
                      r"<td>([^<]+)</td><td>([^<]+)</td>", by_day) == [
        ("25/11/2026", "4", "2", "1", "10 s", "10 s", "9 s")]
    with app.app_context():
        assert db.session.scalar(select(Call.queue_wait_seconds).where(
            Call.linkedid == "1.0")) == 12
    assert "Answered: 2 (50%)" in page and "No answer: 1 (25%)" in page
    assert "Busy: 1 (25%)" in page and "average talk time 10 s" in page


@pytest.mark.parametrize("query, rows", [
    ("direction=outbound", 1), ("outcome=no_answer", 1), ("operator=2", 1),
    ("from=2026-11-25&to=2026-11-25", 4), ("from=2026-11-26", 0), ("from=garbage", 4),
])
def test_filters_narrow_the_list(app, client, logged_calls, query, rows):
    login(client, "supervisor")
    page = client.get(f"/calls?{query}").text
    assert listed(page) == (rows + 1 if rows else 0)


def test_operator_sees_only_own_calls_and_today_figures(app, client, logged_calls):
    login(client, "operator2")
    page = client.get("/calls?operator=1").text  # asking for another's calls changes nothing
    assert listed(page) == 2 and "Today:" in page
    assert 'id="calls-by-operator"' not in page  # an operator's own figures only


def test_survey_started_from_a_pop_is_linked_to_its_call(app, operator, logged_calls):
    with app.app_context():
        call_id = db.session.scalar(select(Call.id).where(Call.linkedid == "1.0"))
    page = operator.get(f"/contacts/{sample_contact_id(app)}/surveys/new?call={call_id}")
    assert f'name="call_id" type="hidden" value="{call_id}"' in page.text
    response = operator.post(f"/contacts/{sample_contact_id(app)}/surveys/new", data={
        "campaign_id": 1, "questionnaire_id": 1, "call_id": call_id,
        "csrf_token": csrf_from(page.text)})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(CustomerSurvey.call_id)) == call_id
    assert "Survey 1" in operator.get("/calls").text


def test_a_survey_cannot_be_linked_to_another_operators_call(app, client, logged_calls):
    login(client, "operator2")
    with app.app_context():
        theirs = db.session.scalar(select(Call.id).where(Call.linkedid == "1.0"))
    url = f"/contacts/{sample_contact_id(app)}/surveys/new"
    page = client.get(url)
    response = client.post(url, data={"campaign_id": 1, "questionnaire_id": 1,
                                      "call_id": theirs, "csrf_token": csrf_from(page.text)})
    assert response.status_code == 422 and "not one of yours" in response.text


def test_a_call_that_rings_the_operator_again_starts_its_talk_time_afresh(app):
    """Transferred away after 10 s of talk, back to the same operator, then not answered:
    the row's talk time is not the old one."""
    _call(app, "5.0", "305", ev.RINGING, ev.ANSWERED, ev.TRANSFERRED, ev.RINGING, ev.ENDED,
          outcome="no_answer")
    with app.app_context():
        call = db.session.scalar(select(Call).where(Call.linkedid == "5.0"))
        assert (call.outcome, call.answered_at, call.talk_seconds) == ("no_answer", None, None)


def test_a_call_that_rang_two_operators_counts_once(app, client):
    """A queue call rings 305 and 306; 306 answers: one call, answered; a leg each."""
    _call(app, "5.0", "305", ev.RINGING, ev.ENDED, outcome="answered_elsewhere")
    _call(app, "5.0", "306", ev.RINGING, ev.ANSWERED, ev.ENDED, outcome="answered")
    _call(app, "6.0", "305", ev.RINGING, ev.ENDED, outcome="no_answer")
    _call(app, "6.0", "306", ev.RINGING, ev.ENDED, outcome="no_answer")
    login(client, "supervisor")
    page = client.get("/calls").text
    assert "2 calls: answered 1 (50%) · missed 1 (50%)" in page
    assert "<strong>4</strong> operators’ legs" in page
    by_operator = page.split('id="calls-by-operator"')[1].split("</table>")[0]
    assert re.findall(r"<tr><td>([^<]+)</td><td class=\"number\">(\d+)</td>"
                      r"<td class=\"number\">(\d+)</td><td class=\"number\">(\d+)</td>",
                      by_operator) == [("Андрій Мельник", "2", "1", "1"),
                                       ("Олена Коваль", "2", "0", "1")]


def test_an_operators_today_is_the_centres_day_not_utcs(app, client):
    """Kyiv's day begins at 22:00 or 21:00 UTC: a call a minute after its midnight is today's,
    one a minute before is yesterday's, whatever the hour in UTC."""
    from zoneinfo import ZoneInfo
    midnight = dt.datetime.now(ZoneInfo("Europe/Kyiv")).replace(
        hour=0, minute=0, second=0, microsecond=0).timestamp()
    for n, at in enumerate((midnight - 60, midnight + 1)):
        app.extensions["telephony"].apply([
            ev.CallEvent(kind, f"{n}.5", "306", ev.INBOUND, number="+380501234567",
                         outcome="no_answer" if kind == ev.ENDED else None, at=at + i)
            for i, kind in enumerate((ev.RINGING, ev.ENDED))])
    login(client, "operator2")
    assert "Today: 1 call." in client.get("/calls").text
