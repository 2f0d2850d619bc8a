"""What a questionnaire's page shows of its graph: the questions with where each answer
leads, the checks' findings and the picture. The page includes it, and an htmx request
fetches it anew after each save made on the question page (the "graph-changed" event)."""
from flask import abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from survey_app.authoring import bp, picture
from survey_app.authoring.access import AUTHORS, readers
from survey_app.authoring.outline import outline
from survey_app.extensions import db
from survey_app.language.findings import span
from survey_app.models import Questionnaire, QuestionnaireStatus
from survey_app.scripts import checks
from survey_app.scripts.loading import graph_for

CHANGED = "graph-changed"  # the htmx event a save on the question page triggers


def graph_view(questionnaire: Questionnaire, editable: bool) -> dict:
    """The rows and findings of the version, and its picture when it is drawn already
    (Graphviz takes about a second for 300 questions: the page does not wait for it, the
    picture comes in its own request; every later view of the same graph finds it drawn)."""
    graph = graph_for(questionnaire.id, questionnaire.revision)
    problems = checks.check(graph)
    rows, findings = outline(graph, problems)
    dot = _dot(questionnaire, graph, problems, editable) if graph.questions else None
    return {"rows": rows, "findings": findings, "blocking": checks.blocking(problems),
            "picture": picture.drawn(dot) if dot else None, "drawing": bool(dot)}


def _dot(questionnaire, graph, problems, editable: bool) -> str:
    def link(question_id: int) -> str:
        if editable:
            return url_for("authoring.edit_question", questionnaire_id=questionnaire.id,
                           question_id=question_id)
        return url_for("authoring.questionnaire", questionnaire_id=questionnaire.id,
                       _anchor=f"question-id-{question_id}")

    words = picture.Words(any_other=_("any other answer"), first=_("first"), last=_("last"),
                          span=span)
    return picture.dot_source(graph, problems, link, words)


def _draw(dot: str) -> str | None:
    try:
        return picture.render_svg(dot, binary=current_app.config.get("GRAPHVIZ_DOT", "dot"))
    except picture.PictureUnavailable as problem:
        current_app.logger.warning("graph picture unavailable: %s", problem)
        return None


def may_edit(questionnaire: Questionnaire) -> bool:
    """Whether the reader may change this version: a marketer or admin, and a draft."""
    return current_user.has(*AUTHORS) and questionnaire.status == QuestionnaireStatus.DRAFT


@bp.get("/questionnaires/<int:questionnaire_id>/graph")
@readers
def graph_panel(questionnaire_id: int):
    """The findings and picture alone (htmx, after a save on the question page)."""
    shown = db.session.get(Questionnaire, questionnaire_id) or abort(404)
    editable = may_edit(shown)
    return render_template("authoring/_graph.html", questionnaire=shown, editable=editable,
                           **graph_view(shown, editable))


@bp.get("/questionnaires/<int:questionnaire_id>/picture")
@readers
def graph_picture(questionnaire_id: int):
    """The picture, drawn now if it was not (htmx, when the page loads; a page without
    JavaScript links here)."""
    shown = db.session.get(Questionnaire, questionnaire_id) or abort(404)
    editable = may_edit(shown)
    graph = graph_for(shown.id, shown.revision)
    svg = _draw(_dot(shown, graph, checks.check(graph), editable)) if graph.questions else None
    template = "authoring/_picture.html" if request.headers.get("HX-Request") \
        else "authoring/picture.html"
    return render_template(template, questionnaire=shown, picture=svg)
