"""Preview: the marketer runs a version on the operator's screen with a sample contact; the
path lives in the session and nothing is written."""
import re
from html import unescape

from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import CustomerAnswer, CustomerSurvey, SurveyEvent
from tests.authoring.test_editor import add_options, add_question, new_questionnaire, post

STEP = {"HX-Request": "true", "HX-Target": "question"}


def written(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (CustomerSurvey, CustomerAnswer, SurveyEvent))


def branching(client) -> tuple[int, int, int, int]:
    qid = new_questionnaire(client, "Preview me")
    first = add_question(client, qid, text="Добрий день, {first_name}! Чи сподобався вебінар?",
                         kind="choice", is_first="y", branches="y", allows_refusal="y")
    yes, no = add_options(client, qid, first, "Так", "Ні")
    add_question(client, qid, text="Що сподобалось, коли ви сказали «{answer:1}»?",
                 kind="text", is_last="y", previous_id=first, answer=yes)
    add_question(client, qid, text="Що не сподобалось?", kind="text", is_last="y",
                 previous_id=first, answer="any")
    return qid, first, yes, no


def shown(html: str) -> tuple[str, int, int]:
    text = unescape(re.search(r'id="question-text"[^>]*>([^<]*)<', html).group(1))
    step = int(re.search(r'name="step" value="(\d+)"', html).group(1))
    question = int(re.search(r'name="question_id" value="(\d+)"', html).group(1))
    return text, step, question


def test_a_draft_runs_as_the_operator_sees_it_and_nothing_is_written(app, marketer):
    qid, first, yes, _no = branching(marketer)
    before = written(app)
    page = marketer.get(f"/questionnaires/{qid}/preview")
    assert page.status_code == 200 and "Nothing is stored" in unescape(page.text)
    text, step, question = shown(page.text)
    assert (text, step, question) == ("Добрий день, Olena! Чи сподобався вебінар?", 0, first)
    assert 'data-key="0"' in page.text  # the refusal's key, as on the operator's screen
    response = post(marketer, f"/questionnaires/{qid}/preview/answer",
                    {"step": 0, "question_id": first, "option_id": yes}, **STEP)
    assert response.status_code == 200 and "<html" not in response.text
    assert shown(response.text)[0] == "Що сподобалось, коли ви сказали «Так»?"
    _text, _step, second = shown(response.text)
    back = post(marketer, f"/questionnaires/{qid}/preview/back",
                {"step": 1, "question_id": second}, **STEP)
    assert shown(back.text)[:2] == ("Добрий день, Olena! Чи сподобався вебінар?", 0)
    assert re.search(rf'value="{yes}"[^>]*\s+checked', back.text)  # the answer given
    post(marketer, f"/questionnaires/{qid}/preview/answer",
         {"step": 0, "question_id": first, "option_id": "refused"}, **STEP)
    page = marketer.get(f"/questionnaires/{qid}/preview")
    _text, step, last = shown(page.text)
    done = post(marketer, f"/questionnaires/{qid}/preview/answer",
                {"step": step, "question_id": last, "value": "Довго"})
    assert done.status_code == 303
    summary = unescape(marketer.get(f"/questionnaires/{qid}/preview").text)
    assert "reached the end" in summary and "Refused / don’t know" in summary and "Довго" in summary
    assert written(app) == before


def test_a_stale_or_wrong_answer_in_the_preview_is_refused(app, marketer):
    qid, first, _yes, _no = branching(marketer)
    marketer.get(f"/questionnaires/{qid}/preview")
    stale = post(marketer, f"/questionnaires/{qid}/preview/answer",
                 {"step": 3, "question_id": first, "option_id": "1"}, **STEP)
    assert stale.status_code == 409 and shown(stale.text)[1] == 0
    wrong = post(marketer, f"/questionnaires/{qid}/preview/answer",
                 {"step": 0, "question_id": first, "option_id": "99999"}, **STEP)
    assert wrong.status_code == 422 and 'id="answer-error"' in wrong.text


def test_an_edit_of_the_draft_starts_the_preview_again(app, marketer):
    qid, first, yes, _no = branching(marketer)
    marketer.get(f"/questionnaires/{qid}/preview")
    post(marketer, f"/questionnaires/{qid}/preview/answer",
         {"step": 0, "question_id": first, "option_id": yes}, **STEP)
    add_options(marketer, qid, first, "Не знаю")  # the draft changes
    assert shown(marketer.get(f"/questionnaires/{qid}/preview").text)[1] == 0


def test_restart_and_an_unknown_questionnaire(app, marketer):
    qid, first, yes, _no = branching(marketer)
    post(marketer, f"/questionnaires/{qid}/preview/answer",
         {"step": 0, "question_id": first, "option_id": yes}, **STEP)
    assert post(marketer, f"/questionnaires/{qid}/preview/restart", {}).status_code == 303
    assert shown(marketer.get(f"/questionnaires/{qid}/preview").text)[1] == 0
    assert marketer.get("/questionnaires/99999/preview").status_code == 404
