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
from survey_app.authoring.options import row_form
from survey_app.authoring.question_form import QuestionForm
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
    flash(_("Question %(number)s saved.", number=saved.number), "success")
    return redirect(url_for("authoring.questionnaire", questionnaire_id=draft.id), code=303)


def _page(draft: Questionnaire, form: QuestionForm, question: Question | None, status=200):
    options = None
    if question is not None and question.kind == AnswerKind.CHOICE:
        options = {"rows": [(o, row_form(o)) for o in question.options],
                   "form": OptionForm(prefix="new", formdata=None)}
    return render_template("authoring/question.html", form=form, questionnaire=draft,
                           question=question, options=options), status


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
    questions = db.session.scalars(select(Question).where(Question.questionnaire_id == draft.id)
                                   .options(selectinload(Question.options))
                                   .order_by(Question.number)).all()
    ways = db.session.scalars(select(Transition).where(
        Transition.questionnaire_id == draft.id)).all()
    return form.setup(list(questions), list(ways), question)


def _revision(sent: str | None) -> int:
    return int(sent) if sent and sent.isdigit() else -1
