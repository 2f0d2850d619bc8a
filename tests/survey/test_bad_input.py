"""Bad input on the survey routes: a clear message, a 4xx, and nothing stored."""
import threading

import pytest
from sqlalchemy import delete, func, select, update

from survey_app.extensions import db
from survey_app.models import (
    CustomerAnswer,
    CustomerSurvey,
    Questionnaire,
    QuestionnaireStatus,
    SurveyEvent,
    Transition,
)
from tests.helpers import (
    HTMX_STEP,
    csrf,
    csrf_from,
    login,
    sample_contact_id,
    screen_of,
    start_survey,
    step,
)


@pytest.fixture
def running(app, operator):
    """An operator at question 1 of Survey 1."""
    url = start_survey(operator, sample_contact_id(app))
    return url, screen_of(operator.get(url).text)


def _stored(app) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(CustomerAnswer)),
                db.session.scalar(select(func.count()).select_from(SurveyEvent)))


@pytest.mark.parametrize("answer, message", [
    ({}, "Please choose one of the answers."),
    ({"option_id": ""}, "Please choose one of the answers."),
    ({"option_id": "abc"}, "That answer is not one of this question’s options."),
    ({"option_id": "999999"}, "That answer is not one of this question’s options."),
])
def test_invalid_choice_is_refused_with_a_message(app, operator, running, answer, message):
    url, screen = running
    before = _stored(app)
    response = step(operator, url, "answer", screen.form(**answer))
    assert response.status_code == 422
    shown = screen_of(response.text)
    assert shown.error == message and shown.text == screen.text
    assert _stored(app) == before


def test_option_of_another_question_is_refused(app, operator, running):
    url, screen = running
    response = step(operator, url, "answer", screen.form(option_id=screen.options["Так"]))
    nps = screen_of(response.text)
    _, time_screen = _to_time_question(operator, url, nps)
    before = _stored(app)
    response = step(operator, url, "answer", time_screen.form(option_id=screen.options["Так"]))
    assert response.status_code == 422
    assert screen_of(response.text).error == "That answer is not one of this question’s options."
    assert _stored(app) == before


def _to_time_question(client, url, nps):
    email = screen_of(step(client, url, "answer", nps.form(value="10")).text)
    response = step(client, url, "answer", email.form(option_id=email.options["Так"]))
    return response, screen_of(response.text)


@pytest.mark.parametrize("value, message", [
    ("", "Please enter the client’s answer."),
    ("   ", "Please enter the client’s answer."),
    ("0", "Please enter a number from 1 to 10."),
    ("11", "Please enter a number from 1 to 10."),
    ("-3", "Please enter a number from 1 to 10."),
    ("7.5", "Please enter a whole number."),
    ("seven", "Please enter a whole number."),
])
def test_number_outside_the_range_or_not_a_number_is_refused(app, operator, running, value,
                                                             message):
    url, screen = running
    nps = screen_of(step(operator, url, "answer",
                         screen.form(option_id=screen.options["Так"])).text)
    before = _stored(app)
    response = step(operator, url, "answer", nps.form(value=value))
    assert response.status_code == 422
    assert screen_of(response.text).error == message
    assert _stored(app) == before


def test_unknown_survey_is_404_with_a_message(operator):
    response = operator.post("/surveys/424242/answer", data={"step": 0, "question_id": 1},
                             headers={**HTMX_STEP, "X-CSRFToken": csrf(operator)})
    assert response.status_code == 404
    assert "There is no such survey." in response.text
    assert operator.get("/surveys/424242").status_code == 404


@pytest.mark.parametrize("action", ["answer", "back", "cancel", "resume"])
def test_another_operators_survey_is_refused(app, client, running, action):
    url, screen = running
    client.post("/logout", data={"csrf_token": csrf(client)})
    login(client, "operator2")
    before = _stored(app)
    response = step(client, url, action, screen.form(option_id=screen.options["Так"]))
    assert response.status_code == 403
    assert "This survey belongs to another operator." in response.text
    assert _stored(app) == before
    # they may still read it, but get no runner
    assert "Cancel survey" not in client.get(url).text


@pytest.mark.parametrize("finish", ["cancel", "complete"])
@pytest.mark.parametrize("action", ["answer", "back", "cancel", "resume"])
def test_nothing_more_is_recorded_on_a_closed_survey(app, operator, running, finish, action):
    url, screen = running
    if finish == "cancel":
        step(operator, url, "cancel", screen.form())
        state = "cancelled"
    else:
        nps = screen_of(step(operator, url, "answer",
                             screen.form(option_id=screen.options["Так"])).text)
        unsubscribe = screen_of(step(operator, url, "answer", nps.form(value="1")).text)
        step(operator, url, "answer", unsubscribe.form(option_id=unsubscribe.options["Ні"]))
        state = "completed"
    before = _stored(app)
    response = step(operator, url, action, screen.form(option_id=screen.options["Так"]))
    assert response.status_code == 409
    assert f"This survey is already {state}" in response.text
    if action != "resume":
        assert response.headers["HX-Redirect"] == url
    assert _stored(app) == before


def test_missing_csrf_token_is_refused_and_nothing_stored(app, operator, running):
    url, screen = running
    before = _stored(app)
    response = operator.post(f"{url}/answer", data=screen.form(option_id=screen.options["Так"]),
                             headers=HTMX_STEP)
    assert response.status_code == 400
    assert "security token" in response.text and "<html" not in response.text
    assert _stored(app) == before


@pytest.mark.parametrize("username", ["supervisor", "marketer", "admin"])
def test_non_operators_cannot_start_or_run_a_survey(app, client, running, username):
    url, screen = running
    client.post("/logout", data={"csrf_token": csrf(client)})
    login(client, username)
    contact = sample_contact_id(app)
    page = client.get(f"/contacts/{contact}")
    assert "Start survey" not in page.text
    response = client.get(f"/contacts/{contact}/surveys/new")
    assert response.status_code == 403 and "Only operators can run surveys." in response.text
    response = client.post(f"/contacts/{contact}/surveys/new", data={
        "campaign_id": 1, "questionnaire_id": 1, "csrf_token": csrf_from(page.text)})
    assert response.status_code == 403
    before = _stored(app)
    assert step(client, url, "answer", screen.form(option_id=screen.options["Так"])
                ).status_code == 403
    assert _stored(app) == before


def test_double_click_records_the_answer_once_and_shows_the_current_question(app, operator,
                                                                            running):
    url, screen = running
    data = screen.form(option_id=screen.options["Ні"])
    first = step(operator, url, "answer", data)
    second = step(operator, url, "answer", data)
    assert first.status_code == 200 and second.status_code == 409
    assert screen_of(second.text).text == screen_of(first.text).text
    assert "already answered" in screen_of(second.text).notice
    assert _stored(app)[0] == 1


def test_stale_tab_with_an_old_question_records_nothing(app, operator, running):
    url, screen = running
    nps = screen_of(step(operator, url, "answer",
                         screen.form(option_id=screen.options["Ні"])).text)
    before = _stored(app)
    # the stale tab still shows question 1 and answers it differently
    response = step(operator, url, "answer", screen.form(option_id=screen.options["Так"]))
    assert response.status_code == 409 and screen_of(response.text).text == nps.text
    # a forged question id at the right step is stale too
    response = step(operator, url, "answer", {"step": 1, "question_id": screen.question_id,
                                              "option_id": screen.options["Так"]})
    assert response.status_code == 409
    assert _stored(app) == before


def test_double_back_goes_back_once(app, operator, running):
    url, screen = running
    nps = screen_of(step(operator, url, "answer",
                         screen.form(option_id=screen.options["Ні"])).text)
    email = screen_of(step(operator, url, "answer", nps.form(value="9")).text)
    first = step(operator, url, "back", email.form())
    second = step(operator, url, "back", email.form())
    assert screen_of(first.text).text == nps.text
    assert second.status_code == 409 and screen_of(second.text).text == nps.text


def test_back_on_the_first_question_records_nothing(app, operator, running):
    url, screen = running
    before = _stored(app)
    response = step(operator, url, "back", screen.form())
    assert response.status_code == 409 and screen_of(response.text).text == screen.text
    assert _stored(app) == before


@pytest.mark.parametrize("data", [{}, {"step": "x", "question_id": "1"}, {"step": "0"}])
def test_tampered_step_fields_are_refused(app, operator, running, data):
    url, _ = running
    before = _stored(app)
    response = step(operator, url, "answer", data)
    assert response.status_code == 400 and "reload the page" in response.text
    assert _stored(app) == before


def test_simultaneous_posts_of_one_step_store_one_answer(app, running):
    url, screen = running
    clients = [app.test_client() for _ in range(4)]
    for c in clients:
        login(c, "operator")
    tokens = [csrf(c) for c in clients]
    barrier, results = threading.Barrier(len(clients)), []

    def post(c, token):
        barrier.wait()
        results.append(c.post(f"{url}/answer", headers={**HTMX_STEP, "X-CSRFToken": token},
                              data=screen.form(option_id=screen.options["Так"])).status_code)

    pairs = zip(clients, tokens, strict=True)
    threads = [threading.Thread(target=post, args=pair) for pair in pairs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200, 409, 409, 409]
    assert _stored(app)[0] == 1


def test_start_refuses_a_questionnaire_of_another_campaign_or_unpublished(app, operator):
    contact = sample_contact_id(app)
    page = operator.get(f"/contacts/{contact}/surveys/new")
    token = csrf_from(page.text)
    response = operator.post(f"/contacts/{contact}/surveys/new", data={
        "campaign_id": 2, "questionnaire_id": 1, "csrf_token": token})
    assert response.status_code == 422
    assert "Choose a questionnaire of this campaign." in response.text
    with app.app_context():
        db.session.execute(update(Questionnaire).values(status=QuestionnaireStatus.DRAFT))
        db.session.commit()
    response = operator.post(f"/contacts/{contact}/surveys/new", data={
        "campaign_id": 1, "questionnaire_id": 1, "csrf_token": token})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CustomerSurvey)) == 0


def test_start_on_an_unknown_contact_is_404(operator):
    response = operator.get("/contacts/999999/surveys/new")
    assert response.status_code == 404 and "There is no such contact." in response.text


def test_questionnaire_changed_under_an_open_survey_explains_and_lets_it_be_cancelled(
        app, operator, running):
    url, screen = running
    step(operator, url, "answer", screen.form(option_id=screen.options["Так"]))
    with app.app_context():  # the author removes the way from question 1 to question 2
        db.session.execute(delete(Transition).where(Transition.source_id == screen.question_id))
        db.session.execute(update(Questionnaire).values(revision=Questionnaire.revision + 1))
        db.session.commit()
    before = _stored(app)
    response = step(operator, url, "answer", {"step": 1, "question_id": 2, "value": "5"})
    assert response.status_code == 409 and "This survey cannot go on" in response.text
    assert _stored(app) == before
    page = operator.get(url)
    assert page.status_code == 200 and "This survey cannot go on" in page.text
    assert "Cancel survey" in page.text
    assert step(operator, url, "cancel", {}).status_code == 204
