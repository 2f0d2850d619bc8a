"""Forms, validation messages (the app's, WTForms' and Flask-WTF's), flashes, the CSRF
refusal and the survey's own messages, in Ukrainian for a Ukrainian browser."""
import json
import re

from tests.helpers import (
    HTMX_STEP,
    csrf_from,
    login,
    post_empty_login,
    sample_contact_id,
    screen_of,
)

UK = {"Accept-Language": "uk"}


def test_wtforms_own_required_message_is_ukrainian(client):
    refused = post_empty_login(client, UK)
    assert refused.status_code == 422
    assert "Це поле є обов&#39;язковим." in refused.text


def test_a_wrong_password_and_the_logout_flash_are_ukrainian(client):
    token = csrf_from(client.get("/login", headers=UK).text)
    refused = client.post("/login", data={"username": "operator", "password": "x",
                                          "csrf_token": token}, headers=UK)
    assert "Неправильне ім’я користувача або пароль." in refused.text
    login(client, "operator")
    token = csrf_from(client.get("/contacts", headers=UK).text)
    out = client.post("/logout", data={"csrf_token": token}, headers=UK, follow_redirects=True)
    assert "Ви вийшли із системи." in out.text


def test_a_missing_csrf_token_is_refused_in_ukrainian(operator):
    refused = operator.post("/logout", headers=UK)
    assert refused.status_code == 400
    assert "Токен безпеки форми відсутній або застарів." in refused.text


def test_a_page_that_needs_a_login_says_so_in_ukrainian(client):
    asked = client.get("/contacts", headers=UK, follow_redirects=True)
    assert "Увійдіть, щоб відкрити цю сторінку." in asked.text


def test_the_app_validation_messages_are_ukrainian(operator):
    token = csrf_from(operator.get("/contacts/new", headers=UK).text)
    refused = operator.post("/contacts/new", data={
        "last_name": "Тест", "phone": "12", "email": "no-at", "contact_type": "client",
        "csrf_token": token}, headers=UK)
    assert refused.status_code == 422
    assert "Це некоректний номер телефону." in refused.text
    assert "Це не адреса електронної пошти." in refused.text
    assert '<option selected value="client">Клієнт</option>' in refused.text


def test_the_survey_refusal_and_the_next_question_come_in_ukrainian(app, operator):
    page = operator.get(f"/contacts/{sample_contact_id(app)}/surveys/new", headers=UK).text
    assert "Оберіть кампанію" in page and "Кампанія" in page and "Опитувальник" in page
    token = csrf_from(page)
    started = operator.post(f"/contacts/{sample_contact_id(app)}/surveys/new", data={
        "campaign_id": 1, "questionnaire_id": 1, "csrf_token": token}, headers=UK)
    url = started.headers["Location"]
    run = operator.get(url, headers=UK).text
    assert "Далі" in run and "Назад" in run and "Скасувати опитування" in run
    assert "Скасувати це опитування? Уже надані відповіді буде збережено." in run
    first = screen_of(run)
    refused = operator.post(f"{url}/answer", data={**first.form(), "csrf_token": token},
                            headers={**UK, **HTMX_STEP})
    assert refused.status_code == 422 and "<html" not in refused.text
    assert screen_of(refused.text).error == "Оберіть одну з відповідей."


def test_the_page_carries_the_scripts_words_in_its_language(client):
    page = client.get("/login", headers=UK).text
    words = json.loads(re.search(
        r'<script type="application/json" id="client-text">(.*?)</script>', page).group(1))
    assert words["offline"] == "Сервер недоступний. Перевірте з’єднання; нічого не записано."
    assert words["requestFailed"] == "Запит не виконано (%(status)s)."
    assert words["incomingCall"] == "Вхідний дзвінок"
