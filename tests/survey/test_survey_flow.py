"""The operator's survey through the Flask client: start, answer, Back, change, complete."""
import pytest
from sqlalchemy import event, select

from survey_app.extensions import db
from survey_app.models import CustomerAnswer, CustomerSurvey, SurveyEvent, SurveyStatus
from tests.helpers import (
    HTMX_STEP,
    csrf_from,
    sample_contact_id,
    screen_of,
    start_survey,
    step,
)

LIKED = "Чи сподобався вам вебінар?"
NPS = "Яка вірогідність що ви порекомендуєте нас знайомим та друзям? Від 1 до 10."
EMAIL = "Вам цікаво отримувати на пошту подібні запрошення на лекції?"
DISLIKED = "Що не сподобалось на вебінарі?"
UNSUBSCRIBE = "Чи хочете ви відписатись?"
TIME = "О котрій годині вам зручно відвідувати семінари?"


def _start(app, client):
    url = start_survey(client, sample_contact_id(app))
    return url, screen_of(client.get(url).text)


def _answer(client, url, screen, **answer):
    response = step(client, url, "answer", screen.form(**answer))
    return response, (screen_of(response.text) if response.status_code != 204 else None)


def test_runner_page_shows_client_data_question_and_buttons(app, operator):
    url, screen = _start(app, operator)
    page = operator.get(url).text
    for fact in ("Уляненко Олександра", "Our company", "Молниста Наталья", "Employee",
                 "Українська", "Marketing manager", "Ukraine", "aleksandra-ulianenko@gmail.com"):
        assert fact in page
    assert screen.text == LIKED and screen.step == 0
    assert list(screen.options) == ["Так", "Ні"]
    for label in (">Next <kbd", ">Back <kbd", ">Cancel survey<"):
        assert label in page
    # below the survey: addresses, anniversaries and previous surveys
    assert "Delivery: Ukraine, Kyiv, Moskovskyi ave. 16" in page
    assert "31/05/1989 · Birthday" in page
    assert "Customer surveys" in page


def test_whole_survey_completes_and_lands_on_the_card(app, operator):
    url, screen = _start(app, operator)
    response, screen = _answer(operator, url, screen, option_id=screen.options["Ні"])
    assert response.status_code == 200 and "<html" not in response.text
    assert screen.text == NPS
    response, screen = _answer(operator, url, screen, value="8")
    assert screen.text == EMAIL
    response, screen = _answer(operator, url, screen, option_id=screen.options["Так"])
    assert screen.text == TIME
    response, _ = _answer(operator, url, screen, option_id=screen.options["18:00-21:00"])
    assert response.status_code == 204
    card = operator.get(response.headers["HX-Redirect"])
    assert "Survey completed" in card.text
    assert 'class="highlight"' in card.text and "Survey 1" in card.text
    review = operator.get(url).text
    assert [LIKED, NPS, EMAIL, TIME] == _questions(review)
    assert ["Ні", "8", "Так", "18:00-21:00"] == _answers(review)
    with app.app_context():
        survey = db.session.scalar(select(CustomerSurvey))
        assert survey.status == SurveyStatus.COMPLETED and survey.finished_at
        assert survey.step == 4


def test_back_shows_the_previous_answer_and_a_new_answer_takes_the_new_branch(app, operator):
    url, screen = _start(app, operator)
    _, screen = _answer(operator, url, screen, option_id=screen.options["Так"])
    _, screen = _answer(operator, url, screen, value="5")
    assert screen.text == DISLIKED
    _, screen = _answer(operator, url, screen, value="Too long")
    assert screen is None  # free-text question 4 is last: the survey completed
    url, screen = _start(app, operator)
    _, screen = _answer(operator, url, screen, option_id=screen.options["Так"])
    _, screen = _answer(operator, url, screen, value="5")
    back = step(operator, url, "back", screen.form())
    screen = screen_of(back.text)
    assert screen.text == NPS and screen.value == "5"
    _, screen = _answer(operator, url, screen, value="2")
    assert screen.text == UNSUBSCRIBE
    response, _ = _answer(operator, url, screen, option_id=screen.options["Ні"])
    assert response.status_code == 204
    answers = _answers(operator.get(url).text)
    assert answers == ["Так", "2", "Ні"]


def test_back_twice_then_same_answers_keep_later_answers_preselected(app, operator):
    url, screen = _start(app, operator)
    _, screen = _answer(operator, url, screen, option_id=screen.options["Ні"])
    _, screen = _answer(operator, url, screen, value="9")
    screen = screen_of(step(operator, url, "back", screen.form()).text)
    screen = screen_of(step(operator, url, "back", screen.form()).text)
    assert screen.text == LIKED and screen.checked == screen.options["Ні"]
    _, screen = _answer(operator, url, screen, option_id=screen.options["Ні"])
    assert screen.text == NPS and screen.value == "9"


def test_changing_an_earlier_answer_drops_answers_off_the_new_path(app, operator):
    url, screen = _start(app, operator)
    _, screen = _answer(operator, url, screen, option_id=screen.options["Ні"])
    _, screen = _answer(operator, url, screen, value="9")
    _, screen = _answer(operator, url, screen, option_id=screen.options["Так"])
    assert screen.text == TIME
    for _ in range(2):
        screen = screen_of(step(operator, url, "back", screen.form()).text)
    assert screen.text == NPS
    _, screen = _answer(operator, url, screen, value="4")
    assert screen.text == DISLIKED and screen.value == ""
    with app.app_context():
        questions = db.session.scalars(select(CustomerAnswer.question_text)
                                       .order_by(CustomerAnswer.position)).all()
    assert questions == [LIKED, NPS]


def test_time_per_question_and_back_presses_are_recorded(app, operator):
    url, screen = _start(app, operator)
    _, screen = _answer(operator, url, screen, option_id=screen.options["Ні"])
    screen = screen_of(step(operator, url, "back", screen.form()).text)
    _, screen = _answer(operator, url, screen, option_id=screen.options["Так"])
    with app.app_context():
        kinds = db.session.scalars(select(SurveyEvent.kind).order_by(SurveyEvent.id)).all()
        answer = db.session.scalar(select(CustomerAnswer))
        assert answer.shown_at <= answer.answered_at
    assert kinds == ["started", "answered", "back", "answered"]
    _, screen = _answer(operator, url, screen, value="2")
    _answer(operator, url, screen, option_id=screen.options["Ні"])
    assert "<dt>Back presses</dt><dd>1</dd>" in operator.get(url).text.replace("\n", "")


def test_survey_left_in_progress_is_offered_on_the_card_and_resumes_where_it_stopped(
        app, operator):
    url, screen = _start(app, operator)
    _, screen = _answer(operator, url, screen, option_id=screen.options["Так"])
    contact_id = sample_contact_id(app)
    card = operator.get(f"/contacts/{contact_id}").text
    assert "Surveys in progress" in card and "Resume survey" in card
    resume_url = f"{url}/resume"
    assert resume_url in card
    response = step(operator, url, "resume", {}, htmx=False)
    assert response.status_code == 303 and response.headers["Location"] == url
    assert screen_of(operator.get(url).text).text == NPS
    with app.app_context():
        assert "resumed" in db.session.scalars(select(SurveyEvent.kind)).all()


def test_starting_again_resumes_the_open_survey_instead_of_opening_a_second(app, operator):
    first = start_survey(operator, sample_contact_id(app))
    second = start_survey(operator, sample_contact_id(app))
    assert first == second
    with app.app_context():
        assert len(db.session.scalars(select(CustomerSurvey)).all()) == 1


def test_cancel_keeps_the_partial_answers_and_returns_to_the_card(app, operator):
    url, screen = _start(app, operator)
    _, screen = _answer(operator, url, screen, option_id=screen.options["Так"])
    response = step(operator, url, "cancel", screen.form())
    assert response.status_code == 204
    card = operator.get(response.headers["HX-Redirect"]).text
    assert "Survey cancelled" in card and "Cancelled" in card
    assert _answers(operator.get(url).text) == ["Так"]
    with app.app_context():
        assert db.session.scalar(select(CustomerSurvey.status)) == SurveyStatus.CANCELLED


def test_without_javascript_each_step_redirects_to_the_runner_page(app, operator):
    url, screen = _start(app, operator)
    response = step(operator, url, "answer", screen.form(option_id=screen.options["Так"]),
                    htmx=False)
    assert response.status_code == 303 and response.headers["Location"] == url
    assert screen_of(operator.get(url).text).text == NPS


def test_reload_shows_the_whole_page_at_the_current_question(app, operator):
    url, screen = _start(app, operator)
    _answer(operator, url, screen, option_id=screen.options["Так"])
    page = operator.get(url)
    assert "<html" in page.text and screen_of(page.text).text == NPS


def _questions(html: str) -> list[str]:
    import re
    return re.findall(r"<tr><td>\d+</td><td>([^<]*)</td>", html)


def _answers(html: str) -> list[str]:
    import re
    from html import unescape
    # the answer is the cell's first text (an answer changed on the way notes the earlier one)
    return [unescape(a) for a in re.findall(r"<tr><td>\d+</td><td>[^<]*</td><td>([^<]*)<",
                                            html)]


def test_answers_are_shown_escaped_never_as_markup(app, operator):
    url, screen = _start(app, operator)
    _, screen = _answer(operator, url, screen, option_id=screen.options["Так"])
    refused = step(operator, url, "answer", screen.form(value='"><script>x()</script>'))
    assert refused.status_code == 422 and "<script>x()" not in refused.text
    assert 'value="&#34;&gt;&lt;script&gt;x()&lt;/script&gt;"' in refused.text
    _, screen = _answer(operator, url, screen, value="5")
    response, _ = _answer(operator, url, screen, value="<b>bold</b> & <script>x()</script>")
    assert response.status_code == 204
    review = operator.get(url).text
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;x()&lt;/script&gt;" in review
    assert "<script>x()" not in review


def test_the_number_keys_hint_shows_only_on_a_choice_question(app, operator):
    url = start_survey(operator, sample_contact_id(app))
    page = operator.get(url).text  # Survey 1's question 1: a choice
    assert "choose an answer" in page and "Question 1 of 3–4" in page
    first = screen_of(page)
    answer = step(operator, url, "answer", {"step": first.step, "question_id": first.question_id,
                                            "option_id": first.options["Так"]}).text
    assert "Від 1 до 10" in answer and "choose an answer" not in answer  # a number question
    assert "Question 2 of 3–4" in answer


def _to_the_free_text_question(operator, url):
    """Survey 1: Так, then 5 (4-6 lead to question 4, the free text); the text question."""
    first = screen_of(operator.get(url).text)
    yes = first.form(option_id=first.options["Так"])
    rating = screen_of(step(operator, url, "answer", yes).text)
    return screen_of(step(operator, url, "answer", rating.form(value="5")).text), rating


@pytest.mark.parametrize("htmx", [True, False])
def test_back_keeps_the_typed_text_and_coming_forward_shows_it(app, operator, htmx):
    url = start_survey(operator, sample_contact_id(app))
    text_question, rating = _to_the_free_text_question(operator, url)
    typed = "Звук переривався, і мало прикладів"
    back = step(operator, url, "back", text_question.form(value=typed), htmx=htmx)
    assert back.status_code in (200, 303)
    again = screen_of(operator.get(url).text)  # a reload: the rating question
    assert again.question_id == rating.question_id and again.value == "5"
    forward = screen_of(step(operator, url, "answer", again.form(value="5")).text)
    assert forward.question_id == text_question.question_id and forward.value == typed
    with app.app_context():  # kept like a stepped-over answer, not yet confirmed
        survey = db.session.get(CustomerSurvey, int(url.rsplit("/", 1)[1]))
        assert survey.step == 2 and survey.status == SurveyStatus.IN_PROGRESS
        events = [(e.kind, e.answer_text) for e in db.session.scalars(
            select(SurveyEvent).where(SurveyEvent.survey_id == survey.id)
            .order_by(SurveyEvent.id))]
        assert ("back", typed) in events


def test_a_typed_text_left_by_back_is_not_an_answer_when_the_survey_is_cancelled(app, operator):
    url = start_survey(operator, sample_contact_id(app))
    text_question, _rating = _to_the_free_text_question(operator, url)
    step(operator, url, "back", text_question.form(value="не підтверджено"))
    step(operator, url, "cancel", {})
    with app.app_context():
        texts = db.session.scalars(select(CustomerAnswer.answer_text).where(
            CustomerAnswer.survey_id == int(url.rsplit("/", 1)[1]))).all()
    assert "не підтверджено" not in texts and len(texts) == 1  # only the confirmed Так


def test_back_with_a_number_out_of_range_keeps_nothing_and_refuses_nothing(app, operator):
    url = start_survey(operator, sample_contact_id(app))
    first = screen_of(operator.get(url).text)
    yes = first.form(option_id=first.options["Так"])
    rating = screen_of(step(operator, url, "answer", yes).text)
    back = screen_of(step(operator, url, "back", rating.form(value="11")).text)
    assert back.question_id == first.question_id and back.error is None
    yes = back.form(option_id=back.options["Так"])
    forward = screen_of(step(operator, url, "answer", yes).text)
    assert forward.question_id == rating.question_id and forward.value in (None, "")


def test_starting_completing_and_cancelling_read_the_operator_once(app, operator):
    """The operator is read once a request, for the session. Telling the floor after the
    commit had read them again, the commit having expired them: one SELECT more in the
    start, the completing step and the cancel of every survey."""
    with app.app_context():
        engine = db.engine
    seen = []
    def note(conn, cursor, statement, *args):  # noqa: E306
        seen.append(statement)

    def users_read(call) -> int:
        seen.clear()
        event.listen(engine, "before_cursor_execute", note)
        try:
            response = call()
        finally:
            event.remove(engine, "before_cursor_execute", note)
        assert response.status_code in (200, 204, 303), response.text
        return sum("FROM users" in statement for statement in seen)

    contact = sample_contact_id(app)
    page = operator.get(f"/contacts/{contact}/surveys/new").text
    started = users_read(lambda: operator.post(f"/contacts/{contact}/surveys/new", data={
        "campaign_id": 1, "questionnaire_id": 1, "csrf_token": csrf_from(page)}))
    url = [u for u in operator.get(f"/contacts/{contact}").text.split('"')
           if u.startswith("/surveys/") and u[9:].isdecimal()][0]
    screen = screen_of(operator.get(url).text)
    headers = {**HTMX_STEP, "X-CSRFToken": csrf_from(page)}  # no page read in the count
    cancelled = users_read(lambda: operator.post(f"{url}/cancel", data=screen.form(),
                                                 headers=headers))
    url, screen = _start(app, operator)
    _, screen = _answer(operator, url, screen, option_id=screen.options["Ні"])
    _, screen = _answer(operator, url, screen, value="8")
    _, screen = _answer(operator, url, screen, option_id=screen.options["Так"])
    completed = users_read(lambda: operator.post(f"{url}/answer", data=screen.form(
        option_id=screen.options["18:00-21:00"]), headers=headers))
    assert (started, cancelled, completed) == (1, 1, 1)
