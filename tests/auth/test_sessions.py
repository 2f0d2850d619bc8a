"""Session cookies: their flags, how long they last, and a new session at every login."""
import datetime as dt
from http.cookies import SimpleCookie

import pytest

from survey_app import config
from tests.helpers import csrf_from


def log_in(client, remember: bool = False, **request):
    token = csrf_from(client.get("/login", **request).text)
    form = {"username": "operator", "password": "demo", "csrf_token": token}
    response = client.post("/login", data=form | ({"remember": "y"} if remember else {}),
                           **request)
    assert response.status_code == 303, response.text
    return response


def set_cookie(response, name: str):
    """The Set-Cookie the response sends for this cookie, its attributes readable."""
    for header in response.headers.getlist("Set-Cookie"):
        cookie = SimpleCookie()
        cookie.load(header)
        if name in cookie:
            return cookie[name]
    raise AssertionError(f"no {name} cookie set")


def expires_in(cookie) -> dt.timedelta:
    expires = dt.datetime.strptime(cookie["expires"], "%a, %d %b %Y %H:%M:%S GMT")
    return expires.replace(tzinfo=dt.UTC) - dt.datetime.now(dt.UTC)


def test_the_session_cookie_lasts_a_shift_and_scripts_cannot_read_it(client):
    cookie = set_cookie(log_in(client), "session")
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["secure"]  # plain HTTP unless HTTPS is set
    assert dt.timedelta(hours=11, minutes=59) < expires_in(cookie) <= dt.timedelta(hours=12)


def test_keep_me_logged_in_lasts_a_week_not_a_year(client):
    cookie = set_cookie(log_in(client, remember=True), "remember_token")
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert dt.timedelta(days=6, hours=23) < expires_in(cookie) <= dt.timedelta(days=7)


def test_behind_https_the_cookies_go_only_over_https(app_with, monkeypatch, tmp_path):
    monkeypatch.setenv("HTTPS", "1")
    https = {key: value for key, value in config.from_environment(tmp_path).items()
             if key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE",
                        "PREFERRED_URL_SCHEME")}
    assert https == {"SESSION_COOKIE_SECURE": True, "REMEMBER_COOKIE_SECURE": True,
                     "PREFERRED_URL_SCHEME": "https"}
    client = app_with(**https).test_client()
    response = log_in(client, remember=True, base_url="https://localhost",
                      headers={"Referer": "https://localhost/login"})  # Flask-WTF over HTTPS
    assert set_cookie(response, "session")["secure"]
    assert set_cookie(response, "remember_token")["secure"]


def test_the_lifetimes_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SESSION_LIFETIME_HOURS", "8")
    monkeypatch.setenv("REMEMBER_ME_DAYS", "2")
    settings = config.from_environment(tmp_path)
    assert settings["PERMANENT_SESSION_LIFETIME"] == dt.timedelta(hours=8)
    assert settings["REMEMBER_COOKIE_DURATION"] == dt.timedelta(days=2)
    monkeypatch.setenv("SESSION_LIFETIME_HOURS", "0")
    with pytest.raises(ValueError, match="SESSION_LIFETIME_HOURS"):
        config.from_environment(tmp_path)


def test_a_session_from_before_the_login_does_not_carry_it(app, client):
    """Someone who planted their own session cookie in this browser before the login (and
    so knows its CSRF token) gets nothing: the login starts a new session."""
    planted_token = csrf_from(client.get("/login").text)
    planted_cookie = client.get_cookie("session").value
    log_in(client)
    assert client.post("/logout", data={"csrf_token": planted_token}).status_code == 400
    assert client.get("/contacts").status_code == 200
    someone = app.test_client()
    someone.set_cookie("session", planted_cookie)
    assert someone.get("/contacts").status_code == 302


def test_a_cookie_from_before_the_logout_cannot_be_replayed(app, client):
    """A copy of the cookies kept from before the logout (a shared desk, a copied profile)
    does not log in again: the logout ends the user's sessions on the server."""
    log_in(client, remember=True)
    kept = {name: client.get_cookie(name).value for name in ("session", "remember_token")}
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/contacts").text)})
    for name, value in kept.items():
        replay = app.test_client()
        replay.set_cookie(name, value)
        assert replay.get("/contacts").status_code == 302, name


def test_logging_out_ends_the_users_other_sessions_too(app, client):
    other_desk = app.test_client()
    log_in(client)
    log_in(other_desk)
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/contacts").text)})
    assert other_desk.get("/contacts").status_code == 302
