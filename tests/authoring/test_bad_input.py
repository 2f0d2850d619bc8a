"""The editor's bad input not covered by the form tests beside it: each refused with a clear
status, and nothing changed."""
from html import unescape

from survey_app.models import AnswerOption, Question, Questionnaire, QuestionnaireStatus
from tests.authoring.test_editor import (
    HX,
    add_options,
    add_question,
    errors,
    new_questionnaire,
    post,
    stored,
)
from tests.helpers import login


def _draft_with_choice(marketer) -> tuple[int, int, list[int]]:
    qid = new_questionnaire(marketer)
    first = add_question(marketer, qid, text="Чи сподобався?", kind="choice", is_first="y",
                         branches="y")
    return qid, first, add_options(marketer, qid, first, "Так", "Ні")


def test_a_previous_question_of_another_questionnaire_is_refused_at_its_field(app, marketer):
    qid, _, _ = _draft_with_choice(marketer)
    foreign = stored(app, Question, questionnaire_id=1)[0].id  # Survey 1's
    response = post(marketer, f"/questionnaires/{qid}/questions/new", {
        "text": "Чому?", "kind": "text", "previous_id": foreign, "answer": "any"})
    assert response.status_code == 422 and errors(response.text)
    assert [q.text for q in stored(app, Question, questionnaire_id=qid)] == ["Чи сподобався?"]


def test_an_option_or_a_name_over_the_limit_is_refused(app, marketer):
    qid, first, options = _draft_with_choice(marketer)
    response = post(marketer, f"/questionnaires/{qid}/questions/{first}/options",
                    {"new-text": "x" * 501}, **HX)
    assert response.status_code == 422 and errors(response.text)
    assert [o.id for o in stored(app, AnswerOption, question_id=first)] == options
    response = post(marketer, "/questionnaires/new", {"campaign_id": 1, "name": "я" * 201})
    assert response.status_code == 422 and errors(response.text)
    assert not stored(app, Questionnaire, name="я" * 201)


def test_an_option_of_another_question_is_not_found(app, marketer):
    qid, first, (yes, _) = _draft_with_choice(marketer)
    other = add_question(marketer, qid, text="Коли?", kind="choice", previous_id=first,
                         answer=yes)
    base = f"/questionnaires/{qid}/questions/{other}/options/{yes}"
    assert post(marketer, base, {f"o{yes}-text": "Змінено", f"o{yes}-was": "Так"},
                **HX).status_code == 404
    assert post(marketer, f"{base}/remove", {}, **HX).status_code == 404
    assert stored(app, AnswerOption, id=yes)[0].text == "Так"


def test_nothing_of_a_published_version_changes_in_place(app, marketer):
    survey_one = stored(app, Questionnaire, status=QuestionnaireStatus.PUBLISHED)[0]
    question = min(stored(app, Question, questionnaire_id=survey_one.id), key=lambda q: q.number)
    option = min(stored(app, AnswerOption, question_id=question.id), key=lambda o: o.position)
    options = len(stored(app, AnswerOption, question_id=question.id))
    base = f"/questionnaires/{survey_one.id}/questions/{question.id}"
    for url, data in [(f"{base}/options", {"new-text": "Нова"}),
                      (f"{base}/options/{option.id}", {f"o{option.id}-text": "Змінено",
                                                       f"o{option.id}-was": option.text}),
                      (f"{base}/options/{option.id}/remove", {}),
                      (f"{base}/ways/new", {"previous_id": question.id, "answer": "any"}),
                      (f"{base}/delete", {})]:
        response = post(marketer, url, data, **HX)
        assert response.status_code == 409, url
        assert "published" in unescape(response.text)
    assert stored(app, AnswerOption, id=option.id)[0].text == option.text
    assert len(stored(app, AnswerOption, question_id=question.id)) == options
    assert stored(app, Question, id=question.id)


def test_a_supervisor_reads_the_scripts_and_changes_nothing(app, client):
    login(client, "supervisor")
    assert client.get("/questionnaires").status_code == 200
    assert "Survey 1" in client.get("/questionnaires/1").text
    response = post(client, "/questionnaires/new", {"campaign_id": 1, "name": "Моя"})
    assert response.status_code == 403
    assert not stored(app, Questionnaire, name="Моя")


def test_a_finding_is_counted_in_the_list_and_links_to_its_questions_form(app, marketer):
    qid, first, (yes, no) = _draft_with_choice(marketer)  # "Так" and "Ні" lead nowhere
    why = add_question(marketer, qid, text="Чому?", kind="text", is_last="y",
                       previous_id=first, answer=yes)
    listed = marketer.get("/questionnaires").text
    row = listed.split("Thesis survey", 1)[1].split("</tr>", 1)[0]
    assert "1 error" in row  # "Ні" has no way on
    graph = marketer.get(f"/questionnaires/{qid}/graph", headers=HX).text
    assert f'href="/questionnaires/{qid}/questions/{first}"' in graph
    assert f'href="/questionnaires/{qid}/questions/{why}"' not in graph.split('id="picture"')[0]
