"""A draft's questions: the question form (new and edit) and its Answer field, reloaded for
the chosen previous question. A stale form or a published version changes nothing."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from survey_app.authoring import bp, lookup, service
from survey_app.authoring.access import authors_only
from survey_app.authoring.forms import OptionForm
from survey_app.authoring.graph_view import graph_view
from survey_app.authoring.options import row_form
from survey_app.authoring.question_form import QuestionForm
from survey_app.authoring.way_form import first_way_in
from survey_app.extensions import db
from survey_app.models import AnswerKind, Question, Questionnaire, Transition

STALE = _l("Another marketer saved this questionnaire while you were editing. This is it now: "
          "make your change again.")


@bp.route("/questionnaires/<int:questionnaire_id>/questions/new", methods=["GET", "POST"])
@authors_only
def new_question(questionnaire_id: int):
    return _question_form(lookup.draft(questionnaire_id), None)


@bp.route("/questionnaires/<int:questionnaire_id>/questions/<int:question_id>",
          methods=["GET", "POST"])
@authors_only
def edit_question(questionnaire_id: int, question_id: int):
    draft = lookup.draft(questionnaire_id)
    return _question_form(draft, lookup.question_of(draft, question_id))


@bp.get("/questionnaires/<int:questionnaire_id>/questions/answer-field")
@authors_only
def answer_field(questionnaire_id: int):
    """The Answer field for the previous question chosen (htmx, on change)."""
    draft = lookup.draft(questionnaire_id)
    form = _setup(QuestionForm(request.args, meta={"csrf": False}), draft, None)
    return render_template("authoring/_answer_field.html", form=form)


def _question_form(draft: Questionnaire, question: Question | None):
    if request.method == "GET":
        return _page(draft, _stored(draft, question), question)
    form = _setup(QuestionForm(obj=question), draft, question)
    if not form.validate_on_submit():
        return _page(draft, form, question, status=422)
    try:
        service.touch(draft)
        if question is not None:
            service.claim(question, _revision(form.revision.data))
    except service.NotDraft:
        db.session.rollback()
        abort(409, str(lookup.PUBLISHED))
    except service.Stale:
        db.session.rollback()
        flash(STALE, "warning")  # the question as it is now, for the change to be made again
        fresh = db.session.get(Question, question.id) if question is not None else None
        return _page(draft, _stored(draft, fresh), fresh, status=409)
    saved = service.save_question(draft, question, form)
    db.session.commit()
    if saved.kind == AnswerKind.CHOICE and not saved.options:  # its grid is on its own page
        flash(_("Question %(number)s saved: now add its answer options.",
                number=saved.number), "success")
        return redirect(url_for("authoring.edit_question", questionnaire_id=draft.id,
                                question_id=saved.id) + "#options", code=303)
    flash(_("Question %(number)s saved.", number=saved.number), "success")
    return redirect(url_for("authoring.questionnaire", questionnaire_id=draft.id), code=303)


def _page(draft: Questionnaire, form: QuestionForm, question: Question | None, status=200):
    options = None
    if question is not None and question.kind == AnswerKind.CHOICE:
        options = {"rows": [(o, row_form(o)) for o in question.options],
                   "form": OptionForm(prefix="new", formdata=None)}
    shown = {"ways_in": [], "graph": {}}
    if question is not None:
        shown = {"ways_in": other_ways_in(question), "graph": graph_view(draft, True)}
    return render_template("authoring/question.html", form=form, questionnaire=draft,
                           question=question, options=options, editable=True,
                           ways_in=shown["ways_in"], **form_words(form), **shown["graph"]), status


def form_words(form) -> dict:
    """Question numbers and option texts by id, for the ways in listed by the form."""
    questions = form.questions.values()
    return {"numbers": {q.id: q.number for q in questions},
            "way_answers": {o.id: o.text for q in questions for o in q.options}}


def other_ways_in(question: Question) -> list[Transition]:
    """The ways in that the question form does not edit ("Add a way in"), oldest first."""
    ways = list(db.session.scalars(select(Transition).where(
        Transition.target_id == question.id).order_by(Transition.id)))
    first = first_way_in(ways, question)
    return [w for w in ways if w is not first]


def _stored(draft: Questionnaire, question: Question | None) -> QuestionForm:
    """The form as stored: the question, its first way in and its revision."""
    form = _setup(QuestionForm(formdata=None, obj=question), draft, question)
    form.revision.data = str(question.revision) if question is not None else ""
    if question is None and not any(q.is_first for q in form.questions.values()):
        form.is_first.data = True  # the first question added is the first (the thesis's rule)
    if form.first_way is not None:
        form.show(form.first_way)
    return form


def _setup(form: QuestionForm, draft: Questionnaire, question: Question | None) -> QuestionForm:
    return form.setup(*draft_questions(draft), question)


def draft_questions(draft: Questionnaire) -> tuple[list[Question], list[Transition]]:
    """The draft's questions, with their options, in order; and its ways (transitions)."""
    questions = db.session.scalars(select(Question).where(Question.questionnaire_id == draft.id)
                                   .options(selectinload(Question.options))
                                   .order_by(Question.number)).all()
    ways = db.session.scalars(select(Transition).where(
        Transition.questionnaire_id == draft.id)).all()
    return list(questions), list(ways)


def _revision(sent: str | None) -> int:
    return int(sent) if sent and sent.isdigit() else -1
