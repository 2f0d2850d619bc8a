"""Training mode: a simulated call goes through the real translator into the call log."""
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Call
from tests.helpers import csrf, login


def _post(client, url, **data):
    return client.post(url, data={"csrf_token": csrf(client), **data})


def test_admin_simulates_a_call_that_rings_is_answered_and_ends(app, client):
    app.config["TRAINING_MODE"] = True
    login(client, "admin")
    assert _post(client, "/training/calls", number="050 123 45 67",
                 extension="305").status_code == 303
    with app.app_context():
        call = db.session.scalar(select(Call))
        assert (call.state, call.direction, call.extension) == ("ringing", "inbound", "305")
        assert call.contact.full_name == "Уляненко Олександра"
        simulated = call.linkedid
    _post(client, f"/training/calls/{simulated}/answer")
    _post(client, f"/training/calls/{simulated}/hangup")
    with app.app_context():
        call = db.session.scalar(select(Call))
        assert call.outcome == "answered" and call.answered_at and call.ended_at


def test_a_withheld_simulated_call_has_no_number(app, client):
    app.config["TRAINING_MODE"] = True
    login(client, "admin")
    _post(client, "/training/calls", number="", extension="306")
    with app.app_context():
        call = db.session.scalar(select(Call))
        assert call.external_number is None and call.extension == "306"


def test_training_is_off_by_default_and_for_admins_only(app, client):
    login(client, "admin")
    assert client.get("/training").status_code == 404
    app.config["TRAINING_MODE"] = True
    client.post("/logout", data={"csrf_token": csrf(client)})
    login(client, "operator")
    assert client.get("/training").status_code == 403


def test_a_caller_number_that_is_not_a_phone_number_is_refused(app, client):
    app.config["TRAINING_MODE"] = True
    login(client, "admin")
    response = _post(client, "/training/calls", number="hello", extension="305")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).text
    assert "“hello” is not a valid phone number." in page.replace("&#34;", '"')
    with app.app_context():
        assert db.session.scalar(select(Call)) is None  # nothing rang, no "Call back" to hello


def test_a_simulated_number_is_stored_in_e164(app, client):
    app.config["TRAINING_MODE"] = True
    login(client, "admin")
    _post(client, "/training/calls", number="050 123 45 67", extension="305")
    with app.app_context():
        assert db.session.scalar(select(Call.external_number)) == "+380501234567"


def test_the_training_page_explains_itself_in_the_users_words(app, client):
    app.config["TRAINING_MODE"] = True
    login(client, "admin")
    page = client.get("/training").text
    assert "no real phone rings" in page
    assert not {"translator", "bus", "socket"} & set(page.lower().replace(",", " ").split())
