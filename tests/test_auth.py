"""Logging in and out, and role checks on the server."""
import pytest

from tests.helpers import csrf_from, login


def test_login_form_has_labelled_inputs_and_log_in_button(client):
    page = client.get("/login")
    assert '<label for="username">Username</label>' in page.text
    assert '<label for="password">Password</label>' in page.text
    assert ">Log in</button>" in page.text


@pytest.mark.parametrize("username", ["operator", "operator2", "supervisor", "marketer", "admin"])
def test_every_demo_user_logs_in_with_demo(client, username):
    response = login(client, username)
    assert response.headers["Location"] == "/contacts"
    assert client.get("/contacts").status_code == 200


def test_wrong_password_says_so_and_keeps_the_user_out(client):
    page = client.get("/login")
    response = client.post("/login", data={"username": "operator", "password": "nope",
                                           "csrf_token": csrf_from(page.text)})
    assert response.status_code == 422
    assert "Wrong username or password." in response.text
    assert client.get("/contacts").status_code == 302


def test_login_without_csrf_token_is_refused(client):
    response = client.post("/login", data={"username": "operator", "password": "demo"})
    assert response.status_code == 400
    assert "security token" in response.text
    assert client.get("/contacts").status_code == 302


def test_pages_need_a_login(client):
    response = client.get("/contacts/1")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_login_never_redirects_to_another_site(client):
    page = client.get("/login?next=//evil.example/x")
    response = client.post("/login?next=//evil.example/x", data={
        "username": "operator", "password": "demo", "csrf_token": csrf_from(page.text)})
    assert response.headers["Location"] == "/contacts"


def test_logout_ends_the_session(operator):
    page = operator.get("/contacts")
    response = operator.post("/logout", data={"csrf_token": csrf_from(page.text)})
    assert response.status_code == 303
    assert operator.get("/contacts").status_code == 302


def test_inactive_user_cannot_log_in(client):
    page = client.get("/login")
    response = client.post("/login", data={"username": "natalia", "password": "x",
                                           "csrf_token": csrf_from(page.text)})
    assert response.status_code == 422


def test_every_page_names_an_icon_that_exists(client):
    import re
    page = client.get("/login").text
    [icon] = re.findall(r'<link rel="icon" type="image/svg\+xml" href="([^"]+)">', page)
    response = client.get(icon)
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    response.close()


def test_a_static_file_never_sends_the_session_cookie_back(operator):
    """Pages slide the session (their response re-sends the cookie); a static file answered
    late must not put back the cookie its request left with, which dropped a form's flash."""
    page = operator.get("/contacts")
    assert "session=" in page.headers["Set-Cookie"]
    static = operator.get("/static/css/app.css")
    static.close()
    assert static.status_code == 200
    assert "Set-Cookie" not in static.headers


def test_an_htmx_fragment_sends_the_session_cookie_back_only_when_it_changed_it(operator):
    """A fragment answered late (the questionnaire's picture, drawn in its own request) put
    back the cookie its request left with: the Publish button's message was lost."""
    fragment = operator.get("/contacts", query_string={"q": "Кова"},
                            headers={"HX-Request": "true", "HX-Target": "contact-results"})
    assert fragment.status_code == 200 and "Set-Cookie" not in fragment.headers
    page = operator.get("/contacts")
    assert "session=" in page.headers["Set-Cookie"]  # the pages still slide the session
