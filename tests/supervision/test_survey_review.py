"""One survey reviewed: its facts and call, the path as asked (Back presses, changed answers,
time per question), and a supervisor's score and comment that its operator reads."""
import re

import pytest
from sqlalchemy import update

from survey_app.extensions import db
from survey_app.models import Call, CustomerSurvey
from tests.helpers import csrf, login, sample_contact_id, screen_of, start_survey, step


def _survey_with_a_change(app, operator) -> tuple[str, int]:
    """Survey 1 answered "Ні", stepped back, answered "Так" instead, then cancelled."""
    url = start_survey(operator, sample_contact_id(app))
    first = screen_of(operator.get(url).text)
    step(operator, url, "answer", first.form(option_id=first.options["Ні"]))
    step(operator, url, "back", {"step": 1})
    step(operator, url, "answer", first.form(option_id=first.options["Так"]))
    step(operator, url, "cancel", {})
    return url, int(url.rsplit("/", 1)[1])


def _reviewer(app, username="supervisor"):
    reviewer = app.test_client()
    login(reviewer, username)
    return reviewer


def _review(client, url, **fields):
    return client.post(f"{url}/review", data={"csrf_token": csrf(client), **fields})


def _stored_review(app, survey_id):
    with app.app_context():
        survey = db.session.get(CustomerSurvey, survey_id)
        return survey.review_score, survey.review_comment, \
            survey.reviewed_by.username if survey.reviewed_by else None


def test_the_path_shows_back_presses_and_the_answer_changed(app, operator):
    url, _ = _survey_with_a_change(app, operator)
    page = _reviewer(app).get(url).text
    assert "<dt>Back presses</dt><dd>1</dd>" in page.replace("\n", "")
    answers = page.split('id="customer-answers"')[1].split("</table>")[0]
    assert "Так" in answers and "changed from: Ні" in answers
    path = page.split('id="path-as-asked"')[1].split("</details>")[0]
    kinds = re.findall(r'<tr class="step-(\w+)">', path)
    assert kinds == ["started", "answered", "back", "answered", "cancelled"]
    assert "(was: Ні)" in path and path.count("1. Чи сподобався вам вебінар?") == 3


def test_supervisor_scores_and_the_operator_reads_it(app, operator):
    url, survey_id = _survey_with_a_change(app, operator)
    supervisor = _reviewer(app)
    response = _review(supervisor, url, score="4", comment="  Чітко, але уточнюйте email.  ")
    assert response.status_code == 303
    assert "Review saved" in supervisor.get(response.headers["Location"]).text
    assert _stored_review(app, survey_id) == (4, "Чітко, але уточнюйте email.", "supervisor")
    own = operator.get(url).text
    assert "<strong>4 of 5</strong> · by Ірина Бондар" in own
    assert "Чітко, але уточнюйте email." in own and 'id="review-form"' not in own
    # another operator opening the contact's survey sees the answers, not the feedback
    other = _reviewer(app, "operator2").get(url).text
    assert 'id="customer-answers"' in other and "4 of 5" not in other
    assert "4 of 5" in _reviewer(app).get("/surveys?reviewed=yes").text


def test_the_review_can_be_changed(app, operator):
    url, survey_id = _survey_with_a_change(app, operator)
    supervisor = _reviewer(app)
    _review(supervisor, url, score="2", comment="Погано")
    page = supervisor.get(url).text
    assert "Change review" in page and '<input checked id="score-1" name="score"' in page
    _review(supervisor, url, score="5", comment="")
    assert _stored_review(app, survey_id) == (5, None, "supervisor")


@pytest.mark.parametrize("fields, message", [
    ({"score": "7"}, "Choose a score from 1 to 5."),
    ({"score": "abc"}, "Choose a score from 1 to 5."),
    ({"comment": "Без оцінки"}, "Choose a score from 1 to 5."),
    ({"score": "3", "comment": "x" * 2001}, "Field cannot be longer than 2000 characters."),
])
def test_a_bad_review_says_why_and_stores_nothing(app, operator, fields, message):
    url, survey_id = _survey_with_a_change(app, operator)
    response = _review(_reviewer(app), url, **fields)
    assert response.status_code == 422
    assert message in response.text
    if "comment" in fields and len(fields["comment"]) < 100:
        assert fields["comment"] in response.text  # what was typed stays
    assert _stored_review(app, survey_id) == (None, None, None)


def test_only_supervisors_review_and_only_finished_surveys(app, operator):
    url, survey_id = _survey_with_a_change(app, operator)
    refused = _review(operator, url, score="5")
    assert refused.status_code == 403 and "Only supervisors review surveys." in refused.text
    assert operator.post(f"{url}/review", data={"score": "5"}).status_code == 400  # no token
    open_url = start_survey(operator, sample_contact_id(app))
    still_open = _review(_reviewer(app), open_url, score="3")
    assert still_open.status_code == 409 and "still in progress" in still_open.text
    assert _review(_reviewer(app), "/surveys/999999", score="3").status_code == 404
    assert _stored_review(app, survey_id) == (None, None, None)


def test_the_call_it_was_taken_in(app, operator):
    url, survey_id = _survey_with_a_change(app, operator)
    with app.app_context():
        call = Call(linkedid="1700000000.1", extension="305", direction="inbound",
                    external_number="+380501234567", state="ended", outcome="answered",
                    talk_seconds=125, started_at=db.session.get(CustomerSurvey,
                                                                survey_id).started_at)
        db.session.add(call)
        db.session.flush()
        db.session.execute(update(CustomerSurvey).where(CustomerSurvey.id == survey_id)
                           .values(call_id=call.id))
        db.session.commit()
    page = _reviewer(app).get(url).text
    call_fact = re.search(r'id="survey-call">([^<]*)<', page).group(1)
    assert call_fact.startswith("Inbound, ") and "Answered · talk time 2 min 05 s" in call_fact
