"""Versions of a questionnaire through the editor's buttons: publish (refused while the checks
find errors), "Edit" making the draft of the next version with the same keys, the version
list and comparison, archive, duplicate and discard; each refusal changes nothing."""
from html import unescape

from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import (
    AuditEvent,
    CustomerSurvey,
    Question,
    Questionnaire,
    QuestionnaireStatus,
    Transition,
)
from tests.authoring.test_editor import add_options, add_question, new_questionnaire, post
from tests.helpers import login

PUBLISHED, SUPERSEDED, DRAFT, ARCHIVED = (
    QuestionnaireStatus.PUBLISHED, QuestionnaireStatus.SUPERSEDED, QuestionnaireStatus.DRAFT,
    QuestionnaireStatus.ARCHIVED)


def two_questions(client, name="Autumn poll") -> tuple[int, int, int]:
    """A draft: "Did you like it?" (Так / Ні) then "Why?", last. Its id and the questions'."""
    qid = new_questionnaire(client, name)
    first = add_question(client, qid, text="Чи сподобався вебінар?", kind="choice",
                         is_first="y")
    add_options(client, qid, first, "Так", "Ні")
    second = add_question(client, qid, text="Чому?", kind="text", is_last="y",
                          previous_id=first)
    return qid, first, second


def version(app, qid: int) -> Questionnaire:
    with app.app_context():
        found = db.session.get(Questionnaire, qid)
        db.session.expunge(found)
        return found


def rows(app, model, **where) -> list:
    with app.app_context():
        return db.session.scalars(select(model).filter_by(**where)).all()


def test_publishing_is_refused_while_the_checks_find_errors(app, marketer):
    qid = new_questionnaire(marketer, "Broken")
    add_question(marketer, qid, text="Перше", kind="text", is_first="y")  # leads nowhere
    response = post(marketer, f"/questionnaires/{qid}/publish", {})
    assert response.status_code == 422
    assert "Not published: the checks found 1 error; fix it first." in unescape(response.text)
    assert version(app, qid).status == DRAFT


def test_a_draft_is_published_with_who_and_when_and_an_audit_entry(app, marketer):
    qid, _first, _second = two_questions(marketer)
    response = post(marketer, f"/questionnaires/{qid}/publish", {})
    assert response.status_code == 303
    published = version(app, qid)
    assert published.status == PUBLISHED and published.published_at is not None
    page = unescape(marketer.get(f"/questionnaires/{qid}/versions").text)
    assert "Тарас Шевчук" in page and "Published" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "questionnaire_published")) == 1
    assert post(marketer, f"/questionnaires/{qid}/publish", {}).status_code == 409


def test_edit_makes_the_next_versions_draft_with_the_same_keys(app, marketer):
    qid, first, second = two_questions(marketer)
    post(marketer, f"/questionnaires/{qid}/publish", {})
    response = post(marketer, f"/questionnaires/{qid}/edit", {})
    assert response.status_code == 303
    draft_id = int(response.headers["Location"].rsplit("/", 1)[1])
    draft = version(app, draft_id)
    assert (draft.key, draft.version, draft.status) == (version(app, qid).key, 2, DRAFT)
    old = {q.key: q.text for q in rows(app, Question, questionnaire_id=qid)}
    new = {q.key: q.text for q in rows(app, Question, questionnaire_id=draft_id)}
    assert old == new
    assert len(rows(app, Transition, questionnaire_id=draft_id)) == 1
    listed = unescape(marketer.get("/questionnaires").text)
    assert "version 1 published" in listed
    # "Edit" again finds the same draft rather than a second one
    again = post(marketer, f"/questionnaires/{qid}/edit", {})
    assert again.headers["Location"].endswith(f"/questionnaires/{draft_id}")


def test_publishing_the_next_version_supersedes_the_old_and_new_surveys_start_on_it(
        app, marketer):
    qid, first, second = two_questions(marketer)
    post(marketer, f"/questionnaires/{qid}/publish", {})
    draft_id = int(post(marketer, f"/questionnaires/{qid}/edit", {})
                   .headers["Location"].rsplit("/", 1)[1])
    changed = rows(app, Question, questionnaire_id=draft_id, number=2)[0]
    response = post(marketer, f"/questionnaires/{draft_id}/questions/{changed.id}", {
        "text": "Чому саме так?", "kind": "text", "is_last": "y",
        "previous_id": rows(app, Question, questionnaire_id=draft_id, number=1)[0].id,
        "revision": changed.revision})
    assert response.status_code == 303
    assert post(marketer, f"/questionnaires/{draft_id}/publish", {}).status_code == 303
    assert (version(app, qid).status, version(app, draft_id).status) == (SUPERSEDED, PUBLISHED)
    operator = app.test_client()
    login(operator, "operator")
    campaign = version(app, qid).campaign_id
    offered = operator.get(f"/surveys/questionnaires?campaign_id={campaign}").text
    assert f'value="{draft_id}"' in offered and f'value="{qid}"' not in offered
    comparison = unescape(marketer.get(
        f"/questionnaires/{draft_id}/versions?old={qid}&new={draft_id}").text)
    assert "Questions changed" in comparison and "Чому саме так?" in comparison
    assert "Questions added" not in comparison


def test_the_comparison_shows_questions_and_ways_added_and_removed(app, marketer):
    qid, first, second = two_questions(marketer)
    post(marketer, f"/questionnaires/{qid}/publish", {})
    draft_id = int(post(marketer, f"/questionnaires/{qid}/edit", {})
                   .headers["Location"].rsplit("/", 1)[1])
    one = rows(app, Question, questionnaire_id=draft_id, number=1)[0]
    add_question(marketer, draft_id, text="Дякуємо!", kind="text", is_last="y",
                 previous_id=rows(app, Question, questionnaire_id=draft_id, number=2)[0].id)
    page = unescape(marketer.get(f"/questionnaires/{draft_id}/versions").text)
    assert "Questions added" in page and "Дякуємо!" in page
    assert "Ways added" in page and "question 2 · any answer" not in page
    assert one.text in unescape(marketer.get(f"/questionnaires/{draft_id}").text)


def test_a_survey_in_progress_finishes_on_the_version_it_started(app, marketer):
    qid, first, second = two_questions(marketer)
    post(marketer, f"/questionnaires/{qid}/publish", {})
    operator = app.test_client()
    login(operator, "operator")
    response = post(operator, "/contacts/1/surveys/new",
                    {"campaign_id": version(app, qid).campaign_id, "questionnaire_id": qid})
    assert response.status_code == 303, response.text
    survey_url = response.headers["Location"]
    draft_id = int(post(marketer, f"/questionnaires/{qid}/edit", {})
                   .headers["Location"].rsplit("/", 1)[1])
    assert post(marketer, f"/questionnaires/{draft_id}/publish", {}).status_code == 303
    page = unescape(operator.get(survey_url).text)
    assert "Чи сподобався вебінар?" in page  # the old version goes on
    survey = rows(app, CustomerSurvey, questionnaire_id=qid)
    assert len(survey) == 1


def test_archive_hides_every_version_and_keeps_its_history(app, marketer):
    qid, _first, _second = two_questions(marketer)
    post(marketer, f"/questionnaires/{qid}/publish", {})
    assert post(marketer, f"/questionnaires/{qid}/archive", {}).status_code == 303
    assert version(app, qid).status == ARCHIVED
    marketer.get(f"/questionnaires/{qid}")  # shows the flash
    listed = unescape(marketer.get("/questionnaires").text)
    assert "Autumn poll" not in listed
    assert "Autumn poll" in unescape(marketer.get("/questionnaires?archived=1").text)
    assert post(marketer, f"/questionnaires/{qid}/archive", {}).status_code == 409
    assert post(marketer, f"/questionnaires/{qid}/edit", {}).status_code == 409
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "questionnaire_archived")) == 1


def test_duplicate_is_a_new_questionnaire_with_new_keys(app, marketer):
    qid, _first, _second = two_questions(marketer)
    response = post(marketer, f"/questionnaires/{qid}/duplicate", {})
    copy = version(app, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert copy.name == "Autumn poll (copy)" and copy.key != version(app, qid).key
    assert copy.status == DRAFT and copy.version == 1
    old = {q.text: q.key for q in rows(app, Question, questionnaire_id=qid)}
    new = {q.text: q.key for q in rows(app, Question, questionnaire_id=copy.id)}
    assert old.keys() == new.keys() and not set(old.values()) & set(new.values())
    second = post(marketer, f"/questionnaires/{qid}/duplicate", {})
    assert version(app, int(second.headers["Location"].rsplit("/", 1)[1])).name == \
        "Autumn poll (copy 2)"


def test_discarding_a_draft_goes_back_to_the_published_version(app, marketer):
    qid, _first, _second = two_questions(marketer)
    post(marketer, f"/questionnaires/{qid}/publish", {})
    draft_id = int(post(marketer, f"/questionnaires/{qid}/edit", {})
                   .headers["Location"].rsplit("/", 1)[1])
    response = post(marketer, f"/questionnaires/{draft_id}/discard", {})
    assert response.headers["Location"].endswith(f"/questionnaires/{qid}")
    assert rows(app, Questionnaire, id=draft_id) == []
    assert rows(app, Question, questionnaire_id=draft_id) == []
    assert post(marketer, f"/questionnaires/{qid}/discard", {}).status_code == 409
    assert version(app, qid).status == PUBLISHED


def test_version_buttons_need_a_marketer_and_a_csrf_token(app, marketer):
    qid, _first, _second = two_questions(marketer)
    assert marketer.post(f"/questionnaires/{qid}/publish").status_code == 400
    operator = app.test_client()
    login(operator, "operator")
    for action in ("publish", "edit", "duplicate", "archive", "discard"):
        assert post(operator, f"/questionnaires/{qid}/{action}", {}).status_code == 403
    assert version(app, qid).status == DRAFT
    assert post(marketer, "/questionnaires/99999/publish", {}).status_code == 404


def test_a_draft_name_and_description_are_edited(app, marketer):
    qid, _first, _second = two_questions(marketer)
    page = marketer.get(f"/questionnaires/{qid}/about")
    revision = version(app, qid).revision
    response = post(marketer, f"/questionnaires/{qid}/about",
                    {"name": "Webinar, autumn", "description": "New", "revision": revision})
    assert page.status_code == 200 and response.status_code == 303
    assert version(app, qid).name == "Webinar, autumn"
    stale = post(marketer, f"/questionnaires/{qid}/about",
                 {"name": "Other", "description": "", "revision": revision})
    assert stale.status_code == 409 and version(app, qid).name == "Webinar, autumn"
