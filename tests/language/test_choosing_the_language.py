"""Which language a page speaks: the user's saved choice, the login page's choice (a cookie),
the browser's Accept-Language, then DEFAULT_LANGUAGE; and the switch, a real form."""
import pytest
from sqlalchemy import select

from survey_app import config
from survey_app.extensions import db
from survey_app.models import User
from tests.helpers import csrf_from, login, post_empty_login

UK = {"Accept-Language": "uk-UA,uk;q=0.9,en;q=0.5"}
EN = {"Accept-Language": "en-GB,en;q=0.9"}


def saved_language(app, username="operator"):
    with app.app_context():
        return db.session.scalar(select(User.language).where(User.username == username))


def switch(client, language, next_page="/contacts", headers=None):
    token = csrf_from(client.get("/login", headers=headers).text)
    return client.post("/language", data={"language": language, "next": next_page,
                                          "csrf_token": token}, headers=headers)


@pytest.mark.parametrize(("headers", "lang", "words"), [
    (UK, "uk", ["Ім'я користувача", "Пароль", "Увійти"]),
    (EN, "en", ["Username", "Password", "Log in"]),
    ({"Accept-Language": "ru-RU,ru;q=0.9"}, "en", ["Username"]),  # not spoken: the default
])
def test_the_browsers_language_picks_the_login_page_language(client, headers, lang, words):
    page = client.get("/login", headers=headers).text
    assert f'<html lang="{lang}">' in page
    for word in words:
        assert word in page


@pytest.mark.parametrize("default", ["uk", "en"])
def test_without_accept_language_default_language_decides(app, client, default):
    app.config["DEFAULT_LANGUAGE"] = default
    page = client.get("/login").text
    assert f'<html lang="{default}">' in page
    assert ("Увійти" if default == "uk" else "Log in") in page


def test_default_language_is_ukrainian_and_a_language_not_spoken_is_refused(monkeypatch,
                                                                              tmp_path):
    assert config.defaults()["DEFAULT_LANGUAGE"] == "uk"
    monkeypatch.setenv("DEFAULT_LANGUAGE", "de")
    with pytest.raises(ValueError, match="DEFAULT_LANGUAGE='de': use one of uk, en"):
        config.from_environment(tmp_path)


def test_a_choice_on_the_login_page_is_kept_and_becomes_the_users_saved_choice(app, client):
    assert saved_language(app) is None
    chosen = switch(client, "uk", next_page="/login", headers=EN)
    assert chosen.status_code == 303 and chosen.headers["Location"] == "/login"
    assert client.get_cookie("language").value == "uk"
    assert '<html lang="uk">' in client.get("/login", headers=EN).text  # over the browser
    login(client, "operator")
    assert saved_language(app) == "uk"
    assert "Контакти" in client.get("/contacts", headers=EN).text


def test_the_saved_choice_wins_over_the_browser_and_the_header_switch_saves_it(app, client):
    login(client, "operator")
    assert "Contacts" in client.get("/contacts", headers=EN).text  # nothing saved: browser
    token = csrf_from(client.get("/contacts").text)
    moved = client.post("/language", data={"language": "uk", "next": "/calls?page=2",
                                            "csrf_token": token}, headers=EN)
    assert moved.status_code == 303 and moved.headers["Location"] == "/calls?page=2"
    assert saved_language(app) == "uk"
    client.delete_cookie("language")  # another browser of the same user
    assert '<html lang="uk">' in client.get("/contacts", headers=EN).text


def test_the_header_of_every_page_has_the_switch_with_the_current_language_pressed(operator):
    page = operator.get("/calls", headers=UK).text
    assert 'action="/language"' in page and 'name="next" value="/calls"' in page
    assert 'value="uk" lang="uk" class="link"\n          aria-pressed="true">Українська' in page
    assert 'aria-pressed="false">English' in page


@pytest.mark.parametrize("tampered", ["de", "", "uk; DROP TABLE users", "EN"])
def test_a_tampered_language_is_refused_and_changes_nothing(app, operator, tampered):
    token = csrf_from(operator.get("/contacts").text)
    refused = operator.post("/language", data={"language": tampered, "next": "/contacts",
                                               "csrf_token": token}, headers=UK)
    assert refused.status_code == 400
    assert "Ця мова недоступна; нічого не змінено." in refused.text
    assert saved_language(app) is None
    assert operator.get_cookie("language") is None


def test_the_switch_needs_its_csrf_token(app, operator):
    refused = operator.post("/language", data={"language": "uk"}, headers=EN)
    assert refused.status_code == 400 and "security token" in refused.text
    assert saved_language(app) is None


def test_the_switch_never_sends_the_user_to_another_site(client):
    moved = switch(client, "en", next_page="https://evil.example/")
    assert moved.status_code == 303 and moved.headers["Location"] == "/contacts"


def test_htmx_fragments_and_error_messages_speak_the_users_language(app, operator):
    token = csrf_from(operator.get("/contacts").text)
    operator.post("/language", data={"language": "uk", "next": "/", "csrf_token": token})
    fragment = operator.get("/contacts?q=Уляненко",
                            headers={**EN, "HX-Request": "true", "HX-Target": "contact-results"})
    assert "<html" not in fragment.text and "Ім’я" in fragment.text
    missing = operator.get("/contacts/99999", headers=EN)
    assert missing.status_code == 404 and "Такого контакту немає." in missing.text
    not_mine = operator.get("/training", headers={"HX-Request": "true"})
    assert not_mine.status_code == 403 and "Ця сторінка лише для ролі: адміністратор." in \
        not_mine.text


def test_a_form_shown_again_after_a_post_switches_back_to_that_form(client):
    refused = post_empty_login(client, EN)
    assert refused.status_code == 422
    assert 'name="next" value="/login"' in refused.text
