"""The Surveys list: every customer survey, filtered, sorted and a page at a time. Operators
see only their own; supervisors and admins everyone's (marketers read a questionnaire's
results instead)."""
import datetime as dt

from flask import current_app, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from survey_app.auth.roles import roles_required
from survey_app.contacts.search import find_contacts
from survey_app.extensions import db
from survey_app.formatting import day, day_start
from survey_app.models import Contact, CustomerSurvey, Questionnaire, Role, SurveyStatus, User
from survey_app.models.surveys import HANDLE_SECONDS, utcnow
from survey_app.supervision import bp, operators_for, sees_all
from survey_app.supervision.survey_filters import (
    DEFAULT_SORT,
    DESCENDING_FIRST,
    STALE,
    SurveyFilterForm,
)
from survey_app.survey import stale

CONTACTS_MATCHED = 500  # a contact filter's words match at most this many contacts
CONTACTS_NOTE = _l("The contact’s words match more than 500 contacts: the list shows the "
                   "surveys of the first 500 in alphabetical order. Add a word to narrow it.")
ONE_DAY = dt.timedelta(days=1)
SURVEYS_READERS = (Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN)
NOT_FOR_YOU = _l("The Surveys list is for operators and supervisors; a questionnaire’s "
                 "results are on its Results page.")

# what each sort key orders by; the survey's id last, so equal values keep one order
_ORDER = {"started": (CustomerSurvey.started_at,),
          "duration": (HANDLE_SECONDS,),  # read in order from its index (models/surveys.py)
          "contact": (Contact.sort_name,),
          "operator": (User.sort_name,),
          "questionnaire": (Questionnaire.sort_name, Questionnaire.version),
          "status": (CustomerSurvey.status,),
          "score": (CustomerSurvey.review_score,)}
# NULLS LAST only where a value may be missing: on a column that always has one it would
# keep PostgreSQL from reading its index in order (the first page sorted 100,000 rows)
_MAY_BE_EMPTY = ("duration", "score")
_JOINS = {"contact": (Contact, CustomerSurvey.contact_id == Contact.id),
          "operator": (User, CustomerSurvey.operator_id == User.id)}


@bp.get("/surveys")
@roles_required(*SURVEYS_READERS, message=NOT_FOR_YOU)
def surveys():
    form = SurveyFilterForm(request.args, operators_to_filter())
    form.validate()
    conditions, note = conditions_of(form)
    per_page = current_app.config["SURVEYS_PER_PAGE"]
    total = db.session.scalar(select(func.count()).select_from(CustomerSurvey)
                              .where(*conditions))
    pages = max(1, -(-total // per_page))
    page = min(form.valid("page") or 1, pages)
    rows = db.session.scalars(
        _sorted(select(CustomerSurvey).where(*conditions), form.valid("sort"))
        .options(joinedload(CustomerSurvey.contact), joinedload(CustomerSurvey.questionnaire),
                 joinedload(CustomerSurvey.campaign), joinedload(CustomerSurvey.operator))
        .limit(per_page).offset((page - 1) * per_page)).all()
    return render_template("supervision/surveys.html", form=form, surveys=rows, total=total,
                           page=page, pages=pages, first=(page - 1) * per_page + 1,
                           note=note, sees_all=sees_all(), stale_since=stale.since(),
                           url_with=_url_with, sort=form.valid("sort") or DEFAULT_SORT,
                           descending_first=DESCENDING_FIRST,
                           date_example=day(utcnow().date()),
                           export_url=lambda kind, shape: url_for(
                               "supervision.export_surveys", kind=kind,
                               **_filters_only(), **({"shape": shape} if shape != "wide" else {})))


def operators_to_filter() -> list[User]:
    """The operators a supervisor may filter by; none for an operator (their own only)."""
    return operators_for(Role.SUPERVISOR, Role.ADMIN)


def _filters_only() -> dict:
    """The list's filters without its page and order: what an export takes."""
    return {k: v for k, v in request.args.items() if k not in ("page", "sort", "shape")}


def _url_with(**changes) -> str:
    """This list's address with some arguments changed (a page, a sort); a new sort starts
    at the first page."""
    arguments = request.args.to_dict() | changes
    if "sort" in changes:
        arguments.pop("page", None)
    return url_for("supervision.surveys", **arguments)


def conditions_of(form: SurveyFilterForm) -> tuple[list, str | None]:
    """The SQL conditions of the good filters, and a note when the contact's words matched
    more contacts than the list looks at."""
    operator = form.valid("operator") if sees_all() else current_user.id
    conditions = [CustomerSurvey.operator_id == operator] if operator else []
    conditions += _script_and_state(form) + _dates(form)
    note = None
    if form.valid("contact"):
        found = [c.id for c in find_contacts(form.valid("contact"),
                                             current_app.config["PHONE_REGION"],
                                             limit=CONTACTS_MATCHED + 1)]
        note = CONTACTS_NOTE if len(found) > CONTACTS_MATCHED else None
        conditions.append(CustomerSurvey.contact_id.in_(found[:CONTACTS_MATCHED]))
    return conditions, note


def _script_and_state(form: SurveyFilterForm) -> list:
    """Campaign, questionnaire (all its versions, or one), status and review."""
    survey, conditions = CustomerSurvey, []
    if form.valid("campaign"):
        conditions.append(survey.campaign_id == form.valid("campaign"))
    if form.valid("questionnaire"):
        versions = select(Questionnaire.id).where(Questionnaire.key == form.valid("questionnaire"))
        if form.valid("version"):
            versions = versions.where(Questionnaire.version == form.valid("version"))
        conditions.append(survey.questionnaire_id.in_(versions))
    status = form.valid("status")
    if status == STALE:
        conditions.append(stale.stale_condition(stale.since()))
    elif status:
        conditions.append(survey.status == SurveyStatus(status))
    if form.valid("reviewed"):
        scored = survey.review_score.is_not(None)
        conditions.append(scored if form.valid("reviewed") == "yes" else ~scored)
    return conditions


def _dates(form: SurveyFilterForm) -> list:
    """Started from the first day to the last, both whole days in the centre's time zone."""
    conditions = []
    if form.valid("date_from"):
        conditions.append(CustomerSurvey.started_at >= day_start(form.valid("date_from")))
    if form.valid("date_to"):
        conditions.append(CustomerSurvey.started_at < day_start(form.valid("date_to") + ONE_DAY))
    return conditions


def _sorted(statement, sort: str | None):
    sort = sort or DEFAULT_SORT
    name, descending = sort.lstrip("-"), sort.startswith("-")
    if name in _JOINS:
        statement = statement.join(*_JOINS[name])
    if name == "questionnaire":
        statement = statement.join(CustomerSurvey.questionnaire)
    ordered = [c.desc() if descending else c.asc() for c in (*_ORDER[name], CustomerSurvey.id)]
    if name in _MAY_BE_EMPTY:  # open surveys have no duration, most no score: last either way
        ordered[0] = ordered[0].nulls_last()
    return statement.order_by(*ordered)
