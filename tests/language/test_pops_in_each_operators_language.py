"""A pop pushed over the socket is rendered in the language of the operator who gets it, not
of the process or of whoever caused the event; the PBX dot too."""
from sqlalchemy import update

from survey_app.extensions import db
from survey_app.models import User
from survey_app.telephony.calls import events as ev
from tests.helpers import csrf_from
from tests.telephony.sockets import open_socket, receive_until, session_cookie


def _ring(app, extension, linkedid):
    app.extensions["telephony"].apply([ev.CallEvent(
        ev.RINGING, linkedid, extension, ev.INBOUND, number="+380501234567",
        channel=f"PJSIP/{extension}-01", peer_channel="PJSIP/trunk-01")])


def _save_language(app, username, language):
    with app.app_context():
        db.session.execute(update(User).where(User.username == username).values(
            language=language))
        db.session.commit()


def test_two_operators_of_one_process_each_get_their_own_language(app, live_server):
    _save_language(app, "operator", "uk")
    ukrainian = open_socket(live_server, session_cookie(app, "operator"), language="en")
    english = open_socket(live_server, session_cookie(app, "operator2"), language="en")
    try:
        for ws in (ukrainian, english):
            ws.receive(timeout=5)
        with app.test_request_context(headers={"Accept-Language": "uk"}):
            _ring(app, "305", "1.1")  # caused here in Ukrainian: no matter
            _ring(app, "306", "2.1")
        uk_pop = receive_until(ukrainian, lambda f: "pop-" in f)
        en_pop = receive_until(english, lambda f: "pop-" in f)
        assert "Вхідний дзвінок" in uk_pop and "Відкрити картку" in uk_pop
        assert "Від <strong>+380 50 123 4567</strong>" in uk_pop
        assert "Incoming call" in en_pop and "Open card" in en_pop
        assert "Вхідний" not in en_pop and "Incoming" not in uk_pop
    finally:
        ukrainian.close()
        english.close()


def test_without_a_saved_choice_the_socket_speaks_its_browsers_language(app, live_server):
    page = open_socket(live_server, session_cookie(app, "operator"), language="uk-UA,uk")
    try:
        first = page.receive(timeout=5)
        assert 'title="АТС: Телефонію не налаштовано (немає AMI_HOST)."' in first
        _ring(app, "305", "3.1")
        assert "Вхідний дзвінок" in receive_until(page, lambda f: "pop-" in f)
    finally:
        page.close()


def test_a_dismissal_reaches_the_operators_other_tab_in_that_tabs_language(app, live_server):
    _ring(app, "305", "4.1")
    _ring(app, "305", "4.2")
    other_tab = open_socket(live_server, session_cookie(app, "operator"), language="uk")
    try:
        assert "Вхідний дзвінок" in other_tab.receive(timeout=5)
        client = app.test_client()
        token = csrf_from(client.get("/login").text)
        client.post("/login", data={"username": "operator", "password": "demo",
                                    "csrf_token": token})
        token = csrf_from(client.get("/contacts").text)
        dismissed = client.post("/calls/1/dismiss", headers={
            "X-CSRFToken": token, "HX-Request": "true", "Accept-Language": "en"})
        assert dismissed.status_code == 200 and "pop-1" not in dismissed.text
        assert "Incoming call" in dismissed.text  # the English tab that dismissed it
        frame = receive_until(other_tab, lambda f: 'id="call-pops"' in f and "pop-1" not in f)
        assert 'id="pop-2"' in frame and "Вхідний дзвінок" in frame
    finally:
        other_tab.close()
