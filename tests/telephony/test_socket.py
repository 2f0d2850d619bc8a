"""The operator's socket: only for a logged-in operator; every tab gets the pops; dismiss."""
import datetime as dt
import re

import pytest

from survey_app.extensions import db
from survey_app.models import CustomerSurvey, SurveyStatus, User
from survey_app.telephony.calls import events as ev
from tests.helpers import csrf, sample_contact_id
from tests.telephony.sockets import (
    open_socket,
    pop_ids,
    receive_until,
    refusal,
    session_cookie,
)

# end to end: run on PostgreSQL, the production database (tests/conftest.py)
pytestmark = pytest.mark.database("postgresql")


def _ring(app, extension="305", number="+380501234567", linkedid="1795635395.0"):
    app.extensions["telephony"].apply([ev.CallEvent(
        ev.RINGING, linkedid, extension, ev.INBOUND, number=number, did="5551000",
        channel=f"PJSIP/{extension}-00000001", peer_channel="PJSIP/trunk-00000000")])


def test_socket_without_a_session_is_closed(live_server):
    assert refusal(live_server, None) == (1008, "Log in to receive calls.")


def test_a_user_with_telephony_off_holds_the_socket_but_gets_no_pops(app, live_server):
    """Every signed-in page holds the socket (the floor sees the page open); with telephony
    off it carries no PBX link and no pop."""
    with app.app_context():
        db.session.execute(db.update(User).where(User.username == "operator")
                           .values(telephony_enabled=False))
        db.session.commit()
    ws = open_socket(live_server, session_cookie(app, "operator"))
    try:
        first = ws.receive(timeout=15)
        assert 'id="pbx-status"' not in first and 'id="call-pops"' not in first
        _ring(app)
        assert ws.receive(timeout=0.5) is None
    finally:
        ws.close()


def test_connecting_operator_gets_the_link_state_and_the_calls_in_progress(app, live_server):
    _ring(app)
    ws = open_socket(live_server, session_cookie(app, "operator"))
    try:
        first = ws.receive(timeout=15)
        assert 'id="pbx-status"' in first and 'id="call-pops"' in first
        assert "Уляненко Олександра" in first and "Incoming call" in first
        assert "Start survey" in first and "call=1" in first
    finally:
        ws.close()


def test_every_tab_of_the_operator_gets_the_pop_and_only_that_operator(app, live_server):
    tabs = [open_socket(live_server, session_cookie(app, "operator")) for _ in range(2)]
    other = open_socket(live_server, session_cookie(app, "operator2"))
    try:
        for ws in tabs + [other]:
            ws.receive(timeout=15)  # the state on connect
        _ring(app)
        for ws in tabs:
            frame = receive_until(ws, lambda f: "pop-" in f)
            assert "+380 50 123 4567" in frame and "Уляненко Олександра" in frame
        assert other.receive(timeout=0.5) is None
    finally:
        for ws in tabs + [other]:
            ws.close()


def test_a_dismissed_pop_stays_dismissed_in_every_tab_and_after_reload(app, live_server,
                                                                      operator):
    _ring(app)
    ws = open_socket(live_server, session_cookie(app, "operator"))
    try:
        [pop] = pop_ids(ws.receive(timeout=15))
        call_id = pop.removeprefix("pop-")
        response = operator.post(f"/calls/{call_id}/dismiss",
                                 headers={"HX-Request": "true", "X-CSRFToken": csrf(operator)})
        assert response.status_code == 200 and pop not in response.text
        assert pop not in receive_until(ws, lambda f: 'id="call-pops"' in f)
    finally:
        ws.close()
    again = open_socket(live_server, session_cookie(app, "operator"))
    try:
        assert pop not in again.receive(timeout=15)
    finally:
        again.close()


def test_another_operator_cannot_dismiss_my_pop(app, client):
    from tests.helpers import login
    _ring(app)
    login(client, "operator2")
    response = client.post("/calls/1/dismiss", headers={"X-CSRFToken": csrf(client)})
    assert response.status_code == 403 and "another operator" in response.text


def test_the_pop_lists_the_three_newest_surveys_of_the_contact(app):
    """However many surveys a contact has, the pop shows the newest three, newest first."""
    contact = sample_contact_id(app)
    with app.app_context():
        operator = db.session.scalar(db.select(User.id).where(User.username == "operator"))
        db.session.execute(db.delete(CustomerSurvey).where(CustomerSurvey.contact_id == contact))
        for day in range(1, 8):
            db.session.add(CustomerSurvey(
                contact_id=contact, questionnaire_id=1, campaign_id=1, operator_id=operator,
                status=SurveyStatus.CANCELLED if day == 7 else SurveyStatus.COMPLETED,
                started_at=dt.datetime(2026, 11, day, 9, 0)))
        db.session.commit()
    pipeline = app.extensions["telephony"]
    pipeline.apply([ev.CallEvent(ev.RINGING, "9.1", "305", ev.INBOUND, number="0501234567")])
    pop = pipeline.pops_html("305")
    days = re.findall(r"(\d\d)/11/2026", pop) or re.findall(r"2026-11-(\d\d)", pop)
    assert days == ["07", "06", "05"], pop
    assert "Cancelled" in pop
