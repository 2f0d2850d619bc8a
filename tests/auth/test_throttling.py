"""Failed logins throttled: per account (10 in 15 minutes) and per client address."""
import re
import time
import uuid

import pytest
import redis

from survey_app import config
from tests.helpers import csrf_from

LOCKED = "Too many failed login attempts. Try again in 15 minutes."
WRONG = "Wrong username or password."


def attempt(client, username: str, password: str = "wrong", **request):
    """Post the login form as a browser would (its page first, for the CSRF token)."""
    token = csrf_from(client.get("/login", **request).text)
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token}, **request)


def fail(client, username: str, times: int, **request) -> None:
    for _ in range(times):
        assert attempt(client, username, **request).status_code == 422


def logged_in(client) -> bool:
    return client.get("/contacts").status_code == 200


def test_ten_failures_lock_the_account_the_right_password_too(app, client):
    fail(client, "operator", 9)
    assert attempt(app.test_client(), "operator", "demo").status_code == 303  # nine do not
    fail(client, "operator", 1)
    response = attempt(client, "operator", "demo")
    assert response.status_code == 429
    assert LOCKED in response.text
    assert 'value="operator"' in response.text  # the form again, with the name typed
    assert 880 <= int(response.headers["Retry-After"]) <= 901
    assert not logged_in(client)


@pytest.fixture
def three_failures_lock(app_with):
    """Ten failures cost ten password checks (a second each on a busy machine): three here."""
    return app_with(LOGIN_FAILURES_PER_ACCOUNT=3)


def test_another_account_is_not_locked(three_failures_lock):
    client = three_failures_lock.test_client()
    fail(client, "operator", 3)
    assert attempt(client, "operator", "demo").status_code == 429
    assert attempt(client, "operator2", "demo").status_code == 303


def test_the_locked_accounts_open_session_keeps_working(three_failures_lock):
    operator, someone = three_failures_lock.test_client(), three_failures_lock.test_client()
    assert attempt(operator, "operator", "demo").status_code == 303
    fail(someone, "operator", 3)
    assert attempt(someone, "operator", "demo").status_code == 429
    assert logged_in(operator)
    page = operator.get("/contacts")
    assert operator.post("/language", data={"language": "en", "next": "/contacts",
                                            "csrf_token": csrf_from(page.text)}).status_code == 303


def test_the_account_is_the_name_as_the_login_reads_it(three_failures_lock):
    """Spaces and case do not make another account to try more passwords on."""
    client = three_failures_lock.test_client()
    for typed in ("operator", "  Operator ", "OPERATOR"):
        fail(client, typed, 1)
    assert attempt(client, "operator", "demo").status_code == 429


def _same(response, username: str) -> tuple[int, str]:
    """The answer without what differs by design: the form's token and the name typed."""
    text = re.sub(r'value="[^"]*"|"X-CSRFToken": "[^"]*"', "TOKEN",
                  response.text.replace(username, "NAME"))
    return response.status_code, text


def test_an_unknown_name_gets_the_same_answers_as_an_account(client):
    known, unknown = "operator", "no-such-user"
    for _ in range(10):
        assert _same(attempt(client, known), known) == _same(attempt(client, unknown), unknown)
    locked_known, locked_unknown = attempt(client, known, "demo"), attempt(client, unknown)
    assert _same(locked_known, known) == _same(locked_unknown, unknown)
    assert locked_unknown.status_code == 429 and LOCKED in locked_unknown.text
    assert WRONG not in locked_unknown.text


def test_the_lock_ends_when_the_window_has_passed(app_with):
    client = app_with(LOGIN_WINDOW_SECONDS=2, LOGIN_FAILURES_PER_ACCOUNT=2).test_client()
    first_failure = time.monotonic()
    fail(client, "operator", 2)
    response = attempt(client, "operator", "demo")
    assert response.status_code == 429
    assert "Try again in 1 minute." in response.text
    deadline = time.monotonic() + 15
    while (response := attempt(client, "operator", "demo")).status_code == 429:
        assert time.monotonic() < deadline, "still locked long after the window"
        time.sleep(0.2)
    assert response.status_code == 303
    assert time.monotonic() - first_failure >= 2


def test_one_address_is_limited_across_accounts(app_with):
    client = app_with(LOGIN_FAILURES_PER_ADDRESS=3).test_client()
    for name in ("operator", "supervisor", "no-such-user"):
        fail(client, name, 1)
    response = attempt(client, "marketer", "demo")
    assert response.status_code == 429
    assert LOCKED in response.text, re.findall("Too many[^<]*", response.text)
    assert attempt(client, "admin", "demo").status_code == 429


@pytest.mark.parametrize("proxies, counted_apart", [(1, True), (0, False)])
def test_forwarded_addresses_count_only_behind_the_set_proxies(app_with, proxies, counted_apart):
    """Two people behind one proxy are two addresses; without a proxy set, the header is
    anyone's to write and is ignored."""
    app = app_with(LOGIN_FAILURES_PER_ADDRESS=3, PROXY_COUNT=proxies)
    one, two = app.test_client(), app.test_client()
    fail(one, "operator", 3, headers={"X-Forwarded-For": "10.0.0.1"})
    assert attempt(one, "operator2", "demo",
                   headers={"X-Forwarded-For": "10.0.0.1"}).status_code == 429
    other = attempt(two, "operator2", "demo", headers={"X-Forwarded-For": "10.0.0.2"})
    assert other.status_code == (303 if counted_apart else 429)


def test_with_redis_the_count_outlives_the_process_and_names_no_one(app_with, redis_url):
    name = f"someone-{uuid.uuid4().hex[:8]}"
    fail(app_with(REDIS_URL=redis_url).test_client(), name, 10)
    restarted = app_with(REDIS_URL=redis_url).test_client()  # another web process, or later
    assert attempt(restarted, name).status_code == 429
    keys = [key.decode() for key in redis.Redis.from_url(redis_url).keys("*survey-app-logins*")]
    assert any("account:" in key for key in keys)
    assert not any(name in key for key in keys)


def test_the_lock_is_told_in_the_users_language(three_failures_lock):
    client = three_failures_lock.test_client()
    ukrainian = {"headers": {"Accept-Language": "uk"}}
    fail(client, "operator", 3, **ukrainian)
    response = attempt(client, "operator", "demo", **ukrainian)
    assert response.status_code == 429
    assert "Забагато невдалих спроб входу. Спробуйте знову через 15 хвилин." in response.text


def test_the_limits_come_from_the_environment(monkeypatch, tmp_path):
    for name, value in {"LOGIN_FAILURES_PER_ACCOUNT": "5", "LOGIN_FAILURES_PER_ADDRESS": "50",
                        "LOGIN_WINDOW_SECONDS": "600", "PROXY_COUNT": "1"}.items():
        monkeypatch.setenv(name, value)
    settings = config.from_environment(tmp_path)
    assert (settings["LOGIN_FAILURES_PER_ACCOUNT"], settings["LOGIN_FAILURES_PER_ADDRESS"],
            settings["LOGIN_WINDOW_SECONDS"], settings["PROXY_COUNT"]) == (5, 50, 600, 1)


@pytest.mark.parametrize("name, value", [("LOGIN_WINDOW_SECONDS", "0"),
                                         ("LOGIN_FAILURES_PER_ACCOUNT", "ten"),
                                         ("PROXY_COUNT", "-1")])
def test_a_bad_limit_refuses_to_start(monkeypatch, tmp_path, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=name):
        config.from_environment(tmp_path)
