"""A choice question's answer options as an editable grid: add, save, cancel, remove and move
a row; each an htmx request that swaps its row (a move swaps the list). Without JavaScript
the same forms post and come back to the question's page."""
from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from survey_app.authoring import bp, lookup, service
from survey_app.authoring.access import authors_only
from survey_app.authoring.forms import OptionForm
from survey_app.authoring.graph_view import CHANGED
from survey_app.extensions import db
from survey_app.forms import ActionForm
from survey_app.models import AnswerOption, CustomerAnswer, Question, Transition

BASE = "/questionnaires/<int:questionnaire_id>/questions/<int:question_id>/options"


@bp.post(BASE)
@authors_only
def add_option(questionnaire_id: int, question_id: int):
    draft, question = _question(questionnaire_id, question_id)
    form = OptionForm(prefix="new")
    form.others = tuple(o.text for o in question.options)
    if not form.validate_on_submit():
        return _answer(question, "authoring/_option_add.html", 422, form=form)
    service.touch(draft)
    option = AnswerOption(question_id=question.id, text=form.text.data.strip(),
                          position=_last_position(question) + 1)
    db.session.add(option)
    db.session.commit()
    return _answer(question, "authoring/_option_added.html", option=option,
                   row=row_form(option), form=OptionForm(prefix="new", formdata=None))


@bp.get(BASE + "/<int:option_id>")
@authors_only
def option_row(questionnaire_id: int, question_id: int, option_id: int):
    """The row as stored: what Cancel brings back."""
    _draft, question = _question(questionnaire_id, question_id)
    option = lookup.option_of(question, option_id)
    return _answer(question, "authoring/_option_row.html", option=option, row=row_form(option))


@bp.post(BASE + "/<int:option_id>")
@authors_only
def save_option(questionnaire_id: int, question_id: int, option_id: int):
    draft, question = _question(questionnaire_id, question_id)
    option = lookup.option_of(question, option_id)
    form = OptionForm(prefix=f"o{option.id}")
    form.others = tuple(o.text for o in question.options if o is not option)
    if not form.validate_on_submit():
        return _answer(question, "authoring/_option_row.html", 422, option=option, row=form,
                       form=form)
    if form.was.data != option.text:
        return _answer(question, "authoring/_option_row.html", 409, option=option,
                       row=row_form(option), notice=_(
                           "Another marketer changed this option while you were editing: "
                           "this is its text now."))
    service.touch(draft)
    option.text = form.text.data.strip()
    db.session.commit()
    return _answer(question, "authoring/_option_row.html", option=option, row=row_form(option),
                   notice=_("Saved."))


@bp.post(BASE + "/<int:option_id>/remove")
@authors_only
def remove_option(questionnaire_id: int, question_id: int, option_id: int):
    draft, question = _question(questionnaire_id, question_id)
    option = lookup.option_of(question, option_id)
    reason = _in_use(option) if ActionForm().validate_on_submit() else _("The form has expired.")
    if reason:
        return _answer(question, "authoring/_option_row.html", 409, option=option,
                       row=row_form(option), notice=reason)
    service.touch(draft)
    db.session.delete(option)
    db.session.flush()
    _renumber(question)
    db.session.commit()
    return _answer(question, None)


@bp.post(BASE + "/<int:option_id>/move")
@authors_only
def move_option(questionnaire_id: int, question_id: int, option_id: int):
    draft, question = _question(questionnaire_id, question_id)
    option = lookup.option_of(question, option_id)
    rows = list(question.options)
    at = rows.index(option)
    to = at - 1 if request.form.get("direction") == "up" else at + 1
    if not 0 <= to < len(rows):  # already first or last: nothing moves, focus stays put
        return "", 204
    if ActionForm().validate_on_submit():
        service.touch(draft)
        rows[at], rows[to] = rows[to], rows[at]
        _renumber(question, rows)
        db.session.commit()
    rows = [(o, row_form(o)) for o in question.options]
    return _answer(question, "authoring/_options.html", rows=rows,
                   form=OptionForm(prefix="new", formdata=None))


def _question(questionnaire_id: int, question_id: int):
    draft = lookup.draft(questionnaire_id)
    return draft, lookup.question_of(draft, question_id)


def row_form(option: AnswerOption) -> OptionForm:
    """The row's form with the option as stored."""
    form = OptionForm(prefix=f"o{option.id}", formdata=None, obj=option)
    form.was.data = option.text
    return form


def _answer(question: Question, template: str | None, status: int = 200, **context):
    """The fragment for htmx; without it, back to the question's page."""
    if request.headers.get("HX-Request") != "true" or request.headers.get("HX-Boosted"):
        return _back_to_question(question, status, context)
    body = render_template(template, question=question, **context) if template else ""
    response = make_response(body, status)
    if status == 200 and request.method == "POST":  # the findings and picture refresh
        response.headers["HX-Trigger"] = CHANGED
    return response


def _back_to_question(question: Question, status: int, context: dict):
    """Without JavaScript: what the row would have said, as a flash on the question page."""
    form = context.get("form") if status == 422 else context.get("row")
    said = context.get("notice") or (form.text.errors[0] if form and form.text.errors
                                     else None)
    if said:
        flash(str(said), "warning" if status >= 400 else "success")
    return redirect(url_for("authoring.edit_question", question_id=question.id,
                            questionnaire_id=question.questionnaire_id) + "#options", code=303)


def _in_use(option: AnswerOption) -> str | None:
    """Why the option cannot be removed: a way leads on from it, or answers chose it."""
    ways = db.session.scalar(select(func.count()).where(Transition.option_id == option.id))
    if ways:
        return _("A way on starts from this answer: change or remove that way first.")
    answers = db.session.scalar(select(func.count()).where(
        CustomerAnswer.option_id == option.id))
    if answers:
        return ngettext("%(num)d stored answer chose this option: it stays.",
                        "%(num)d stored answers chose this option: it stays.", answers)
    return None


def _last_position(question: Question) -> int:
    return db.session.scalar(select(func.max(AnswerOption.position)).where(
        AnswerOption.question_id == question.id)) or 0


def _renumber(question: Question, rows: list[AnswerOption] | None = None) -> None:
    """Positions 1, 2, 3... in the order given (else the stored order, gaps closed)."""
    db.session.expire(question, ["options"])
    for position, option in enumerate(rows or question.options, 1):
        option.position = position
