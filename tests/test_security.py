"""Security headers on every kind of response: the Content-Security-Policy and its companions."""
import pytest

from tests.helpers import sample_contact_id, screen_of, start_survey, step

HTMX_SEARCH = {"HX-Request": "true", "HX-Target": "contact-results"}


def policy_of(response) -> dict[str, list[str]]:
    """The Content-Security-Policy as {directive: [sources]}."""
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.request.path}: no Content-Security-Policy"
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def assert_secured(response) -> None:
    policy = policy_of(response)
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert not any("unsafe" in source for sources in policy.values() for source in sources)
    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["connect-src"] == ["'self'", "ws://localhost", "wss://localhost"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_login_page_without_a_session_carries_the_headers(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert_secured(response)


def test_a_redirect_to_the_login_carries_the_headers(client):
    response = client.get("/contacts")
    assert response.status_code == 302
    assert_secured(response)


@pytest.mark.parametrize("path, headers, status", [
    ("/contacts", {}, 200),                                  # a page
    ("/contacts?q=050", HTMX_SEARCH, 200),                   # an htmx fragment
    ("/contacts/999999", {}, 404),                           # an error page
    ("/contacts/999999", {"HX-Request": "true"}, 404),       # an error for the toast
    ("/static/js/app.js", {}, 200),                          # a static file
    ("/static/css/app.css", {}, 200),
    ("/ws/calls", {}, 400),                                  # the socket, asked without Upgrade
])
def test_pages_fragments_errors_and_files_carry_the_headers(operator, path, headers, status):
    with operator.get(path, headers=headers) as response:  # a static file's is a stream
        assert response.status_code == status
        assert_secured(response)


def test_a_refused_action_carries_the_headers(app, operator):
    response = operator.get(f"/contacts/{sample_contact_id(app)}/merge")  # supervisors only
    assert response.status_code == 403
    assert_secured(response)


def test_a_refused_survey_answer_carries_the_headers(app, operator):
    url = start_survey(operator, sample_contact_id(app))
    response = step(operator, url, "answer", screen_of(operator.get(url).text).form())
    assert response.status_code == 422
    assert_secured(response)


def test_json_and_a_server_error_carry_the_headers(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer 500 as served, not raise in the test
    app.add_url_rule("/test/json", "test_json", lambda: {"ok": True})
    app.add_url_rule("/test/crash", "test_crash", lambda: 1 / 0)
    response = client.get("/test/json")
    assert (response.status_code, response.json) == (200, {"ok": True})
    assert_secured(response)
    response = client.get("/test/crash")
    assert response.status_code == 500
    assert_secured(response)


def test_the_socket_source_names_only_a_plain_host(client):
    connect = policy_of(client.get("/login", headers={"Host": "crm.example:8443"}))
    assert connect["connect-src"] == ["'self'", "ws://crm.example:8443", "wss://crm.example:8443"]
    forged = policy_of(client.get("/login", headers={"Host": "x; script-src *"}))
    assert forged["connect-src"] == ["'self'"]
    assert forged["script-src"] == ["'self'"]


def test_a_header_a_view_sets_itself_is_kept(app, client):
    app.add_url_rule("/test/framed", "test_framed",
                     lambda: ("", 200, {"X-Frame-Options": "SAMEORIGIN"}))
    assert client.get("/test/framed").headers["X-Frame-Options"] == "SAMEORIGIN"
