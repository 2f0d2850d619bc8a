"""Every user changes their own password, knowing the current one; their other sessions end,
this one goes on."""
import pytest
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import AuditAction, AuditEvent
from tests.helpers import csrf_from, login

STRONG = "kava-v-ranci-42"


def _change(client, current: str, new: str, again: str | None = None):
    page = client.get("/account/password").text
    return client.post("/account/password", data={
        "csrf_token": csrf_from(page), "current_password": current, "password": new,
        "password_again": new if again is None else again})


@pytest.mark.parametrize("username", ["operator", "supervisor", "marketer", "admin"])
def test_every_user_changes_their_own_password(app, client, username):
    login(client, username)
    other_tab = app.test_client()
    login(other_tab, username)
    assert 'href="/account/password"' in client.get("/contacts").text
    response = _change(client, "demo", STRONG)
    assert response.status_code == 303
    assert "Your password is changed" in client.get(response.headers["Location"]).text
    assert client.get("/contacts").status_code == 200  # this session goes on
    assert other_tab.get("/contacts").status_code == 302  # the other one has ended
    login(app.test_client(), username, STRONG)
    with app.app_context():
        event = db.session.scalar(select(AuditEvent))
        assert (event.action, event.actor.username) == (AuditAction.PASSWORD_CHANGED, username)


@pytest.mark.parametrize(("current", "new", "again", "field", "message"), [
    ("wrong", STRONG, None, "current_password", "This is not your current password."),
    ("demo", "short1", None, "password", "At least 10 characters."),
    ("demo", "iloveyou12", None, "password", "one of the most common passwords"),
    ("demo", STRONG, STRONG + "x", "password_again", "The two passwords differ."),
])
def test_a_refused_change_says_why_at_the_field_and_keeps_the_old_password(
        app, operator, current, new, again, field, message):
    response = _change(operator, current, new, again)
    assert response.status_code == 422
    assert f'id="{field}-error">' in response.text and message in response.text
    assert operator.get("/contacts").status_code == 200
    login(app.test_client(), "operator", "demo")


def test_changing_a_password_needs_a_session(client):
    response = client.get("/account/password")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
