"""What a questionnaire's page shows of its graph: the questions with where each answer
leads, the checks' findings and the picture. The page includes it, and an htmx request
fetches it anew after each save made on the question page (the "graph-changed" event)."""
from flask import abort, current_app, render_template, url_for
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
    """The rows, findings and picture (None when Graphviz cannot draw it) of the version."""
    graph = graph_for(questionnaire.id, questionnaire.revision)
    problems = checks.check(graph)
    rows, findings = outline(graph, problems)
    return {"rows": rows, "findings": findings, "blocking": checks.blocking(problems),
            "picture": _picture(questionnaire, graph, problems, editable)}


def _picture(questionnaire, graph, problems, editable: bool) -> str | None:
    if not graph.questions:
        return None

    def link(question_id: int) -> str:
        if editable:
            return url_for("authoring.edit_question", questionnaire_id=questionnaire.id,
                           question_id=question_id)
        return url_for("authoring.questionnaire", questionnaire_id=questionnaire.id,
                       _anchor=f"question-id-{question_id}")

    words = picture.Words(any_other=_("any other answer"), first=_("first"), last=_("last"),
                          span=span)
    try:
        return picture.render_svg(picture.dot_source(graph, problems, link, words),
                                  binary=current_app.config.get("GRAPHVIZ_DOT", "dot"))
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
