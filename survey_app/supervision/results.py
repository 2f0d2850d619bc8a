"""A questionnaire's results, for one version or all together: the surveys by status, every
question's answers (options with their shares, numbers as a histogram with the median, free
texts listed and searchable, refusals counted), where stopped surveys stopped, the commonest
paths, handle time by version and per question, and a row per operator.

Supervisors, admins and marketers see every survey; an operator sees the results of their
own surveys only. The figures come from supervision/figures.py, each one SQL query."""
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from flask import abort, render_template, request, url_for
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
from survey_app.supervision import bp, figures, operators_for, tallies
from survey_app.supervision.survey_figures import SurveyFigures
from survey_app.supervision.surveys import SURVEYS_READERS

TEXTS_SHOWN = 20  # a question's newest free answers on the page
TEXTS_MORE = 1000  # after "Show more answers" (?more=<question key>)
PATHS_SHOWN = 10
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
        self.version.choices = [("", _("All versions"))] + [
            (v, _("Version %(number)s", number=v)) for v in versions]
        self.operator.choices = [("", _("All"))] + [(o.id, o.full_name) for o in operators]


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
    numbers: list[tuple[str, int]] = field(default_factory=list)  # value or range, times given
    median: float | None = None
    texts: list = field(default_factory=list)
    texts_left: bool = False  # more free answers than shown
    texts_more: bool = True  # and a page may show more of them
    time: dict = field(default_factory=dict)  # {50: s, 90: s}
    time_by_version: list = field(default_factory=list)  # [(version, {50: s, 90: s})], newest
    stopped: int = 0  # cancelled or abandoned surveys whose last answer was this one


@bp.get("/questionnaires/<int:questionnaire_id>/results")
@roles_required(Role.OPERATOR, *SEES_ALL)
def results(questionnaire_id: int):
    questionnaire = (db.session.get(Questionnaire, questionnaire_id)
                     or abort(404, _("There is no such questionnaire.")))
    versions = db.session.execute(select(Questionnaire.version, Questionnaire.id).where(
        Questionnaire.key == questionnaire.key).order_by(Questionnaire.version.desc())).all()
    form = ResultsFilterForm(request.args, [v for v, _id in versions], operators_for(*SEES_ALL))
    form.validate()
    shown_ids = [i for v, i in versions if form.valid("version") in (None, v)]
    scope = _scope(shown_ids, form)
    script = _script(shown_ids)
    groups = _groups(scope, shown_ids, everything=_unfiltered(form))
    surveys = SurveyFigures(groups.surveys)
    counts = surveys.statuses()
    started = sum(counts.values())
    return render_template(
        "supervision/results.html", questionnaire=questionnaire, form=form, counts=counts,
        started=started, questions=_questions(script, groups, scope, form.valid("words"),
                                              request.args.get("more")),
        funnel=surveys.reached(), stopped_before_any=surveys.stopped_before_any_answer(),
        paths=groups.top_paths(), completed=counts.get(SurveyStatus.COMPLETED, 0),
        by_version=surveys.by_version({i: v for v, i in versions}),
        operators=surveys.per_operator(_names(groups.surveys)),
        sees_all=current_user.has(*SEES_ALL), date_example=day(utcnow().date()),
        export_url=_export_url(questionnaire, form) if current_user.has(*SURVEYS_READERS)
        else None, more_url=lambda key: url_for(
            "supervision.results", questionnaire_id=questionnaire.id,
            **(request.args.to_dict() | {"more": key}), _anchor=f"question-{key}"))


def _export_url(questionnaire: Questionnaire, form: ResultsFilterForm):
    """The Surveys export of what the results count: the questionnaire (or its version),
    the operator and the days; a function of the file kind and shape, for the template.
    Marketers read the figures only: no export of surveys, whose rows name people."""
    filters = {"questionnaire": questionnaire.key, "version": form.valid("version"),
               "operator": form.valid("operator"),
               "from": form.valid("date_from") and form.date_from.data.isoformat(),
               "to": form.valid("date_to") and form.date_to.data.isoformat()}
    filters = {name: value for name, value in filters.items() if value}
    return lambda kind, shape: url_for("supervision.export_surveys", kind=kind, **filters,
                                       **({"shape": shape} if shape != "wide" else {}))


def _names(groups: dict) -> dict[int, tuple[str, str]]:
    """{operator id: (sort key, full name)} of the operators in the groups."""
    ids = {key[1] for key in groups}
    return {row.id: (row.sort_name, row.full_name) for row in db.session.execute(
        select(User.id, User.sort_name, User.full_name).where(User.id.in_(ids)))}


def _unfiltered(form: ResultsFilterForm) -> bool:
    """Every survey of the versions shown: the tallies hold them (filters count live)."""
    return (current_user.has(*SEES_ALL) and not form.valid("operator")
            and not form.valid("date_from") and not form.valid("date_to"))


def _scope(version_ids: list[int], form: ResultsFilterForm) -> list:
    """The conditions of the surveys counted: the versions shown, the days, the operator (an
    operator's own, always)."""
    scope = [CustomerSurvey.questionnaire_id.in_(version_ids)]
    operator = form.valid("operator") if current_user.has(*SEES_ALL) else current_user.id
    if operator:
        scope.append(CustomerSurvey.operator_id == operator)
    if form.valid("date_from"):
        scope.append(CustomerSurvey.started_at >= day_start(form.valid("date_from")))
    if form.valid("date_to"):
        scope.append(CustomerSurvey.started_at
                     < day_start(form.valid("date_to") + dt.timedelta(days=1)))
    return scope


@dataclass
class Script:
    """The versions' questions by key in the newest version's words and order, and which
    key each question and option id of any of the versions has."""

    questions: list[tuple[str, int, str, AnswerKind]]
    question_keys: dict[int, str]
    question_versions: dict[int, int]  # question id -> its questionnaire's version
    option_keys: dict[int, str]
    options: dict[str, list[tuple[str, str]]]  # question key -> [(option key, text)]


def _script(version_ids: list[int]) -> Script:
    rows = db.session.execute(
        select(Question.id, Question.key, Question.number, Question.text, Question.kind,
               Questionnaire.version)
        .join(Questionnaire, Questionnaire.id == Question.questionnaire_id)
        .where(Questionnaire.id.in_(version_ids))
        .order_by(Questionnaire.version.desc(), Question.number)).all()
    newest = {}
    for row in rows:
        newest.setdefault(row.key, (row.key, row.number, row.text, row.kind))
    options = db.session.execute(
        select(AnswerOption.id, AnswerOption.key, AnswerOption.text, Question.key)
        .join(Question, Question.id == AnswerOption.question_id)
        .join(Questionnaire, Questionnaire.id == Question.questionnaire_id)
        .where(Questionnaire.id.in_(version_ids))
        .order_by(Questionnaire.version.desc(), AnswerOption.position)).all()
    labels: dict[str, dict[str, str]] = {}
    for _id, key, text, question in options:
        labels.setdefault(question, {}).setdefault(key, text)
    return Script(list(newest.values()), {row.id: row.key for row in rows},
                  {row.id: row.version for row in rows},
                  {row[0]: row[1] for row in options},
                  {question: list(texts.items()) for question, texts in labels.items()})


@dataclass
class Groups:
    """The surveys, answers, times and paths in scope, as grouped counts (an answer code "s"
    counts the stopped surveys whose last answer it was)."""

    surveys: dict
    answers: Counter
    times: Counter
    paths: Counter

    def top_paths(self) -> list[tuple[str, int]]:
        by_path = Counter()
        for (_version, path), count in self.paths.items():
            by_path[path] += count
        return sorted(by_path.items(), key=lambda item: (-item[1], item[0]))[:PATHS_SHOWN]


def _counted(scope: list) -> Groups:
    return Groups(figures.survey_groups(scope),
                  figures.answer_groups(scope) + figures.stop_groups(scope),
                  figures.time_groups(scope), figures.path_groups(scope))


def _groups(scope: list, version_ids: list[int], everything: bool) -> Groups:
    """Every survey counted live when filters narrow them; else the tallies of the closed
    ones plus the live count of the rest."""
    if not everything:
        return _counted(scope)
    tallies.refresh(version_ids)
    fresh = _counted(scope + [tallies.live(version_ids)])
    kept = tallies.surveys(version_ids)
    for key, (count, backs) in fresh.surveys.items():
        old = kept.get(key, (0, 0))
        kept[key] = (old[0] + count, old[1] + backs)
    question_ids = tallies.question_ids(version_ids)
    return Groups(kept, tallies.answers(question_ids) + fresh.answers,
                  tallies.times(question_ids) + fresh.times,
                  tallies.paths(version_ids) + fresh.paths)


def _questions(script: Script, groups: Groups, scope: list, words: str | None,
               more: str | None) -> list[Shown]:
    """Every question shown with its figures, read off the groups by key; the question keyed
    `more` with up to TEXTS_MORE free answers."""
    shown = {key: Shown(key, number, text, kind) for key, number, text, kind in script.questions}
    chosen, numbers = _count_answers(script, groups.answers, shown)
    times = _by_key(script, groups.times, shown)
    times_by_version = _by_key_and_version(script, groups.times)
    ids_by_key: dict[str, list[int]] = {}
    for question_id, key in script.question_keys.items():
        ids_by_key.setdefault(key, []).append(question_id)
    for key, question in shown.items():
        question.options = [(text, chosen[key][option])
                            for option, text in script.options.get(key, [])]
        question.numbers = figures.in_ranges(numbers[key])
        question.median = figures.nearest_rank(numbers[key]).get(50)
        question.time = figures.nearest_rank(times[key])
        if len(times_by_version.get(key, {})) > 1:  # several versions: a change shows
            question.time_by_version = [
                (version, figures.nearest_rank(spent))
                for version, spent in sorted(times_by_version[key].items(), reverse=True)]
        if question.kind == AnswerKind.TEXT:
            limit = TEXTS_MORE if key == more else TEXTS_SHOWN
            texts = figures.free_texts(scope, ids_by_key[key], words or "", limit + 1)
            question.texts, question.texts_left = texts[:limit], len(texts) > limit
            question.texts_more = limit == TEXTS_SHOWN
    return list(shown.values())


def _count_answers(script: Script, answers: Counter, shown: dict[str, Shown]):
    """Each question's answers and refusals into `shown`; its options chosen and numbers
    given, by key ({question key: Counter})."""
    chosen = {key: Counter() for key in shown}
    numbers = {key: Counter() for key in shown}
    for (question_id, answer), count in answers.items():
        key = script.question_keys.get(question_id)
        if key not in shown:
            continue
        if answer == "s":
            shown[key].stopped += count
            continue
        shown[key].answers += count
        if answer == "r":
            shown[key].refused += count
        elif answer.startswith("o"):
            chosen[key][script.option_keys.get(int(answer[1:]))] += count
        elif answer.startswith("n"):
            numbers[key][int(answer[1:])] += count
    return chosen, numbers


def _by_key_and_version(script: Script, groups: Counter) -> dict[str, dict[int, Counter]]:
    """{(question id, value): count} regrouped as {question key: {version: {value: count}}}."""
    found: dict[str, dict[int, Counter]] = {}
    for (question_id, value), count in groups.items():
        if question_id in script.question_keys:
            by_version = found.setdefault(script.question_keys[question_id], {})
            by_version.setdefault(script.question_versions[question_id], Counter())[
                value] += count
    return found


def _by_key(script: Script, groups: Counter, shown: dict[str, Shown]) -> dict[str, Counter]:
    """{(question id, value): count} regrouped as {question key: {value: count}}."""
    found = {key: Counter() for key in shown}
    for (question_id, value), count in groups.items():
        key = script.question_keys.get(question_id)
        if key in found:
            found[key][value] += count
    return found
