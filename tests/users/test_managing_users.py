"""Admins manage users in the app: create (username, display name, roles, extension for
those who take calls), edit, set a new password, disable and enable. Bad input is refused at
its field and changes nothing; the last admin stays an admin."""
import re

import pytest
from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import AuditAction, AuditEvent, Role, User
from tests.helpers import csrf_from, login

STRONG = "kava-v-ranci-42"


@pytest.fixture
def admin(client):
    login(client, "admin")
    return client


@pytest.fixture
def client_for(app):
    """client_for(username): another browser, logged in as that user."""
    def logged_in(username: str):
        other = app.test_client()
        login(other, username)
        return other
    return logged_in


def _new(client, **fields):
    page = client.get("/users/new").text
    data = {"csrf_token": csrf_from(page), "username": "ivanna", "full_name": "Іванна Гнатюк",
            "roles": ["operator"], "extension": "", "password": STRONG,
            "password_again": STRONG} | fields
    return client.post("/users/new", data=data)


def _user(app, username: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        if user is not None:
            user.roles  # noqa: B018  (loaded before the session closes)
        return user


def _users(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


def _edit(client, user_id: int, page: str | None = None, **fields):
    """Post the edit form, as opened now or on `page` (an edit page opened earlier)."""
    page = page or client.get(f"/users/{user_id}").text
    data = {"csrf_token": csrf_from(page), "version": _version_on(page),
            "full_name": fields.pop("full_name", "Олена Коваль"),
            "extension": fields.pop("extension", "305"), "roles": ["operator"]} | fields
    return client.post(f"/users/{user_id}", data=data)


def _version_on(page: str) -> str:
    return re.search(r'<input id="version" name="version" type="hidden" value="(\d+)">',
                     page).group(1)


def _id(app, username: str) -> int:
    return _user(app, username).id


def test_an_admin_creates_a_user_with_several_roles_who_can_then_log_in(app):
    admin = app.test_client()
    login(admin, "admin")
    page = admin.get("/users").text
    assert 'href="/users/new"' in page and "Олена Коваль" in page
    response = _new(admin, roles=["operator", "supervisor"], extension="410")
    assert response.status_code == 303
    user = _user(app, "ivanna")
    assert user.roles == {Role.OPERATOR, Role.SUPERVISOR} and user.extension == "410"
    listed = admin.get("/users").text
    assert re.search(r"Іванна Гнатюк</a></td>\s*<td>ivanna</td>\s*<td>operator, supervisor</td>"
                     r"\s*<td>410</td>", listed)
    ivanna = app.test_client()
    login(ivanna, "ivanna", STRONG)
    card = ivanna.get("/contacts").text
    assert "operator, supervisor" in card
    assert ivanna.get("/calls").status_code == 200
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == AuditAction.USER_CREATED))
        assert (event.actor.username, event.subject) == ("admin", "ivanna")
        assert event.details == {"roles": ["operator", "supervisor"], "extension": "410"}


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"username": "OPERATOR"}, "username", "The username OPERATOR is taken."),
    ({"username": "ivanna petrenko"}, "username", "Latin letters, digits, dot, dash, "
                                                  "underscore or @ only."),
    ({"extension": "305"}, "extension", "Extension 305 is already taken by Олена Коваль."),
    ({"roles": ["operator", "boss"]}, "roles", "&#39;boss&#39; is not a valid choice"),
    ({"roles": []}, "roles", "Choose at least one role."),
    ({"roles": ["supervisor"], "extension": "411"}, "extension",
     "Only a user who takes calls (an operator) has an extension."),
    ({"password": "short", "password_again": "short"}, "password", "At least 10 characters."),
    ({"password": "password123", "password_again": "password123"}, "password",
     "This is one of the most common passwords: choose another."),
    ({"username": "ivanna12345", "password": "Ivanna12345", "password_again": "Ivanna12345"},
     "password", "The password may not be the username."),
    ({"password_again": STRONG + "!"}, "password_again", "The two passwords differ."),
    ({"full_name": " "}, "full_name", "This field is required."),
])
def test_a_new_user_with_bad_input_is_refused_at_the_field(app, admin, fields, field, message):
    before = _users(app)
    response = _new(admin, **fields)
    assert response.status_code == 422
    assert re.search(rf'<p class="field-error" id="{field}-error">[^<]*{re.escape(message)}',
                     response.text), response.text
    assert 'value="Іванна Гнатюк"' in response.text or fields.get("full_name")  # kept as typed
    assert _users(app) == before


def test_editing_changes_roles_and_extension_and_records_both(app, admin):
    operator = _id(app, "operator")
    response = _edit(admin, operator, roles=["operator", "marketer"], extension="315",
                     full_name="Олена Коваль-Бойко")
    assert response.status_code == 303
    user = _user(app, "operator")
    assert (user.roles, user.extension, user.full_name) == (
        {Role.OPERATOR, Role.MARKETER}, "315", "Олена Коваль-Бойко")
    with app.app_context():
        events = {e.action: e.details for e in db.session.scalars(select(AuditEvent))}
    assert events[AuditAction.ROLES_CHANGED] == {"before": ["operator"],
                                                 "after": ["marketer", "operator"]}
    assert events[AuditAction.USER_CHANGED] == {
        "full_name": ["Олена Коваль", "Олена Коваль-Бойко"], "extension": ["305", "315"]}
    page = admin.get("/audit").text
    assert "Roles changed" in page and "operator → operator, marketer" in page
    assert "Extension: 305 → 315" in page


def test_a_form_opened_before_another_admins_save_is_refused_and_shows_the_values_now(
        app, admin, client_for):
    operator = _id(app, "operator")
    opened = admin.get(f"/users/{operator}").text
    other = client_for("admin")
    assert _edit(other, operator, roles=["operator", "supervisor"]).status_code == 303
    response = _edit(admin, operator, page=opened, extension="316")
    assert response.status_code == 409
    assert "Another admin saved this user while you were editing" in response.text
    assert re.search(r"<input checked [^>]*value=\"supervisor\"", response.text)  # now
    assert _version_on(response.text) == "2"
    user = _user(app, "operator")
    assert (user.roles, user.extension) == ({Role.OPERATOR, Role.SUPERVISOR}, "305")
    assert _edit(admin, operator, page=response.text, extension="316").status_code == 303
    assert _user(app, "operator").extension == "316"


@pytest.mark.parametrize("version", ["", "x", "-1", "99"])
def test_a_tampered_version_is_refused_as_stale(app, admin, version):
    operator = _id(app, "operator")
    page = admin.get(f"/users/{operator}").text
    response = admin.post(f"/users/{operator}", data={
        "csrf_token": csrf_from(page), "version": version, "full_name": "Змінено",
        "extension": "305", "roles": ["operator"]})
    assert response.status_code == 409
    assert _user(app, "operator").full_name == "Олена Коваль"


def test_a_login_or_a_new_password_does_not_make_an_open_form_stale(app, admin, client_for):
    operator = _id(app, "operator")
    opened = admin.get(f"/users/{operator}").text
    client_for("operator")  # logs in: the last login is written
    page = admin.get(f"/users/{operator}").text
    assert admin.post(f"/users/{operator}/password", data={
        "csrf_token": csrf_from(page), "password": STRONG,
        "password_again": STRONG}).status_code == 303
    assert _edit(admin, operator, page=opened, extension="316").status_code == 303


def test_the_last_admin_keeps_the_admin_role_and_cannot_be_disabled(app, admin):
    admin_id = _id(app, "admin")
    response = _edit(admin, admin_id, full_name="Адміністратор", extension="",
                     roles=["supervisor"])
    assert response.status_code == 422
    assert "At least one active admin must remain" in response.text
    page = admin.get(f"/users/{admin_id}").text
    response = admin.post(f"/users/{admin_id}/disable", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 409 and "At least one active admin must remain" in \
        response.text
    user = _user(app, "admin")
    assert user.roles == {Role.ADMIN} and user.active
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.id))) == 0


def test_with_a_second_admin_the_first_may_step_down(app, admin):
    assert _new(admin, username="second", roles=["admin"]).status_code == 303
    response = _edit(admin, _id(app, "admin"), full_name="Адміністратор", extension="",
                     roles=["supervisor"])
    assert response.status_code == 303
    assert _user(app, "admin").roles == {Role.SUPERVISOR}
    assert admin.get("/users").status_code == 403  # no longer an admin: at the next request


def test_a_disabled_users_session_ends_at_the_next_request_and_login_is_refused(app, admin):
    operator = app.test_client()
    login(operator, "operator")
    assert operator.get("/contacts").status_code == 200
    user_id = _id(app, "operator")
    page = admin.get(f"/users/{user_id}").text
    response = admin.post(f"/users/{user_id}/disable", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 303
    assert "Disabled: cannot log in" in admin.get(response.headers["Location"]).text
    after = operator.get("/contacts")
    assert after.status_code == 302 and "/login" in after.headers["Location"]
    again = app.test_client()
    page = again.get("/login").text
    refused = again.post("/login", data={"csrf_token": csrf_from(page), "username": "operator",
                                         "password": "demo"})
    assert refused.status_code == 422 and "Wrong username or password." in refused.text
    with app.app_context():  # history keeps the user
        assert db.session.get(User, user_id) is not None
    page = admin.get(f"/users/{user_id}").text
    assert admin.post(f"/users/{user_id}/enable",
                      data={"csrf_token": csrf_from(page)}).status_code == 303
    login(again, "operator")


def test_a_new_password_from_the_admin_ends_the_users_sessions(app, admin):
    operator = app.test_client()
    login(operator, "operator")
    user_id = _id(app, "operator")
    page = admin.get(f"/users/{user_id}").text
    weak = admin.post(f"/users/{user_id}/password", data={
        "csrf_token": csrf_from(page), "password": "qwerty", "password_again": "qwerty"})
    assert weak.status_code == 422 and "At least 10 characters." in weak.text
    login(app.test_client(), "operator")  # unchanged
    response = admin.post(f"/users/{user_id}/password", data={
        "csrf_token": csrf_from(page), "password": STRONG, "password_again": STRONG})
    assert response.status_code == 303
    assert operator.get("/contacts").status_code == 302  # that session has ended
    login(app.test_client(), "operator", STRONG)
    with app.app_context():
        event = db.session.scalar(select(AuditEvent))
        assert (event.action, event.subject, event.details) == (
            AuditAction.PASSWORD_RESET, "operator", {})


@pytest.mark.parametrize("path", ["/users/999", "/users/abc"])
def test_an_unknown_or_tampered_user_id_is_not_found(admin, path):
    assert admin.get(path).status_code == 404
    page = admin.get("/users").text
    assert admin.post("/users/999/disable", data={"csrf_token": csrf_from(page)}
                      ).status_code == 404
    assert "There is no such user." in admin.get("/users/999").text


@pytest.mark.parametrize("username", ["operator", "supervisor", "marketer"])
def test_only_admins_manage_users(app, client, username):
    login(client, username)
    token = csrf_from(client.get("/contacts").text)
    user_id = _id(app, "operator2")
    for path in ("/users", "/users/new", f"/users/{user_id}", "/audit"):
        assert client.get(path).status_code == 403, path
    for path in ("/users/new", f"/users/{user_id}", f"/users/{user_id}/disable",
                 f"/users/{user_id}/password", f"/users/{user_id}/enable"):
        response = client.post(path, data={"csrf_token": token, "full_name": "x",
                                           "roles": ["admin"], "password": STRONG,
                                           "password_again": STRONG, "username": "x"})
        assert response.status_code == 403, path
        assert "Only admins manage users." in response.text
    assert _user(app, "operator2").active and _user(app, "x") is None
    assert 'href="/users"' not in client.get("/contacts").text


def test_a_state_changing_user_request_without_its_csrf_token_is_refused(app, admin):
    user_id = _id(app, "operator")
    assert admin.post(f"/users/{user_id}/disable").status_code == 400
    assert _user(app, "operator").active
