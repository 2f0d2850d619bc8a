"""Questionnaires: the list (the newest version of each), a new one, and a questionnaire's
page: its questions in order, where each answer leads, and the checks' findings."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from survey_app.authoring import bp, lookup, service, versioning
from survey_app.authoring.access import AUTHORS, authors_only, readers
from survey_app.authoring.forms import QuestionnaireForm
from survey_app.authoring.graph_view import graph_view, may_edit
from survey_app.authoring.questions import STALE
from survey_app.extensions import db
from survey_app.htmx import go
from survey_app.models import (
    Campaign,
    CustomerSurvey,
    Question,
    Questionnaire,
    QuestionnaireStatus,
)
from survey_app.scripts import checks
from survey_app.scripts.loading import graph_for


@bp.get("/questionnaires")
@readers
def questionnaires():
    archived = request.args.get("archived") == "1"
    newest = service.latest_versions().where(
        (Questionnaire.status == QuestionnaireStatus.ARCHIVED) == archived)
    listed = db.session.scalars(newest.options(selectinload(Questionnaire.campaign))
                                .join(Campaign)
                                .order_by(Campaign.sort_name, Questionnaire.sort_name)).all()
    keys = [q.key for q in listed]
    return render_template("authoring/questionnaires.html", questionnaires=listed,
                           questions=_question_counts([q.id for q in listed]),
                           taken=_surveys_taken(keys), findings=_finding_counts(listed),
                           live=_published_versions(keys),
                           may_change=current_user.has(*AUTHORS), archived=archived)


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
    return page(db.session.get(Questionnaire, questionnaire_id) or abort(404))


def page(shown: Questionnaire, status: int = 200, **offers):
    """A version's page: its questions, findings and picture, and what may be done to it
    (`offers`: a refused deletion's way out, for one)."""
    editable = may_edit(shown)
    return render_template("authoring/questionnaire.html", questionnaire=shown,
                           editable=editable, may_change=current_user.has(*AUTHORS),
                           draft=versioning.draft_of(shown.key), **offers,
                           **graph_view(shown, editable)), status


@bp.route("/questionnaires/<int:questionnaire_id>/about", methods=["GET", "POST"])
@authors_only
def edit_questionnaire(questionnaire_id: int):
    """A draft's name and description (the campaign stays: its history is the campaign's)."""
    draft = lookup.draft(questionnaire_id)
    form = QuestionnaireForm(obj=draft)
    form.key = draft.key
    form.campaign_id.data = draft.campaign_id  # not an editable field here
    if request.method == "GET":
        form.revision.data = str(draft.revision)
    elif form.validate_on_submit():
        if form.revision.data != str(draft.revision):
            flash(STALE, "warning")
            return _about_page(draft, QuestionnaireForm(formdata=None, obj=draft), 409)
        service.touch(draft)
        draft.name, draft.description = form.name.data.strip(), form.description.data.strip()
        db.session.commit()
        flash(_("Saved."), "success")
        return go(url_for("authoring.questionnaire", questionnaire_id=draft.id))
    return _about_page(draft, form, 422 if form.errors else 200)


def _about_page(draft: Questionnaire, form: QuestionnaireForm, status: int):
    form.revision.data = str(draft.revision)
    return render_template("authoring/about.html", questionnaire=draft, form=form), status


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


def _published_versions(keys: list[str]) -> dict[str, int]:
    """The version operators start now, by key: shown beside a newer draft."""
    return dict(db.session.execute(select(Questionnaire.key, Questionnaire.version).where(
        Questionnaire.key.in_(keys), Questionnaire.status == QuestionnaireStatus.PUBLISHED)).all())


def _finding_counts(listed: list[Questionnaire]) -> dict[int, tuple[int, int]]:
    """Each listed version's errors and warnings (graphs are cached by revision)."""
    counts = {}
    for q in listed:
        problems = checks.check(graph_for(q.id, q.revision))
        errors = len(checks.blocking(problems))
        counts[q.id] = (errors, len(problems) - errors)
    return counts
