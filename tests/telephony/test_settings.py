"""The operator's telephony settings and agent state."""
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import User
from tests.helpers import csrf, csrf_from, login


def _save(client, **fields):
    page = client.get("/settings/telephony")
    return client.post("/settings/telephony", data={"csrf_token": csrf_from(page.text),
                                                    **fields})


def test_operator_saves_extension_context_and_debug(app, operator):
    page = operator.get("/settings/telephony").text
    assert 'value="305"' in page and "Telephony on" in page
    response = _save(operator, extension="307", outgoing_context="sales-out",
                     telephony_enabled="y", telephony_debug="y")
    assert response.status_code == 303
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "operator"))
        assert (user.extension, user.outgoing_context, user.telephony_debug) == \
            ("307", "sales-out", True)


def test_an_extension_in_use_is_refused(app, operator):
    response = _save(operator, extension="306", telephony_enabled="y")
    assert response.status_code == 422 and "Extension 306 is already taken by Андрій Мельник." in \
        response.text


def test_telephony_off_removes_the_pops_and_the_pbx_link_from_the_pages(app, operator):
    for part in ('id="call-pops"', 'id="pbx-status"', 'id="agent-state"'):
        assert part in operator.get("/contacts").text
    _save(operator, extension="305")
    page = operator.get("/contacts").text
    for part in ('id="call-pops"', 'id="pbx-status"', 'id="agent-state"'):
        assert part not in page
    assert "ws-connect" in page  # the page still holds the socket: the floor sees it open


def test_agent_state_toggles_and_is_kept(app, operator):
    response = operator.post("/agent-state", data={"state": "dnd"},
                             headers={"HX-Request": "true", "X-CSRFToken": csrf(operator)})
    assert response.status_code == 200 and "Do not disturb" in response.text
    assert "Set Ready" in operator.get("/contacts").text


def test_agent_state_refuses_nonsense_and_a_user_without_extension(app, client):
    login(client, "supervisor")
    token = csrf(client)
    assert client.post("/agent-state", data={"state": "away"},
                       headers={"X-CSRFToken": token}).status_code == 422
    response = client.post("/agent-state", data={"state": "dnd"},
                           headers={"X-CSRFToken": token})
    assert response.status_code == 409 and "Set your extension" in response.text


def test_only_users_who_take_calls_have_telephony_settings(app, client):
    for username in ("supervisor", "marketer", "admin"):
        login(client, username)
        assert ">Settings<" not in client.get("/contacts").text
        refused = client.get("/settings/telephony")
        assert refused.status_code == 403
        assert "Telephony settings are for the users who take calls." in refused.text
        client.post("/logout", data={"csrf_token": csrf(client)})
    login(client, "operator")
    assert ">Settings<" in client.get("/contacts").text


def test_the_extension_field_shows_no_value_it_does_not_have(app, client):
    login(client, "operator2")
    with app.app_context():
        db.session.execute(db.update(User).where(User.username == "operator2")
                           .values(extension=None))
        db.session.commit()
    page = client.get("/settings/telephony").text
    assert 'placeholder="305"' not in page and 'name="extension" type="text" value=""' in page
