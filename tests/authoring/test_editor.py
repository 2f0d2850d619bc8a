"""The marketer's editor through its forms: campaigns, questionnaires, the question form and
the options grid, each bad input refused at its field with nothing changed."""
import re
from html import unescape

import pytest
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import (
    AnswerOption,
    Campaign,
    Question,
    Questionnaire,
    QuestionnaireStatus,
    Transition,
)
from tests.helpers import csrf, login

HX = {"HX-Request": "true"}


def errors(html: str) -> list[str]:
    return [unescape(e) for e in re.findall(r'class="field-error"[^>]*>([^<]*)<', html)]



def post(client, url: str, data: dict, **headers):
    return client.post(url, data={"csrf_token": csrf(client), **data}, headers=headers)


def new_questionnaire(client, name="Thesis survey", campaign_id=1) -> int:
    response = post(client, "/questionnaires/new", {"campaign_id": campaign_id, "name": name,
                                                    "description": "From the thesis"})
    assert response.status_code == 303, errors(response.text)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def add_question(client, qid: int, **fields) -> int:
    response = post(client, f"/questionnaires/{qid}/questions/new", fields)
    assert response.status_code == 303, errors(response.text)
    with client.application.app_context():
        return db.session.scalar(select(Question.id).where(Question.questionnaire_id == qid)
                                 .order_by(Question.id.desc()).limit(1))


def add_options(client, qid: int, question_id: int, *texts) -> list[int]:
    for text in texts:
        response = post(client, f"/questionnaires/{qid}/questions/{question_id}/options",
                        {"new-text": text}, **HX)
        assert response.status_code == 200, errors(response.text)
    with client.application.app_context():
        return db.session.scalars(select(AnswerOption.id).where(
            AnswerOption.question_id == question_id).order_by(AnswerOption.position)).all()


def stored(app, model, **where):
    with app.app_context():
        return db.session.scalars(select(model).filter_by(**where)).all()


# --- campaigns -------------------------------------------------------------------------------

def test_a_marketer_creates_renames_and_deactivates_a_campaign(app, marketer):
    response = post(marketer, "/campaigns", {"name": "Spring webinar"})
    assert response.status_code == 303
    assert "Spring webinar" in marketer.get("/campaigns").text
    campaign = stored(app, Campaign, name="Spring webinar")[0]
    response = post(marketer, f"/campaigns/{campaign.id}", {f"c{campaign.id}-name": "Spring"})
    assert response.status_code == 303 and stored(app, Campaign, name="Spring")
    assert post(marketer, f"/campaigns/{campaign.id}/active", {}).status_code == 303
    assert stored(app, Campaign, name="Spring")[0].active is False
    operator = app.test_client()
    login(operator, "operator")
    offered = unescape(operator.get("/contacts/1/surveys/new").text)
    assert ">Spring</option>" not in offered and "CRM Days" in offered


def test_a_duplicate_campaign_name_is_refused_at_its_field(app, marketer):
    response = post(marketer, "/campaigns", {"name": 'Conference "CRM Days"'})
    assert response.status_code == 422
    assert "A campaign with this name already exists." in errors(response.text)
    assert len(stored(app, Campaign)) == 2


def test_an_operator_reads_questionnaires_but_changes_nothing(app, operator):
    assert operator.get("/questionnaires").status_code == 200
    assert operator.get("/questionnaires/1").status_code == 200
    assert operator.get("/questionnaires/new").status_code == 403
    assert post(operator, "/campaigns", {"name": "Mine"}).status_code == 403
    assert post(operator, "/questionnaires/1/questions/1", {"text": "x"}).status_code in (403,)
    assert not stored(app, Campaign, name="Mine")


# --- questionnaires --------------------------------------------------------------------------

def test_a_new_questionnaire_is_a_draft_listed_with_its_counts(app, marketer):
    qid = new_questionnaire(marketer)
    page = marketer.get(f"/questionnaires/{qid}").text
    assert "Thesis survey" in page and "Draft" in page and "No questions yet." in page
    row = re.search(r"<tr>(?:(?!</tr>).)*Thesis survey.*?</tr>",
                    marketer.get("/questionnaires").text, re.S).group(0)
    cells = [c.strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
    assert cells[2:6] == ["Draft", "1", "0", "0"]  # status, version, questions, surveys taken


def test_a_second_questionnaire_of_the_same_name_in_a_campaign_is_refused(app, marketer):
    response = post(marketer, "/questionnaires/new", {"campaign_id": 1, "name": "Survey 1"})
    assert response.status_code == 422
    assert errors(response.text) == [
        "This campaign already has a questionnaire with this name."]


# --- the question form -----------------------------------------------------------------------

def test_the_first_question_added_is_marked_first(marketer):
    qid = new_questionnaire(marketer)
    page = marketer.get(f"/questionnaires/{qid}/questions/new").text
    assert re.search(r'<input checked id="is_first"', page)


def test_a_second_first_question_and_a_missing_previous_one_are_refused(app, marketer):
    qid = new_questionnaire(marketer)
    add_question(marketer, qid, text="Чи сподобався вам вебінар?", kind="choice",
                 is_first="y")
    response = post(marketer, f"/questionnaires/{qid}/questions/new",
                    {"text": "Друге", "kind": "text", "is_first": "y"})
    assert response.status_code == 422
    assert errors(response.text) == ["Question 1 is already the first question."]
    response = post(marketer, f"/questionnaires/{qid}/questions/new",
                    {"text": "Друге", "kind": "text"})
    assert errors(response.text) == [
        "Choose the previous question: only the first question has none."]
    assert "Друге" in response.text  # what was typed is kept
    assert len(stored(app, Question, questionnaire_id=qid)) == 1


def test_the_answer_is_required_and_must_be_one_of_the_previous_questions(app, marketer):
    qid = new_questionnaire(marketer)
    first = add_question(marketer, qid, text="Чи сподобався?", kind="choice", is_first="y",
                         branches="y")
    yes, _no = add_options(marketer, qid, first, "Так", "Ні")
    foreign = stored(app, AnswerOption)[0].id  # an option of Survey 1
    cases = [("", "Question 1 depends on the answer: choose which answer leads here."),
             (str(foreign), "Choose one of the answers of question 1.")]
    for answer, message in cases:
        response = post(marketer, f"/questionnaires/{qid}/questions/new",
                        {"text": "Чому?", "kind": "text", "previous_id": first,
                         "answer": answer})
        assert response.status_code == 422 and errors(response.text) == [message]
    add_question(marketer, qid, text="Чому?", kind="text", previous_id=first, answer=yes)
    response = post(marketer, f"/questionnaires/{qid}/questions/new",
                    {"text": "Ще раз?", "kind": "text", "previous_id": first, "answer": yes})
    assert errors(response.text) == ["This answer of question 1 already leads to question 2."]
    ways = stored(app, Transition, questionnaire_id=qid)
    assert [(w.source_id, w.option_id) for w in ways] == [(first, yes)]


@pytest.mark.parametrize(("low", "high", "message"), [
    ("7", "4", "“From” is greater than “To”."),
    ("0", "3", "Question 1 takes numbers from 1 to 10."),
    ("", "3", "Question 1 depends on the answer: enter From and To, or tick “Any other "
              "answer”."),
])
def test_a_range_must_be_ordered_and_within_the_previous_questions_bounds(
        app, marketer, low, high, message):
    qid = new_questionnaire(marketer)
    nps = add_question(marketer, qid, text="NPS", kind="number", min_value=1, max_value=10,
                       is_first="y", branches="y")
    response = post(marketer, f"/questionnaires/{qid}/questions/new",
                    {"text": "Чому?", "kind": "text", "previous_id": nps, "range_low": low,
                     "range_high": high})
    assert response.status_code == 422 and errors(response.text) == [message]
    assert not stored(app, Transition, questionnaire_id=qid)


def test_overlapping_ranges_are_saved_and_found_by_the_checks(app, marketer):
    """The thesis's 4-7 and 7-10: a finding on the page, not a refusal of the form."""
    qid = new_questionnaire(marketer)
    nps = add_question(marketer, qid, text="NPS", kind="number", min_value=1, max_value=10,
                       is_first="y", branches="y")
    for low, high in (("1", "3"), ("4", "7"), ("7", "10")):
        add_question(marketer, qid, text=f"{low}-{high}", kind="text", is_last="y",
                     previous_id=nps, range_low=low, range_high=high)
    page = marketer.get(f"/questionnaires/{qid}").text
    assert "overlap" in page.lower()
    assert "4–7 → " in unescape(page) or "4–7" in unescape(page)


def test_a_question_text_over_the_limit_is_refused(app, marketer):
    qid = new_questionnaire(marketer)
    response = post(marketer, f"/questionnaires/{qid}/questions/new",
                    {"text": "x" * 2001, "kind": "text", "is_first": "y"})
    assert response.status_code == 422 and errors(response.text)
    assert not stored(app, Question, questionnaire_id=qid)


def test_a_stale_question_form_is_refused_with_the_question_as_it_is_now(app, marketer):
    qid = new_questionnaire(marketer)
    first = add_question(marketer, qid, text="Перше", kind="text", is_first="y")
    url = f"/questionnaires/{qid}/questions/{first}"
    opened = {"text": "Моя зміна", "kind": "text", "is_first": "y", "revision": "1"}
    assert post(marketer, url, {**opened, "text": "Їхня зміна"}).status_code == 303
    response = post(marketer, url, opened)  # made on the form opened before their save
    assert response.status_code == 409
    assert "Another marketer saved this questionnaire" in unescape(response.text)
    assert "Їхня зміна" in response.text
    assert stored(app, Question, id=first)[0].text == "Їхня зміна"


def test_a_published_version_is_never_edited_in_place(app, marketer):
    survey_one = stored(app, Questionnaire, status=QuestionnaireStatus.PUBLISHED)[0]
    question = stored(app, Question, questionnaire_id=survey_one.id)[0]
    url = f"/questionnaires/{survey_one.id}/questions/{question.id}"
    response = post(marketer, url, {"text": "Changed", "kind": "text", "is_first": "y"})
    assert response.status_code == 409 and "published" in response.text
    assert marketer.get(f"/questionnaires/{survey_one.id}/questions/99999").status_code == 409
    assert stored(app, Question, id=question.id)[0].text == question.text


def test_a_question_of_another_questionnaire_is_not_found(app, marketer):
    qid = new_questionnaire(marketer)
    foreign = stored(app, Question)[0].id
    assert marketer.get(f"/questionnaires/{qid}/questions/{foreign}").status_code == 404


def test_choosing_a_previous_question_reloads_the_answer_with_its_options(app, marketer):
    qid = new_questionnaire(marketer)
    first = add_question(marketer, qid, text="Чи сподобався?", kind="choice", is_first="y",
                         branches="y")
    add_options(marketer, qid, first, "Так", "Ні")
    nps = add_question(marketer, qid, text="NPS", kind="number", min_value=1, max_value=10,
                       branches="y", previous_id=first, answer="any")
    field = marketer.get(f"/questionnaires/{qid}/questions/answer-field?previous_id={first}",
                         headers=HX).text
    assert "<html" not in field
    assert re.findall(r"<option[^>]*>([^<]*)</option>", field) == [
        "", "Так", "Ні", "Any other answer"]
    field = marketer.get(f"/questionnaires/{qid}/questions/answer-field?previous_id={nps}",
                         headers=HX).text
    assert 'name="range_low"' in field and 'name="range_high"' in field


# --- the options grid ------------------------------------------------------------------------

def test_options_are_added_saved_moved_and_an_empty_one_refused(app, marketer):
    qid = new_questionnaire(marketer)
    first = add_question(marketer, qid, text="Час?", kind="choice", is_first="y",
                         is_last="y")
    a, b = add_options(marketer, qid, first, "09:00", "12:00")
    base = f"/questionnaires/{qid}/questions/{first}/options"
    response = post(marketer, base, {"new-text": " "}, **HX)
    assert response.status_code == 422 and errors(response.text) == ["Enter the option’s text."]
    response = post(marketer, f"{base}/{a}", {f"o{a}-text": "09:00-12:00", f"o{a}-was": "09:00"},
                    **HX)
    assert response.status_code == 200 and "<html" not in response.text
    assert f'id="option-{a}"' in response.text and "09:00-12:00" in response.text
    response = post(marketer, f"{base}/{a}/move", {"direction": "down"}, **HX)
    assert response.status_code == 200
    texts = [o.text for o in sorted(stored(app, AnswerOption, question_id=first),
                                    key=lambda o: o.position)]
    assert texts == ["12:00", "09:00-12:00"]


def test_a_stale_option_row_is_refused_with_its_text_now(app, marketer):
    qid = new_questionnaire(marketer)
    first = add_question(marketer, qid, text="Час?", kind="choice", is_first="y",
                         is_last="y")
    (a,) = add_options(marketer, qid, first, "09:00")
    url = f"/questionnaires/{qid}/questions/{first}/options/{a}"
    assert post(marketer, url, {f"o{a}-text": "Ранок", f"o{a}-was": "09:00"}, **HX).status_code \
        == 200
    response = post(marketer, url, {f"o{a}-text": "Вечір", f"o{a}-was": "09:00"}, **HX)
    assert response.status_code == 409 and "Ранок" in response.text
    assert stored(app, AnswerOption, id=a)[0].text == "Ранок"


def test_an_option_a_way_starts_from_is_not_removed(app, marketer):
    qid = new_questionnaire(marketer)
    first = add_question(marketer, qid, text="Чи сподобався?", kind="choice", is_first="y",
                         branches="y")
    yes, no = add_options(marketer, qid, first, "Так", "Ні")
    add_question(marketer, qid, text="Чому?", kind="text", previous_id=first, answer=yes)
    base = f"/questionnaires/{qid}/questions/{first}/options"
    response = post(marketer, f"{base}/{yes}/remove", {}, **HX)
    assert response.status_code == 409
    assert "A way on starts from this answer" in unescape(response.text)
    response = post(marketer, f"{base}/{no}/remove", {}, **HX)
    assert response.status_code == 200 and response.text == ""
    assert [o.id for o in stored(app, AnswerOption, question_id=first)] == [yes]
