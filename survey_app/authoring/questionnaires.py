"""Questionnaires: the list (the newest version of each), a new one, and a questionnaire's
page: its questions in order, where each answer leads, and the checks' findings."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from survey_app.authoring import bp, service
from survey_app.authoring.access import AUTHORS, authors_only, readers
from survey_app.authoring.forms import QuestionnaireForm
from survey_app.authoring.outline import outline
from survey_app.extensions import db
from survey_app.models import Campaign, CustomerSurvey, Question, Questionnaire
from survey_app.scripts import checks
from survey_app.scripts.loading import graph_for


@bp.get("/questionnaires")
@readers
def questionnaires():
    listed = db.session.scalars(service.latest_versions().options(
        selectinload(Questionnaire.campaign)).join(Campaign)
        .order_by(Campaign.sort_name, Questionnaire.sort_name)).all()
    keys = [q.key for q in listed]
    return render_template("authoring/questionnaires.html", questionnaires=listed,
                           questions=_question_counts([q.id for q in listed]),
                           taken=_surveys_taken(keys), findings=_finding_counts(listed),
                           may_change=current_user.has(*AUTHORS))


@bp.route("/questionnaires/new", methods=["GET", "POST"])
@authors_only
def new_questionnaire():
    form = QuestionnaireForm()
    if form.validate_on_submit():
        questionnaire = service.create_questionnaire(form.campaign_id.data, form.name.data,
                                                     form.description.data)
        db.session.commit()
        flash(_("Questionnaire “%(name)s” created: add its first question.",
                name=questionnaire.name), "success")
        return redirect(url_for("authoring.questionnaire", questionnaire_id=questionnaire.id),
                        code=303)
    return render_template("authoring/new.html", form=form), 422 if form.errors else 200


@bp.get("/questionnaires/<int:questionnaire_id>")
@readers
def questionnaire(questionnaire_id: int):
    shown = _questionnaire(questionnaire_id)
    rows, findings = outline(graph_for(shown.id, shown.revision))
    return render_template("authoring/questionnaire.html", questionnaire=shown, rows=rows,
                           findings=findings, may_change=current_user.has(*AUTHORS))


def _questionnaire(questionnaire_id: int) -> Questionnaire:
    return db.session.get(Questionnaire, questionnaire_id) or abort(404)


def _question_counts(ids: list[int]) -> dict[int, int]:
    return dict(db.session.execute(
        select(Question.questionnaire_id, func.count()).where(Question.questionnaire_id.in_(ids))
        .group_by(Question.questionnaire_id)).all())


def _surveys_taken(keys: list[str]) -> dict[str, int]:
    """Surveys of every version of each questionnaire, by its key."""
    return dict(db.session.execute(
        select(Questionnaire.key, func.count(CustomerSurvey.id))
        .join(CustomerSurvey, CustomerSurvey.questionnaire_id == Questionnaire.id)
        .where(Questionnaire.key.in_(keys)).group_by(Questionnaire.key)).all())


def _finding_counts(listed: list[Questionnaire]) -> dict[int, int]:
    """How many findings each listed version has (graphs are cached by revision)."""
    return {q.id: len(checks.check(graph_for(q.id, q.revision))) for q in listed}
