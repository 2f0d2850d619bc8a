"""A question's other ways in ("Add a way in"): another previous question and the answer
to it that leads here; each can be edited and removed. The question form edits the first
way in; these are the rest, so a question can be reached from several places (a graph, not
a tree). A way's form carries the question's revision: a stale one is refused."""
from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _

from survey_app.authoring import bp, lookup, service
from survey_app.authoring.access import authors_only
from survey_app.authoring.questions import STALE, draft_questions
from survey_app.authoring.way_form import WayForm
from survey_app.extensions import db
from survey_app.htmx import go
from survey_app.models import Question, Questionnaire, Transition


@bp.route("/questionnaires/<int:questionnaire_id>/questions/<int:question_id>/ways/new",
          methods=["GET", "POST"])
@authors_only
def new_way(questionnaire_id: int, question_id: int):
    draft = lookup.draft(questionnaire_id)
    return _way_form(draft, lookup.question_of(draft, question_id), None)


@bp.route("/questionnaires/<int:questionnaire_id>/questions/<int:question_id>/ways/<int:way_id>",
          methods=["GET", "POST"])
@authors_only
def edit_way(questionnaire_id: int, question_id: int, way_id: int):
    draft = lookup.draft(questionnaire_id)
    question = lookup.question_of(draft, question_id)
    return _way_form(draft, question, _way_of(question, way_id))


@bp.post("/questionnaires/<int:questionnaire_id>/questions/<int:question_id>/ways/"
         "<int:way_id>/remove")
@authors_only
def remove_way(questionnaire_id: int, question_id: int, way_id: int):
    draft = lookup.draft(questionnaire_id)
    question = lookup.question_of(draft, question_id)
    way = _way_of(question, way_id)
    service.touch(draft)
    db.session.delete(way)
    db.session.commit()
    flash(_("The way in from question %(number)s is removed.",
            number=db.session.get(Question, way.source_id).number), "success")
    return go(_question_url(draft, question))


def _way_form(draft: Questionnaire, question: Question, way: Transition | None):
    if request.method == "GET":
        return _page(draft, question, way, _as_stored(draft, question, way))
    questions, ways = draft_questions(draft)
    form = WayForm().setup(questions, ways, question, way)
    if not form.validate_on_submit():
        return _page(draft, question, way, form, 422)
    try:
        service.touch(draft)
        service.claim(question, int(form.revision.data or -1))
    except (service.Stale, ValueError):
        db.session.rollback()  # what was read is expired: the form shows it as it is now
        flash(STALE, "warning")
        return _page(draft, question, way, _as_stored(draft, question, way), 409)
    _save(draft, question, way, form.way_in())
    db.session.commit()
    flash(_("Way in saved."), "success")
    return go(_question_url(draft, question))


def _as_stored(draft: Questionnaire, question: Question, way: Transition | None) -> WayForm:
    questions, ways = draft_questions(draft)
    form = WayForm(formdata=None).setup(questions, ways, question, way)
    form.revision.data = str(question.revision)
    if way is not None:
        form.show(way)
    return form


def _save(draft: Questionnaire, question: Question, way: Transition | None,
          values: dict) -> None:
    if way is None:
        way = Transition(questionnaire_id=draft.id, target_id=question.id)
        db.session.add(way)
    for name, value in values.items():
        setattr(way, name, value)


def _way_of(question: Question, way_id: int) -> Transition:
    way = db.session.get(Transition, way_id)
    if way is None or way.target_id != question.id:
        abort(404)
    return way


def _page(draft, question, way, form, status: int = 200):
    return render_template("authoring/way.html", questionnaire=draft, question=question,
                           way=way, form=form), status


def _question_url(draft: Questionnaire, question: Question) -> str:
    return url_for("authoring.edit_question", questionnaire_id=draft.id, question_id=question.id)
