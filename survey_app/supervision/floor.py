"""The floor, live: every operator's state, since when, their caller and questionnaire, and
their calls and surveys today; the rows are pushed anew when they change (floor_push.py)."""
import datetime as dt
from dataclasses import dataclass

from flask import current_app, render_template
from sqlalchemy import bindparam, case, func, select

from survey_app.auth.roles import roles_required
from survey_app.extensions import db
from survey_app.formatting import day_start, local_today
from survey_app.models import Call, Contact, CustomerSurvey, Questionnaire, Role, SurveyStatus, User
from survey_app.models.surveys import utcnow
from survey_app.supervision import bp
from survey_app.supervision.floor_states import FloorState, Operator, settle
from survey_app.telephony.calls.events import CallState

FLOOR_READERS = (Role.SUPERVISOR, Role.ADMIN)
# a call rings or talks for minutes: older unended rows are the log's leftovers, not calls
CALL_WITHIN = dt.timedelta(hours=12)
# an operator in a survey has stepped it lately; one left open for longer is not being run
SURVEY_WITHIN = dt.timedelta(minutes=30)


@dataclass
class CurrentCall:
    state: str
    direction: str
    number: str | None
    caller_name: str | None
    contact_id: int | None
    contact_name: str | None
    queue: str | None
    started_at: dt.datetime
    answered_at: dt.datetime | None

    @property
    def ringing(self) -> bool:
        return self.state == CallState.RINGING

    @property
    def held(self) -> bool:
        return self.state == CallState.HELD


@dataclass
class CurrentSurvey:
    id: int
    questionnaire: str
    version: int
    contact_id: int
    contact_name: str
    started_at: dt.datetime


@bp.get("/floor")
@roles_required(*FLOOR_READERS)
def floor():
    # the page reloads itself at the day's end, for today's counts to start again from naught
    day_ends = day_start(local_today() + dt.timedelta(days=1))
    return render_template("supervision/floor.html", live_floor=True, day_ends=day_ends,
                           **rows(read(), whole=True))


def rows(operators: list[Operator], whole: bool) -> dict:
    """What _floor_rows.html needs: the rows, and with the whole body the counts by state."""
    today = local_today().isoformat()
    return {"operators": operators, "whole": whole, "now": utcnow(), "today": today,
            "counts": counts(operators) if whole else None}


def counts(operators: list[Operator]) -> dict[FloorState, int]:
    """How many operators are in each state (of a few hundred rows already read)."""
    by_state = dict.fromkeys(FloorState, 0)
    for operator in operators:
        by_state[operator.state] += 1
    return by_state


def read(user_ids: frozenset[int] | None = None,
         extensions: frozenset[str] = frozenset()) -> list[Operator]:
    """The operators on the floor, by name, settled: all of them, or those among these
    users and these phones' users (the rows a change touched)."""
    now = utcnow()
    operators = _operators(user_ids, extensions)
    if not operators:
        return []
    by_id = {o.id: o for o in operators}
    by_extension = {o.extension: o for o in operators if o.extension}
    params = {"ids": list(by_id), "extensions": list(by_extension)}
    for extension, call in _calls(params, now):
        by_extension[extension].call = call
    for operator_id, survey in _surveys(params, now):
        by_id[operator_id].survey = survey
    today = day_start(local_today())
    for extension, calls, answered, last_end in _calls_today(params, today):
        o = by_extension[extension]
        o.calls_today, o.answered_today, o.last_call_end = calls, answered, last_end
    for operator_id, completed, last_end in _surveys_today(params, today):
        o = by_id[operator_id]
        o.surveys_today, o.last_survey_end = completed, last_end
    online_after = now - dt.timedelta(seconds=current_app.config["PRESENCE_OFFLINE_SECONDS"])
    return [settle(o, online_after) for o in operators]


def _operators(user_ids: frozenset[int] | None, extensions: frozenset[str]) -> list[Operator]:
    query = (select(User.id, User.full_name, User.extension, User.telephony_enabled,
                    User.agent_state, User.agent_state_at, User.page_seen_at, User.online_since)
             .where(User.holding(Role.OPERATOR), User.active).order_by(User.sort_name, User.id))
    if user_ids is not None:
        query = query.where(User.id.in_(user_ids) | User.extension.in_(extensions))
    return [Operator(id_, name, extension if telephony else None, state, state_at, seen, online)
            for id_, name, extension, telephony, state, state_at, seen, online
            in db.session.execute(query)]


# The newest call in progress of each phone, and the newest survey in progress of each
# operator: numbered in SQL (a window function), so one row each comes back.
_CALLS = select(Call.extension, Call.state, Call.direction, Call.external_number,
                Call.caller_name, Call.contact_id, Contact.full_name, Call.queue,
                Call.started_at, Call.answered_at,
                func.row_number().over(partition_by=Call.extension,
                                       order_by=(Call.started_at.desc(), Call.id.desc()))
                .label("n")).outerjoin(Contact, Contact.id == Call.contact_id).where(
    Call.extension.in_(bindparam("extensions", expanding=True)), Call.ended_at.is_(None),
    Call.started_at >= bindparam("since")).subquery()
_SURVEYS = select(CustomerSurvey.operator_id, CustomerSurvey.id, Questionnaire.name,
                  Questionnaire.version, CustomerSurvey.contact_id, Contact.full_name,
                  CustomerSurvey.started_at,
                  func.row_number().over(partition_by=CustomerSurvey.operator_id,
                                         order_by=(CustomerSurvey.current_shown_at.desc(),
                                                   CustomerSurvey.id.desc())).label("n")).join(
    Questionnaire, Questionnaire.id == CustomerSurvey.questionnaire_id).join(
    Contact, Contact.id == CustomerSurvey.contact_id).where(
    CustomerSurvey.operator_id.in_(bindparam("ids", expanding=True)),
    CustomerSurvey.status == SurveyStatus.IN_PROGRESS,
    CustomerSurvey.current_shown_at >= bindparam("since")).subquery()


def surveys_gone_quiet(since: dt.datetime, until: dt.datetime) -> list[int]:
    """The operators of surveys whose last step fell out of SURVEY_WITHIN between these two
    moments: their rows stop showing the survey, with nothing else to tell."""
    return db.session.scalars(
        select(CustomerSurvey.operator_id).distinct().where(
            CustomerSurvey.status == SurveyStatus.IN_PROGRESS,
            CustomerSurvey.current_shown_at >= since - SURVEY_WITHIN,
            CustomerSurvey.current_shown_at < until - SURVEY_WITHIN)).all()


def _calls(params: dict, now: dt.datetime):
    if not params["extensions"]:
        return
    rows = db.session.execute(select(_CALLS).where(_CALLS.c.n == 1),
                              params | {"since": now - CALL_WITHIN})
    for extension, *fields, _n in rows:
        yield extension, CurrentCall(*fields)


def _surveys(params: dict, now: dt.datetime):
    rows = db.session.execute(select(_SURVEYS).where(_SURVEYS.c.n == 1),
                              params | {"since": now - SURVEY_WITHIN})
    for operator_id, *fields, _n in rows:
        yield operator_id, CurrentSurvey(*fields)


_CALLS_TODAY = (select(Call.extension, func.count(), func.count(Call.answered_at),
                       func.max(Call.ended_at))
                .where(Call.extension.in_(bindparam("extensions", expanding=True)),
                       Call.started_at >= bindparam("today"))
                .group_by(Call.extension))
_SURVEYS_TODAY = (select(CustomerSurvey.operator_id,
                         func.count(case((CustomerSurvey.status == SurveyStatus.COMPLETED, 1))),
                         func.max(CustomerSurvey.finished_at))
                  .where(CustomerSurvey.operator_id.in_(bindparam("ids", expanding=True)),
                         CustomerSurvey.started_at >= bindparam("today"))
                  .group_by(CustomerSurvey.operator_id))


def _calls_today(params: dict, today: dt.datetime):
    if not params["extensions"]:
        return []
    return db.session.execute(_CALLS_TODAY, params | {"today": today}).all()


def _surveys_today(params: dict, today: dt.datetime):
    return db.session.execute(_SURVEYS_TODAY, params | {"today": today}).all()
