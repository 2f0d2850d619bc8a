"""A draft's questions on its page: deleted (refused while a way leads to one), moved and
renumbered ({answer:N} references follow), and other ways in added, edited and removed; the
page shows the findings, how to get there, and the picture."""
import re
from html import unescape

from survey_app.authoring import picture
from survey_app.models import AnswerOption, Question, Transition
from tests.authoring.test_editor import add_options, add_question, errors, new_questionnaire, post
from tests.authoring.test_versions import rows, two_questions


def numbers(app, qid: int) -> dict[str, int]:
    return {q.text: q.number for q in rows(app, Question, questionnaire_id=qid)}


def test_a_question_another_follows_is_not_deleted_a_last_one_is(app, marketer):
    qid, first, second = two_questions(marketer)
    response = post(marketer, f"/questionnaires/{qid}/questions/{first}/delete", {})
    assert response.status_code == 409
    assert "the way to question 2 starts from it" in unescape(response.text)
    assert len(numbers(app, qid)) == 2
    response = post(marketer, f"/questionnaires/{qid}/questions/{second}/delete", {})
    assert response.status_code == 303 and numbers(app, qid) == {"Чи сподобався вебінар?": 1}
    assert rows(app, Transition, questionnaire_id=qid) == []  # its way in went with it


def test_a_question_is_moved_up_and_down_and_answer_references_follow(app, marketer):
    qid, first, second = two_questions(marketer)
    third = add_question(marketer, qid, text="Ви сказали {answer:2}. Дякуємо!", kind="text",
                         is_last="y", previous_id=second)
    response = post(marketer, f"/questionnaires/{qid}/questions/{third}/move",
                    {"direction": "up"})
    assert response.status_code == 303
    assert numbers(app, qid) == {"Чи сподобався вебінар?": 1,
                                 "Ви сказали {answer:3}. Дякуємо!": 2, "Чому?": 3}
    post(marketer, f"/questionnaires/{qid}/questions/{third}/move", {"direction": "down"})
    assert numbers(app, qid) == {"Чи сподобався вебінар?": 1, "Чому?": 2,
                                 "Ви сказали {answer:2}. Дякуємо!": 3}
    post(marketer, f"/questionnaires/{qid}/questions/{first}/move", {"direction": "up"})
    assert numbers(app, qid)["Чи сподобався вебінар?"] == 1  # the top one stays
    assert len(rows(app, Transition, questionnaire_id=qid)) == 2  # the ways go with them


def test_renumbering_closes_gaps_and_rewrites_references(app, marketer):
    qid = new_questionnaire(marketer, "Gaps")
    one = add_question(marketer, qid, text="Один", kind="text", is_first="y")
    two = add_question(marketer, qid, text="Два {answer:1}", kind="text", previous_id=one)
    three = add_question(marketer, qid, text="Три", kind="text", is_last="y", previous_id=two)
    four = add_question(marketer, qid, text="Чотири: {answer:3}, { answer: 5 }", kind="text",
                        is_last="y", previous_id=three)
    refused = post(marketer, f"/questionnaires/{qid}/questions/{three}/delete", {})
    assert refused.status_code == 409 and "Delete and join the gap" in refused.text
    assert len(numbers(app, qid)) == 4
    joined = post(marketer, f"/questionnaires/{qid}/questions/{three}/delete", {"bridge": "1"})
    assert joined.status_code == 303
    assert [(w.source_id, w.target_id) for w in rows(app, Transition, questionnaire_id=qid)] \
        == [(one, two), (two, four)]
    assert post(marketer, f"/questionnaires/{qid}/renumber", {}).status_code == 303
    assert numbers(app, qid) == {"Один": 1, "Два {answer:1}": 2,
                                 "Чотири: {answer:3}, { answer: 5 }": 3}


def test_another_way_in_is_added_edited_and_removed(app, marketer):
    qid = new_questionnaire(marketer, "Graph")
    first = add_question(marketer, qid, text="Чи сподобався?", kind="choice", is_first="y",
                         branches="y")
    yes, no = add_options(marketer, qid, first, "Так", "Ні")
    why = add_question(marketer, qid, text="Чому?", kind="text", is_last="y",
                       previous_id=first, answer=yes)
    url = f"/questionnaires/{qid}/questions/{why}/ways"
    assert "Add a way in" in marketer.get(f"/questionnaires/{qid}/questions/{why}").text
    revision = rows(app, Question, id=why)[0].revision
    taken = post(marketer, f"{url}/new", {"previous_id": first, "answer": yes,
                                          "revision": revision})
    assert taken.status_code == 422 and "already leads to question 2" in errors(taken.text)[0]
    response = post(marketer, f"{url}/new", {"previous_id": first, "answer": no,
                                             "revision": revision})
    assert response.status_code == 303
    ways = rows(app, Transition, target_id=why)
    assert {w.option_id for w in ways} == {yes, no}
    other = max(ways, key=lambda w: w.id)
    page = unescape(marketer.get(f"/questionnaires/{qid}/questions/{why}").text)
    assert "from question 1" in page and "Ні" in page
    revision = rows(app, Question, id=why)[0].revision
    edited = post(marketer, f"{url}/{other.id}", {"previous_id": first, "answer": "any",
                                                  "revision": revision})
    assert edited.status_code == 303
    assert rows(app, Transition, id=other.id)[0].option_id is None
    stale = post(marketer, f"{url}/{other.id}", {"previous_id": first, "answer": no,
                                                 "revision": revision})
    assert stale.status_code == 409 and rows(app, Transition, id=other.id)[0].option_id is None
    shown = unescape(stale.text)  # the way as it is now: "any other answer" chosen
    assert "Another marketer saved this questionnaire" in shown
    assert re.search(r'<option selected value="any">|<option value="any" selected>', stale.text)
    assert post(marketer, f"{url}/{other.id}/remove", {}).status_code == 303
    assert [w.option_id for w in rows(app, Transition, target_id=why)] == [yes]
    assert post(marketer, f"{url}/99999/remove", {}).status_code == 404


def test_the_page_shows_findings_with_how_to_get_there_and_the_picture(app, marketer):
    picture._rendered.entries.clear()  # drawn by an earlier test of the same graph, maybe
    qid = new_questionnaire(marketer, "Dead end")
    first = add_question(marketer, qid, text="Чи сподобався?", kind="choice", is_first="y",
                         branches="y")
    yes, _no = add_options(marketer, qid, first, "Так", "Ні")
    add_question(marketer, qid, text="Чому <b>так</b>?", kind="text", is_last="y",
                 previous_id=first, answer=yes)
    page = marketer.get(f"/questionnaires/{qid}")
    text = unescape(page.text)
    assert "How to get there: 1 → Ні" in text
    assert 'hx-trigger="load"' in page.text  # the picture comes in its own request
    drawn = marketer.get(f"/questionnaires/{qid}/picture", headers={"HX-Request": "true"}).text
    assert "<svg" in drawn and 'class="question-graph"' in drawn and "<b>так</b>" not in drawn
    assert "<svg" in marketer.get(f"/questionnaires/{qid}").text  # drawn once, then inline
    assert "<b>так</b>" not in page.text  # escaped in the list and in the picture
    fragment = marketer.get(f"/questionnaires/{qid}/graph", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and 'id="findings"' in fragment.text
    assert "<html" not in fragment.text


def test_an_option_saved_on_the_question_page_asks_for_the_findings_anew(app, marketer):
    qid = new_questionnaire(marketer, "Refresh")
    first = add_question(marketer, qid, text="Час?", kind="choice", is_first="y")
    response = post(marketer, f"/questionnaires/{qid}/questions/{first}/options",
                    {"new-text": "Ранок"}, **{"HX-Request": "true"})
    assert response.headers.get("HX-Trigger") == "graph-changed"
    page = marketer.get(f"/questionnaires/{qid}/questions/{first}").text
    assert 'hx-trigger="graph-changed from:body"' in page


def test_an_option_like_another_of_the_question_is_refused(app, marketer):
    qid = new_questionnaire(marketer, "Twins")
    first = add_question(marketer, qid, text="Час?", kind="choice", is_first="y")
    add_options(marketer, qid, first, "Ранок", "Вечір")
    twin = post(marketer, f"/questionnaires/{qid}/questions/{first}/options",
                {"new-text": " ранок "}, **{"HX-Request": "true"})
    assert twin.status_code == 422 and "already has this option" in unescape(twin.text)
    assert len(rows(app, AnswerOption, question_id=first)) == 2


def test_a_new_choice_question_goes_on_to_its_options(app, marketer):
    qid = new_questionnaire(marketer, "Straight to options")
    response = post(marketer, f"/questionnaires/{qid}/questions/new",
                    {"text": "Час?", "kind": "choice", "is_first": "y"})
    assert response.status_code == 303 and response.headers["Location"].endswith("#options")


def test_moving_the_first_option_up_changes_nothing_and_asks_for_no_refresh(app, marketer):
    qid = new_questionnaire(marketer, "Ends")
    first = add_question(marketer, qid, text="Час?", kind="choice", is_first="y")
    morning, _evening = add_options(marketer, qid, first, "Ранок", "Вечір")
    response = post(marketer, f"/questionnaires/{qid}/questions/{first}/options/{morning}/move",
                    {"direction": "up"}, **{"HX-Request": "true"})
    assert response.status_code == 204 and "HX-Trigger" not in response.headers
    assert [o.text for o in sorted(rows(app, AnswerOption, question_id=first),
                                   key=lambda o: o.position)] == ["Ранок", "Вечір"]
