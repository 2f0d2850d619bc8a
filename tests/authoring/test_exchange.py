"""Export and import of a questionnaire as JSON, in the UI and with `flask questionnaire`:
an import of an export gives the same file back; a wrong file is refused with every problem
at its JSON path, and nothing is written."""
import copy
import io
import json
from html import unescape

import pytest
from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import AuditEvent, Question, Questionnaire, Transition
from tests.helpers import csrf, login

SURVEY_1 = 1  # the demo's "Survey 1" (survey_app/demo.py)


def exported(client, qid: int = SURVEY_1) -> dict:
    response = client.get(f"/questionnaires/{qid}/export.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    return response.get_json()


def upload(client, data, **fields):
    raw = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode()
    form = {"csrf_token": csrf(client), "campaign_id": "1", **fields,
            "file": (io.BytesIO(raw), "questionnaire.json")}
    return client.post("/questionnaires/import", data=form, content_type="multipart/form-data")


def counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(m))
                     for m in (Questionnaire, Question, Transition))


def test_export_then_import_round_trips_exactly(app, marketer):
    original = exported(marketer)
    assert original["format"] == "survey-app/questionnaire" and len(original["questions"]) >= 4
    response = upload(marketer, original, name="Survey 1, imported")
    assert response.status_code == 303, unescape(response.text)
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    again = exported(marketer, new_id)
    assert again == {**original, "name": "Survey 1, imported"}
    with app.app_context():
        draft = db.session.get(Questionnaire, new_id)
        assert (draft.status.value, draft.version) == ("draft", 1)
        assert draft.key != db.session.get(Questionnaire, SURVEY_1).key
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "questionnaire_imported")) == 1


def test_an_import_into_a_questionnaire_is_its_next_version(app, marketer):
    data = exported(marketer)
    data["questions"][0]["text"] = "Чи сподобався вам наш вебінар?"
    response = upload(marketer, data, into=str(SURVEY_1))
    assert response.status_code == 303, unescape(response.text)
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        old, new = db.session.get(Questionnaire, SURVEY_1), db.session.get(Questionnaire, new_id)
        assert (new.key, new.version, new.status.value) == (old.key, old.version + 1, "draft")
        assert old.status.value == "published"
    page = unescape(marketer.get(f"/questionnaires/{new_id}/versions").text)
    assert "Questions changed" in page and "Чи сподобався вам наш вебінар?" in page
    second = upload(marketer, data, into=str(new_id))  # a draft is there already
    assert second.status_code == 409 and "publish or discard it first" in unescape(second.text)


@pytest.mark.parametrize("change, where, says", [
    (lambda d: d["questions"][1].__setitem__("text", ""), "$.questions[1].text", "Empty"),
    (lambda d: d["questions"][0]["options"][1].__setitem__("text", ""),
     "$.questions[0].options[1].text", "Empty"),
    (lambda d: d["questions"][0].pop("kind"), "$.questions[0]", "“kind” is missing"),
    (lambda d: d["questions"][0].__setitem__("kind", "rating"), "$.questions[0].kind",
     "Should be one of"),
    (lambda d: d.__setitem__("colour", "red"), "$", "Unknown field"),
    (lambda d: d["questions"][0]["ways_on"][0].__setitem__("next", "nowhere"),
     "$.questions[0].ways_on[0].next", "No question has the key “nowhere”"),
    (lambda d: d["questions"][0]["ways_on"][0].__setitem__("option", "zz"),
     "$.questions[0].ways_on[0].option", "has no option with the key “zz”"),
    (lambda d: d["questions"][2].__setitem__("key", d["questions"][1]["key"]),
     "$.questions[2].key", "Another question has the key"),
    (lambda d: d["questions"][1].__setitem__("text", "x" * 2001), "$.questions[1].text",
     "Longer than 2000"),
])
def test_a_wrong_file_is_refused_at_its_json_path_and_nothing_is_written(
        app, marketer, change, where, says):
    data = copy.deepcopy(exported(marketer))
    change(data)
    before = counts(app)
    response = upload(marketer, data)
    assert response.status_code == 422
    page = unescape(response.text)
    shown = page[page.find("import-problems"):][:800]
    assert f"<code>{where}</code>" in page and says in page, shown
    assert counts(app) == before


def test_broken_json_names_its_line_and_column(app, marketer):
    response = upload(marketer, b'{"format": "survey-app/questionnaire",\n  "name": }')
    assert response.status_code == 422
    assert "line 2, column 11" in unescape(response.text)


def test_a_graph_whose_checks_find_errors_is_refused(app, marketer):
    data = exported(marketer)
    data["questions"][0]["ways_on"] = []  # the first question leads nowhere
    before = counts(app)
    response = upload(marketer, data)
    assert response.status_code == 422
    assert "<code>$.questions[0]</code>" in response.text
    assert counts(app) == before


def test_import_needs_a_marketer_and_a_csrf_token_export_any_reader(app, client, marketer):
    data = exported(marketer)
    raw = json.dumps(data).encode()
    no_token = marketer.post("/questionnaires/import", content_type="multipart/form-data",
                             data={"campaign_id": "1", "file": (io.BytesIO(raw), "q.json")})
    assert no_token.status_code == 400
    operator = app.test_client()
    login(operator, "operator")
    assert operator.get(f"/questionnaires/{SURVEY_1}/export.json").status_code == 200
    assert upload(operator, data).status_code == 403
    assert operator.get("/questionnaires/99999/export.json").status_code == 404


def test_the_command_line_exports_and_imports(app, runner, tmp_path):
    out = tmp_path / "survey1.json"
    result = runner.invoke(args=["questionnaire", "export", str(SURVEY_1), "-o", str(out)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        campaign = db.session.get(Questionnaire, SURVEY_1).campaign.name
    result = runner.invoke(args=["questionnaire", "import", str(out), "--campaign", campaign,
                                 "--into", str(SURVEY_1)])
    assert result.exit_code == 0, result.output
    new_id = int(result.output.split("questionnaire ")[1].split(",")[0])
    again = tmp_path / "again.json"
    runner.invoke(args=["questionnaire", "export", str(new_id), "-o", str(again)])
    assert json.loads(again.read_text()) == json.loads(out.read_text())
    broken = tmp_path / "broken.json"
    data = json.loads(out.read_text())
    data["questions"][0]["options"][0]["text"] = ""
    broken.write_text(json.dumps(data))
    result = runner.invoke(args=["questionnaire", "import", str(broken), "--campaign", campaign])
    assert result.exit_code == 1 and "$.questions[0].options[0].text" in result.output
