"""The survey runner's routes: thin, the rules live in service.py."""
from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from survey_app.auth.roles import roles_required
from survey_app.contacts import history
from survey_app.errors import error_response
from survey_app.extensions import db
from survey_app.htmx import go
from survey_app.models import (
    Contact,
    CustomerSurvey,
    Questionnaire,
    Role,
    SurveyStatus,
)
from survey_app.supervision import review
from survey_app.survey import bp, service, stale
from survey_app.survey.forms import StartSurveyForm, posted_answer, published_questionnaires

OPERATORS_ONLY = _l("Only operators can run surveys.")


@bp.route("/contacts/<int:contact_id>/surveys/new", methods=["GET", "POST"])
@roles_required(Role.OPERATOR, message=OPERATORS_ONLY)
def start(contact_id: int):
    """Choose a campaign and questionnaire, then open the survey (or resume the open one)."""
    contact = _get(Contact, contact_id, _("There is no such contact."))
    form = StartSurveyForm()
    if request.method == "GET":
        form.call_id.data = request.args.get("call", "")
    form.fill_choices(current_user.id)
    if form.validate_on_submit():
        questionnaire = db.session.get(Questionnaire, form.questionnaire_id.data)
        try:
            survey_id = service.start(contact, questionnaire, current_user,
                                      call_id=int(form.call_id.data or 0) or None)
        except service.SurveyError as error:
            form.questionnaire_id.errors.append(error.message)
        else:
            return redirect(url_for("survey.show", survey_id=survey_id), code=303)
    status = 422 if form.errors else 200
    return render_template("survey/start.html", form=form, contact=contact), status


@bp.get("/surveys/questionnaires")
@roles_required(Role.OPERATOR, message=OPERATORS_ONLY)
def questionnaire_options():
    """The questionnaire choices of a campaign, for the start form's second select."""
    questionnaires = published_questionnaires(request.args.get("campaign_id", type=int))
    return render_template("survey/_questionnaire_options.html", questionnaires=questionnaires)


@bp.get("/surveys/<int:survey_id>")
@login_required
def show(survey_id: int):
    """The runner for the operator of an open survey; the answers, read-only, for the rest."""
    survey = _get(CustomerSurvey, survey_id, _("There is no such survey."))
    own_open = survey.status == SurveyStatus.IN_PROGRESS and survey.operator_id == current_user.id
    if own_open:
        try:
            return _page(service.screen(service.load(survey.id)))
        except service.SurveyError as error:
            flash(error.message, "warning")
    return review.page(survey, can_cancel=own_open)


@bp.post("/surveys/<int:survey_id>/answer")
@roles_required(Role.OPERATOR, message=OPERATORS_ONLY)
def answer(survey_id: int):
    """Record the answer to the question on screen and show the next one."""
    state = _state(survey_id)
    step, question_id = _int_field("step"), _int_field("question_id")
    try:
        screen = service.answer(state, current_user, step, question_id, *posted_answer())
    except service.SurveyError as error:
        return _refusal(state, error)
    if screen is None:
        flash(_("Survey completed"), "success")
        return go(url_for("contacts.card", contact_id=state.contact_id, survey=state.id))
    return _step(screen)


@bp.post("/surveys/<int:survey_id>/back")
@roles_required(Role.OPERATOR, message=OPERATORS_ONLY)
def back(survey_id: int):
    """Show the previous question with its answer selected."""
    state = _state(survey_id)
    try:
        return _step(service.back(state, current_user, _int_field("step"), *posted_answer()))
    except service.SurveyError as error:
        return _refusal(state, error)


@bp.post("/surveys/<int:survey_id>/cancel")
@roles_required(Role.OPERATOR, message=OPERATORS_ONLY)
def cancel(survey_id: int):
    """Cancel the survey, keeping its answers, and return to the contact card."""
    state = _state(survey_id)
    try:
        service.cancel(state, current_user)
    except service.SurveyError as error:
        return _refusal(state, error)
    flash(_("Survey cancelled. The answers given so far are kept."), "info")
    return go(url_for("contacts.card", contact_id=state.contact_id))


@bp.post("/surveys/<int:survey_id>/close")
@login_required
def close(survey_id: int):
    """Close a stale survey as abandoned (its operator or a supervisor); its answers stay."""
    survey = _get(CustomerSurvey, survey_id, _("There is no such survey."))
    try:
        stale.close(survey, current_user)
    except service.SurveyError as error:
        db.session.rollback()
        flash(error.message, "warning")
        return redirect(url_for("survey.show", survey_id=survey_id), code=303) \
            if error.status == 409 else error_response(error.status, error.message)
    flash(_("Survey closed as abandoned. Its answers are kept; starting the questionnaire "
            "again begins a new survey."), "info")
    return redirect(url_for("survey.show", survey_id=survey_id), code=303)


@bp.post("/surveys/<int:survey_id>/resume")
@roles_required(Role.OPERATOR, message=OPERATORS_ONLY)
def resume(survey_id: int):
    """Go back to a survey left in progress, at the question where it stopped."""
    state = _state(survey_id)
    try:
        service.resume(state, current_user)
    except service.SurveyError as error:
        return _refusal(state, error)
    return redirect(url_for("survey.show", survey_id=state.id), code=303)


def _get(model, ident: int, message: str):
    return db.session.get(model, ident) or abort(404, message)


def _state(survey_id: int) -> service.State:
    return service.load(survey_id) or abort(404, _("There is no such survey."))


def _int_field(name: str) -> int:
    try:
        return int(request.form[name])
    except (KeyError, ValueError):
        abort(400, _("The form is missing a field (%(field)s); reload the page.", field=name))


def _is_htmx_step() -> bool:
    return request.headers.get("HX-Target") == "question"


def _page(screen: service.Screen, error: str | None = None, notice: str | None = None,
          status: int = 200, typed: str | None = None):
    survey = db.session.get(CustomerSurvey, screen.survey_id)
    return render_template("survey/run.html", screen=screen, survey=survey,
                           contact=survey.contact, history=history.surveys(survey.contact_id),
                           error=error, notice=notice, typed=typed,
                           stale=stale.is_stale(survey)), status


def _step(screen: service.Screen, error: str | None = None, notice: str | None = None,
          status: int = 200):
    """The question fragment for htmx; the whole page (post/redirect/get) without JavaScript.
    A refused answer is shown again as typed, to be corrected."""
    typed = request.form.get("value") if error else None
    if _is_htmx_step():
        return render_template("survey/_question.html", screen=screen, error=error,
                               notice=notice, typed=typed), status
    if error:
        return _page(screen, error=error, status=status, typed=typed)
    if notice:
        flash(notice, "warning")
    return redirect(url_for("survey.show", survey_id=screen.survey_id), code=303)


def _refusal(state: service.State, error: service.SurveyError):
    """Explain why nothing was recorded; where the survey is still open, show where it is."""
    db.session.rollback()
    state = service.load(state.id)  # as it is now, after whatever won a race
    try:
        if isinstance(error, service.Invalid):
            return _step(service.screen(state), error=error.message, status=422)
        if isinstance(error, service.Stale):
            return _step(service.screen(state), notice=error.message, status=409)
    except service.SurveyError as broken:
        error = broken
    if isinstance(error, service.Closed | service.Broken):
        flash(error.message, "warning")
        response = make_response(error_response(409, error.message))
        if _is_htmx_step():
            response.headers["HX-Redirect"] = url_for("survey.show", survey_id=state.id)
        return response
    return error_response(error.status, error.message)


