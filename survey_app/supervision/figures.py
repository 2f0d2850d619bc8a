"""A questionnaire's figures, each one grouped SQL query over the surveys in scope (a list of
conditions on customer_surveys), the same on SQLite and PostgreSQL.

Medians and 90th percentiles are nearest-rank (the value at rank ceil(p·n) in order), found
with window functions both databases have; PostgreSQL's percentile_cont has no SQLite twin.
Answers count only up to a survey's step: those stepped back over are not answers.
"""
from sqlalchemy import Integer, String, and_, case, cast, func, literal, or_, select

from survey_app.extensions import db
from survey_app.models import (
    AnswerOption,
    CustomerAnswer,
    CustomerSurvey,
    Question,
    Questionnaire,
    SurveyEvent,
    SurveyStatus,
    User,
)
from survey_app.portable_sql import folded, seconds_between

PERCENTS = (50, 90)
PATHS_SHOWN = 10
_survey, _answer = CustomerSurvey, CustomerAnswer
_CONFIRMED = and_(_answer.survey_id == _survey.id, _answer.position <= _survey.step)


def _on_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def statuses(scope: list) -> dict[str, int]:
    """Surveys by stored status."""
    return {status.value: count for status, count in db.session.execute(
        select(_survey.status, func.count()).where(*scope).group_by(_survey.status))}


def percentiles(group, value, statement) -> dict:
    """{group: {50: median, 90: p90}} of `value` by `group` over `statement`'s rows (a
    select_from with its joins and conditions); NULL values left out."""
    ranked = statement.add_columns(
        group.label("grp"), value.label("val"),
        func.row_number().over(partition_by=group, order_by=value).label("rnk"),
        func.count().over(partition_by=group).label("cnt")).where(value.is_not(None)).subquery()
    wanted = [(p * ranked.c.cnt + 99) // 100 for p in PERCENTS]
    found: dict = {}
    for grp, val, rank, count in db.session.execute(
            select(ranked.c.grp, ranked.c.val, ranked.c.rnk, ranked.c.cnt)
            .where(or_(*[ranked.c.rnk == w for w in wanted]))):
        for p in PERCENTS:
            if rank == (p * count + 99) // 100:
                found.setdefault(grp, {})[p] = val
    return found


def _scoped_answers(scope: list):
    return select().select_from(_answer).join(_survey, _CONFIRMED).where(*scope)


def answers_by_question(scope: list) -> dict[str, tuple[int, int]]:
    """{question key: (answers, of them refused)}."""
    rows = db.session.execute(
        _scoped_answers(scope).add_columns(
            Question.key, func.count(), func.sum(case((_answer.refused, 1), else_=0)))
        .join(Question, Question.id == _answer.question_id).group_by(Question.key))
    return {key: (count, refused or 0) for key, count, refused in rows}


def options_chosen(scope: list) -> dict[str, dict[str, int]]:
    """{question key: {option key: times chosen}} (options line up across versions by key)."""
    chosen: dict = {}
    for question, option, count in db.session.execute(
            _scoped_answers(scope).add_columns(Question.key, AnswerOption.key, func.count())
            .join(AnswerOption, AnswerOption.id == _answer.option_id)
            .join(Question, Question.id == AnswerOption.question_id)
            .group_by(Question.key, AnswerOption.key)):
        chosen.setdefault(question, {})[option] = count
    return chosen


def numbers_given(scope: list) -> dict[str, dict[int, int]]:
    """{question key: {number: times given}}: a number question's histogram."""
    given: dict = {}
    for question, value, count in db.session.execute(
            _scoped_answers(scope).add_columns(Question.key, _answer.number_value, func.count())
            .join(Question, Question.id == _answer.question_id)
            .where(_answer.number_value.is_not(None))
            .group_by(Question.key, _answer.number_value)):
        given.setdefault(question, {})[value] = count
    return given


def number_medians(scope: list) -> dict[str, dict[int, float]]:
    return percentiles(Question.key, _answer.number_value, _scoped_answers(scope).join(
        Question, Question.id == _answer.question_id))


def free_texts(scope: list, question_key: str, words: str, limit: int) -> list:
    """The newest free-text answers to a question, those holding `words` if given."""
    statement = (_scoped_answers(scope).add_columns(_answer.text_value, _survey.id,
                                                    _survey.started_at)
                 .join(Question, Question.id == _answer.question_id)
                 .where(Question.key == question_key, _answer.text_value.is_not(None),
                        _answer.refused.is_(False)))
    if words:
        statement = statement.where(folded(_answer.text_value).contains(words.lower(),
                                                                        autoescape=True))
    return db.session.execute(statement.order_by(_survey.started_at.desc(), _survey.id.desc())
                              .limit(limit)).all()


def reached(scope: list) -> dict[int, int]:
    """{step: surveys that confirmed an answer at it}: the funnel."""
    return dict(db.session.execute(
        _scoped_answers(scope).add_columns(_answer.position, func.count())
        .group_by(_answer.position)).all())


def stopped_at(scope: list) -> dict[str | None, int]:
    """{question key of the last answer: cancelled or abandoned surveys that stopped after
    it}; None for those stopped before any answer."""
    last = and_(_answer.survey_id == _survey.id, _answer.position == _survey.step)
    return dict(db.session.execute(
        select(Question.key, func.count()).select_from(_survey).outerjoin(_answer, last)
        .outerjoin(Question, Question.id == _answer.question_id)
        .where(*scope, _survey.status.in_([SurveyStatus.CANCELLED, SurveyStatus.ABANDONED]))
        .group_by(Question.key)).all())


def common_paths(scope: list) -> list[tuple[str, int]]:
    """The commonest paths of completed surveys ("1 → 2 → 4"), with how many took each."""
    joined = (func.string_agg(cast(_answer.question_number, String), literal(" → "))
              if _on_postgresql() else
              func.group_concat(_answer.question_number, literal(" → ")))
    window = joined.over(partition_by=_answer.survey_id, order_by=_answer.position,
                         rows=(None, None))
    paths = (_scoped_answers(scope + [_survey.status == SurveyStatus.COMPLETED])
             .add_columns(window.label("path"), _answer.position).subquery())
    return db.session.execute(
        select(paths.c.path, func.count()).where(paths.c.position == 1)
        .group_by(paths.c.path).order_by(func.count().desc(), paths.c.path)
        .limit(PATHS_SHOWN)).all()


def _completed(scope: list):
    return (select().select_from(_survey)
            .where(*scope, _survey.status == SurveyStatus.COMPLETED))


def handle_time_by_version(scope: list) -> dict[int, dict[int, float]]:
    """{version: {50: median, 90: p90}} seconds of a completed survey."""
    return percentiles(Questionnaire.version,
                       seconds_between(_survey.started_at, _survey.finished_at),
                       _completed(scope).join(Questionnaire,
                                              Questionnaire.id == _survey.questionnaire_id))


def completed_by_version(scope: list) -> dict[int, int]:
    return dict(db.session.execute(
        _completed(scope).add_columns(Questionnaire.version, func.count())
        .join(Questionnaire, Questionnaire.id == _survey.questionnaire_id)
        .group_by(Questionnaire.version)).all())


def time_per_question(scope: list) -> dict[str, dict[int, float]]:
    """{question key: {50, 90}} seconds from showing the question to its answer."""
    return percentiles(Question.key, seconds_between(_answer.shown_at, _answer.answered_at),
                       _scoped_answers(scope).join(Question, Question.id == _answer.question_id))


def per_operator(scope: list) -> list:
    """A row per operator: name, surveys, completed, Back presses, median handle time."""
    backs = (select(func.count()).select_from(SurveyEvent)
             .join(_survey, _survey.id == SurveyEvent.survey_id)
             .where(*scope, SurveyEvent.kind == "back", _survey.operator_id == User.id)
             .scalar_subquery())
    rows = db.session.execute(
        select(User.id, User.full_name, func.count(),
               func.sum(case((_survey.status == SurveyStatus.COMPLETED, 1), else_=0)),
               backs.cast(Integer))
        .select_from(_survey).join(User, User.id == _survey.operator_id).where(*scope)
        .group_by(User.id, User.full_name, User.sort_name).order_by(User.sort_name)).all()
    medians = percentiles(_survey.operator_id,
                          seconds_between(_survey.started_at, _survey.finished_at),
                          _completed(scope))
    return [(name, surveys, completed or 0, backs or 0, medians.get(ident, {}).get(50))
            for ident, name, surveys, completed, backs in rows]
