"""A questionnaire's results, for one version or all together: the surveys by status, every
question's answers (options with their shares, numbers as a histogram with the median, free
texts listed and searchable, refusals counted), where stopped surveys stopped, the commonest
paths, handle time by version and per question, and a row per operator.

Supervisors, admins and marketers see every survey; an operator sees the results of their
own surveys only. The figures come from supervision/figures.py, each one SQL query."""
import datetime as dt
from dataclasses import dataclass, field

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectField, StringField

from survey_app.auth.roles import roles_required
from survey_app.extensions import db
from survey_app.formatting import day, day_start
from survey_app.forms import DayField, FilterForm, optional_int
from survey_app.models import (
    AnswerKind,
    AnswerOption,
    CustomerSurvey,
    Question,
    Questionnaire,
    Role,
    SurveyStatus,
    User,
)
from survey_app.models.surveys import utcnow
from survey_app.supervision import bp, figures

TEXTS_SHOWN = 20
SEES_ALL = (Role.SUPERVISOR, Role.ADMIN, Role.MARKETER)


class ResultsFilterForm(FilterForm):
    version = SelectField(_l("Version"), coerce=optional_int, validate_choice=True)
    operator = SelectField(_l("Operator"), coerce=optional_int, validate_choice=True)
    date_from = DayField(_l("From"), name="from")
    date_to = DayField(_l("To"), name="to")
    words = StringField(_l("Find in the free answers"), name="q",
                        filters=[lambda text: (text or "").strip()[:100]])

    def __init__(self, formdata, versions: list[int], operators: list[User]):
        super().__init__(formdata=formdata)
        self.version.choices = [(None, _("All versions"))] + [
            (v, _("Version %(number)s", number=v)) for v in versions]
        self.operator.choices = [(None, _("All"))] + [(o.id, o.full_name) for o in operators]

    def validate(self, extra_validators=None) -> bool:
        good = super().validate(extra_validators)
        if (self.date_from.data and self.date_to.data and self.date_from.data > self.date_to.data
                and not self.date_to.errors):
            self.date_to.errors.append(_("The end of the range is before its start."))
            good = False
        return good


@dataclass
class Shown:
    """A question as the results show it: the newest version's words, its figures."""

    key: str
    number: int
    text: str
    kind: AnswerKind
    answers: int = 0
    refused: int = 0
    options: list[tuple[str, int]] = field(default_factory=list)  # text, times chosen
    numbers: list[tuple[int, int]] = field(default_factory=list)  # value, times given
    median: float | None = None
    texts: list = field(default_factory=list)
    time: dict = field(default_factory=dict)  # {50: s, 90: s}
    stopped: int = 0  # cancelled or abandoned surveys whose last answer was this one


@bp.get("/questionnaires/<int:questionnaire_id>/results")
@roles_required(Role.OPERATOR, *SEES_ALL)
def results(questionnaire_id: int):
    questionnaire = (db.session.get(Questionnaire, questionnaire_id)
                     or abort(404, _("There is no such questionnaire.")))
    versions = db.session.scalars(select(Questionnaire.version).where(
        Questionnaire.key == questionnaire.key).order_by(Questionnaire.version.desc())).all()
    form = ResultsFilterForm(request.args, versions, _operators())
    form.validate()
    scope = _scope(questionnaire.key, form)
    counts = figures.statuses(scope)
    started = sum(counts.values())
    questions = _questions(questionnaire.key, form.valid("version"), scope, form.valid("words"))
    return render_template(
        "supervision/results.html", questionnaire=questionnaire, form=form, counts=counts,
        started=started, questions=questions, funnel=_funnel(scope, started),
        stopped_before_any=figures.stopped_at(scope).get(None, 0),
        paths=figures.common_paths(scope), completed=counts.get(SurveyStatus.COMPLETED, 0),
        by_version=_by_version(scope), operators=figures.per_operator(scope),
        sees_all=current_user.has(*SEES_ALL), date_example=day(utcnow().date()))


def _operators() -> list[User]:
    if not current_user.has(*SEES_ALL):
        return []
    return db.session.scalars(select(User).where(User.holding(Role.OPERATOR))
                              .order_by(User.sort_name)).all()


def _scope(key: str, form: ResultsFilterForm) -> list:
    """The conditions of the surveys counted: the questionnaire's versions (or one), the days,
    the operator (an operator's own, always)."""
    scope = [CustomerSurvey.questionnaire_id.in_(_versions(key, form.valid("version")))]
    operator = form.valid("operator") if current_user.has(*SEES_ALL) else current_user.id
    if operator:
        scope.append(CustomerSurvey.operator_id == operator)
    if form.valid("date_from"):
        scope.append(CustomerSurvey.started_at >= day_start(form.valid("date_from")))
    if form.valid("date_to"):
        scope.append(CustomerSurvey.started_at
                     < day_start(form.valid("date_to") + dt.timedelta(days=1)))
    return scope


def _questions(key: str, version: int | None, scope: list, words: str | None) -> list[Shown]:
    """Every question of the versions shown, by key, in the newest version's words and order,
    with its figures."""
    shown = _newest_questions(key, version)
    answers, chosen = figures.answers_by_question(scope), figures.options_chosen(scope)
    numbers, medians = figures.numbers_given(scope), figures.number_medians(scope)
    times, stopped = figures.time_per_question(scope), figures.stopped_at(scope)
    labels = _option_labels(key, version)
    for question in shown:
        question.answers, question.refused = answers.get(question.key, (0, 0))
        question.options = [(text, chosen.get(question.key, {}).get(option, 0))
                            for option, text in labels.get(question.key, [])]
        question.numbers = sorted(numbers.get(question.key, {}).items())
        question.median = medians.get(question.key, {}).get(50)
        question.time, question.stopped = times.get(question.key, {}), stopped.get(question.key, 0)
        if question.kind == AnswerKind.TEXT:
            question.texts = figures.free_texts(scope, question.key, words or "", TEXTS_SHOWN)
    return shown


def _versions(key: str, version: int | None):
    chosen = select(Questionnaire.id).where(Questionnaire.key == key)
    return chosen.where(Questionnaire.version == version) if version else chosen


def _newest_questions(key: str, version: int | None) -> list[Shown]:
    rows = db.session.execute(
        select(Question.key, Question.number, Question.text, Question.kind)
        .join(Questionnaire, Questionnaire.id == Question.questionnaire_id)
        .where(Questionnaire.id.in_(_versions(key, version)))
        .order_by(Questionnaire.version.desc(), Question.number)).all()
    newest: dict[str, Shown] = {}
    for row in rows:
        newest.setdefault(row.key, Shown(row.key, row.number, row.text, row.kind))
    return list(newest.values())


def _option_labels(key: str, version: int | None) -> dict[str, list[tuple[str, str]]]:
    """{question key: [(option key, text)]}, in the newest version's words and order; an
    option only an older version had is listed after."""
    rows = db.session.execute(
        select(Question.key, AnswerOption.key, AnswerOption.text)
        .join(Question, Question.id == AnswerOption.question_id)
        .join(Questionnaire, Questionnaire.id == Question.questionnaire_id)
        .where(Questionnaire.id.in_(_versions(key, version)))
        .order_by(Questionnaire.version.desc(), AnswerOption.position)).all()
    labels: dict[str, dict[str, str]] = {}
    for question, option, text in rows:
        labels.setdefault(question, {}).setdefault(option, text)
    return {question: list(options.items()) for question, options in labels.items()}


def _funnel(scope: list, started: int) -> list[tuple[int, int]]:
    """[(step, surveys that answered it)], from the start: where surveys thin out."""
    reached = figures.reached(scope)
    return [(0, started)] + sorted(reached.items())


def _by_version(scope: list) -> list[tuple[int, int, dict]]:
    """[(version, completed surveys, {50, 90} seconds)], newest first."""
    times, counts = figures.handle_time_by_version(scope), figures.completed_by_version(scope)
    return [(version, counts[version], times.get(version, {}))
            for version in sorted(counts, reverse=True)]
