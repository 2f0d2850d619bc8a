"""A questionnaire's figures as grouped SQL queries over the surveys in scope (a list of
conditions on customer_surveys), the same on SQLite and PostgreSQL.

Each query returns groups, not rows: answers by (question, answer), seconds by (question,
whole seconds), paths by version. The groups add up, so the results page sums the tallies of
closed surveys (supervision/tallies.py) and the groups of the few still counted live. Medians
and 90th percentiles are then read off those histograms by nearest rank (the value at rank
ceil(p·n)), a few hundred groups at most. Answers count only up to a survey's step: those
stepped back over are not answers.
"""
from collections import Counter

from sqlalchemy import Integer, String, and_, case, cast, func, literal, select

from survey_app.extensions import db
from survey_app.models import (
    CustomerAnswer,
    CustomerSurvey,
    SurveyEvent,
    SurveyStatus,
)
from survey_app.portable_sql import folded, seconds_between

PERCENTS = (50, 90)
_survey, _answer = CustomerSurvey, CustomerAnswer
_CONFIRMED = and_(_answer.survey_id == _survey.id, _answer.position <= _survey.step)


def _on_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _whole_seconds(start, end):
    return cast(func.round(seconds_between(start, end)), Integer)


def nearest_rank(histogram: dict[int, int]) -> dict[int, float]:
    """{50: median, 90: p90} of a histogram {value: count}; {} when it is empty."""
    total = sum(histogram.values())
    found, seen = {}, 0
    wanted = {p: (p * total + 99) // 100 for p in PERCENTS}
    for value in sorted(histogram):
        seen += histogram[value]
        for p, rank in wanted.items():
            if p not in found and seen >= rank > 0:
                found[p] = value
    return found


def in_ranges(histogram: dict[int, int], most: int = 20) -> list[tuple[str, int]]:
    """A histogram's bars, [(label, count)] by value: a bar per value while there are at
    most `most` of them, else ranges of a round width (1, 2, 5, 10, 20, 50, ...), the empty
    ones included so the shape reads true ("10–19"). An age or a sum asked as a number can
    have hundreds of values: a bar each would not be read, nor printed."""
    if len(histogram) <= most:
        return [(str(value), count) for value, count in sorted(histogram.items())]
    low, high = min(histogram), max(histogram)
    width = next(w for w in _round_widths() if (high - low) // w + 1 <= most)
    start = low // width * width
    bars = Counter({value // width * width: 0 for value in range(start, high + 1, width)})
    for value, count in histogram.items():
        bars[value // width * width] += count
    return [(f"{first}–{first + width - 1}", count) for first, count in sorted(bars.items())]


def _round_widths():
    scale = 1
    while True:
        yield from (scale, 2 * scale, 5 * scale)
        scale *= 10


def _scoped_answers(scope: list):
    return select().select_from(_answer).join(_survey, _CONFIRMED).where(*scope)


def answer_code(option_id: int | None, number: int | None, refused: bool) -> str:
    """How a tally names an answer: "r" refused, "o<option id>", "n<number>", "t" a text."""
    if refused:
        return "r"
    if option_id is not None:
        return f"o{option_id}"
    return f"n{number}" if number is not None else "t"


def answer_groups(scope: list) -> Counter:
    """{(question id, answer code): answers}."""
    groups = Counter()
    for question, option, number, refused, count in db.session.execute(
            _scoped_answers(scope).add_columns(
                _answer.question_id, _answer.option_id, _answer.number_value, _answer.refused,
                func.count())
            .group_by(_answer.question_id, _answer.option_id, _answer.number_value,
                      _answer.refused)):
        groups[(question, answer_code(option, number, refused))] += count
    return groups


def time_groups(scope: list) -> Counter:
    """{(question id, whole seconds from showing it to its answer): answers}."""
    seconds = _whole_seconds(_answer.shown_at, _answer.answered_at)
    return Counter({(question, spent): count for question, spent, count in db.session.execute(
        _scoped_answers(scope).add_columns(_answer.question_id, seconds, func.count())
        .group_by(_answer.question_id, seconds))})


def path_groups(scope: list) -> Counter:
    """{(version id, "1 → 2 → 4"): completed surveys that took that path}."""
    joined = (func.string_agg(cast(_answer.question_number, String), literal(" → "))
              if _on_postgresql() else
              func.group_concat(_answer.question_number, literal(" → ")))
    window = joined.over(partition_by=_answer.survey_id, order_by=_answer.position,
                         rows=(None, None))
    paths = (_scoped_answers(scope + [_survey.status == SurveyStatus.COMPLETED])
             .add_columns(_survey.questionnaire_id, window.label("path"), _answer.position)
             .subquery())
    return Counter({(version, path): count for version, path, count in db.session.execute(
        select(paths.c.questionnaire_id, paths.c.path, func.count())
        .where(paths.c.position == 1).group_by(paths.c.questionnaire_id, paths.c.path))})


def free_texts(scope: list, question_ids: list[int], words: str, limit: int) -> list:
    """The newest free-text answers to a question (any of its versions' ids), those holding
    `words` if given; read from the newest surveys down, so a search stops at `limit`."""
    statement = (_scoped_answers(scope).add_columns(_answer.text_value, _survey.id,
                                                    _survey.started_at)
                 .where(_answer.question_id.in_(question_ids), _answer.text_value.is_not(None),
                        _answer.refused.is_(False)))
    if words:
        statement = statement.where(folded(_answer.text_value).contains(words.lower(),
                                                                        autoescape=True))
    return db.session.execute(statement.order_by(_survey.started_at.desc(), _survey.id.desc())
                              .limit(limit)).all()


def survey_groups(scope: list) -> dict[tuple, tuple[int, int]]:
    """{(version id, operator id, status, step, whole seconds or -1 unless completed):
    (surveys, their Back presses)}."""
    backs = (select(func.count()).select_from(SurveyEvent)
             .where(SurveyEvent.survey_id == _survey.id, SurveyEvent.kind == "back")
             .scalar_subquery())
    seconds = case((_survey.status == SurveyStatus.COMPLETED,
                    _whole_seconds(_survey.started_at, _survey.finished_at)), else_=-1)
    key = (_survey.questionnaire_id, _survey.operator_id, _survey.status, _survey.step, seconds)
    return {(version, operator, getattr(status, "value", status), step, spent): (count, back)
            for version, operator, status, step, spent, count, back in db.session.execute(
                select(*key, func.count(), func.coalesce(func.sum(backs), 0))
                .where(*scope).group_by(*key))}


def stop_groups(scope: list) -> Counter:
    """{(question id, "s"): cancelled or abandoned surveys whose last answer it was}."""
    last = and_(_answer.survey_id == _survey.id, _answer.position == _survey.step)
    return Counter({(question, "s"): count for question, count in db.session.execute(
        select(_answer.question_id, func.count()).select_from(_survey).join(_answer, last)
        .where(*scope, _survey.status.in_([SurveyStatus.CANCELLED, SurveyStatus.ABANDONED]))
        .group_by(_answer.question_id))})
