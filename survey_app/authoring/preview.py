"""Preview: a marketer runs a draft or published version as an operator would (the same
question screen, keys and Back, fields filled from a sample contact). The path lives in the
marketer's session, one preview at a time, and no row is written: nothing counts in results.

The session is a signed cookie, so the path is kept short: an answer is [question, option,
number, refused, text] and a typed text is cut to PREVIEW_TEXT characters (it never decides
the way on)."""
from flask import abort, flash, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from survey_app.authoring import bp
from survey_app.authoring.access import AUTHORS, readers
from survey_app.extensions import db
from survey_app.htmx import go
from survey_app.language.findings import answer_refusal, graph_error
from survey_app.models import Questionnaire
from survey_app.scripts import resolver
from survey_app.scripts.loading import graph_for
from survey_app.scripts.resolver import Answer, GraphError, InvalidAnswer
from survey_app.survey.forms import posted_answer
from survey_app.survey.service import Screen
from survey_app.survey.shown import answer_text, answered, as_shown

KEY, PREVIEW_TEXT = "preview", 80


@bp.get("/questionnaires/<int:questionnaire_id>/preview")
@readers
def preview(questionnaire_id: int):
    shown = _questionnaire(questionnaire_id)
    run = _run(shown)
    if run.get("done"):
        return _finished(shown, run)
    try:
        return _page(shown, _screen(shown, run))
    except GraphError as problem:
        flash(graph_error(problem), "warning")
        return go(url_for("authoring.questionnaire", questionnaire_id=shown.id))


@bp.post("/questionnaires/<int:questionnaire_id>/preview/answer")
@readers
def preview_answer(questionnaire_id: int):
    shown = _questionnaire(questionnaire_id)
    run = _run(shown)
    graph = graph_for(shown.id, shown.revision)
    current = _screen(shown, run)
    if _stale(run, current):
        return _step(shown, current, notice=_("The preview had already moved on; this is "
                                              "where it is now."), status=409)
    try:
        option_id, value, refused = posted_answer()
        given = resolver.parse_answer(current.question, option_id, value, refused=refused)
        following = resolver.next_question(graph, given)
    except InvalidAnswer as error:
        return _step(shown, current, error=answer_refusal(error), status=422)
    except GraphError as problem:
        return _step(shown, current, error=graph_error(problem), status=422)
    answers = run["answers"]
    answers[run["step"]:run["step"] + 1] = [_compact(given)]
    run["step"] += 1
    run["done"] = following is None
    _save(run)
    if following is None:
        return go(url_for("authoring.preview", questionnaire_id=shown.id))
    return _step(shown, _screen(shown, run))


@bp.post("/questionnaires/<int:questionnaire_id>/preview/back")
@readers
def preview_back(questionnaire_id: int):
    shown = _questionnaire(questionnaire_id)
    run = _run(shown)
    current = _screen(shown, run)
    if not _stale(run, current) and run["step"] > 0:
        run["step"] -= 1
        _save(run)
    return _step(shown, _screen(shown, run))


@bp.post("/questionnaires/<int:questionnaire_id>/preview/restart")
@readers
def preview_restart(questionnaire_id: int):
    shown = _questionnaire(questionnaire_id)
    session.pop(KEY, None)
    return go(url_for("authoring.preview", questionnaire_id=shown.id))


def _questionnaire(questionnaire_id: int) -> Questionnaire:
    return db.session.get(Questionnaire, questionnaire_id) or abort(404)


def _run(shown: Questionnaire) -> dict:
    """This version's preview in the session; a new one when it was of another version or
    the draft has changed since (its path may not exist any more)."""
    run = session.get(KEY)
    if not run or run.get("id") != shown.id or run.get("revision") != shown.revision:
        run = {"id": shown.id, "revision": shown.revision, "step": 0, "answers": []}
        _save(run)
    return run


def _save(run: dict) -> None:
    session[KEY] = run
    session.modified = True


def _stale(run: dict, current: Screen) -> bool:
    """A form from another tab or an earlier step (the step and question it was shown at)."""
    return (request.form.get("step") != str(run["step"])
            or request.form.get("question_id") != str(current.question.id))


def _compact(given: Answer) -> list:
    text = given.text[:PREVIEW_TEXT] if given.text else None
    return [given.question_id, given.option_id, given.number, given.refused, text]


def _answer(row: list) -> Answer:
    question_id, option_id, number, refused, text = row
    return Answer(question_id, option_id=option_id, number=number, text=text,
                  refused=bool(refused))


def _screen(shown: Questionnaire, run: dict) -> Screen:
    """The question the preview is at, as the runner's screen has it, its text filled."""
    graph = graph_for(shown.id, shown.revision)
    answers = [_answer(row) for row in run["answers"]]
    path = resolver.path(graph, answers[:run["step"]])
    question = path[-1]
    later = answers[run["step"]] if len(answers) > run["step"] else None
    preselected = later if later and later.question_id == question.id else None
    filled = as_shown(question, lambda: sample_values(shown),
                      answered(path, answers[:run["step"]]))
    return Screen(0, filled, run["step"], preselected,
                  resolver.questions_left(graph, question.id))


def sample_values(shown: Questionnaire) -> dict[str, str]:
    """The sample contact a preview fills fields from."""
    return {"first_name": _("Olena"), "last_name": _("Kovalenko"),
            "full_name": _("Kovalenko Olena"), "account": _("Example Ltd"),
            "owner": current_user.full_name, "operator": current_user.full_name,
            "campaign": shown.campaign.name}


def _urls(shown: Questionnaire) -> dict[str, str]:
    return {"answer": url_for("authoring.preview_answer", questionnaire_id=shown.id),
            "back": url_for("authoring.preview_back", questionnaire_id=shown.id),
            "cancel": url_for("authoring.preview_restart", questionnaire_id=shown.id)}


def _page(shown: Questionnaire, screen: Screen, status: int = 200, **shown_with):
    return render_template("authoring/preview.html", questionnaire=shown, screen=screen,
                           urls=_urls(shown), preview=True, may_change=current_user.has(
                               *AUTHORS), **shown_with), status


def _step(shown: Questionnaire, screen: Screen, error: str | None = None,
          notice: str | None = None, status: int = 200):
    """The question fragment for htmx; the whole page without JavaScript."""
    typed = request.form.get("value") if error else None
    if request.headers.get("HX-Target") == "question":
        return render_template("survey/_question.html", screen=screen, urls=_urls(shown),
                               preview=True, error=error, notice=notice, typed=typed), status
    if error or notice:
        return _page(shown, screen, status, error=error, notice=notice, typed=typed)
    return go(url_for("authoring.preview", questionnaire_id=shown.id))


def _finished(shown: Questionnaire, run: dict):
    graph = graph_for(shown.id, shown.revision)
    answers = [_answer(row) for row in run["answers"][:run["step"]]]
    asked = [(graph.questions[a.question_id], answer_text(graph.questions[a.question_id], a))
             for a in answers]
    return render_template("authoring/preview_done.html", questionnaire=shown, asked=asked)
