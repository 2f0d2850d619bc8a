"""Results kept as surveys close: a closed survey's answers never change again, so each one
is counted once into the tallies (models/tallies.py) and the results page adds only the
surveys still open or closed since.

A version's tallies are brought up to a minute ago whenever its results are read: the
surveys finished since its watermark are grouped (supervision/figures.py, the same queries
the live part runs) and added in one transaction that also moves the watermark, guarded by
its old value, so two supervisors refreshing at once never count a survey twice (the one
that loses rolls back). The minute of margin covers a step that took its finish time before
it committed; whatever is not tallied yet is counted live.
"""
import datetime as dt
from collections import Counter

from flask import current_app
from sqlalchemy import select, union_all, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from survey_app.extensions import db
from survey_app.models import (
    AnswerTally,
    AnswerTimeTally,
    CustomerSurvey,
    PathTally,
    Question,
    ResultsWatermark,
    SurveyStatus,
    SurveyTally,
)
from survey_app.models.surveys import utcnow
from survey_app.supervision import figures


def refresh(version_ids: list[int]) -> None:
    """Bring each version's tallies up to a minute ago."""
    for version_id in version_ids:
        _refresh(version_id)


def _refresh(version_id: int) -> None:
    old = db.session.scalar(select(ResultsWatermark.upto)
                            .where(ResultsWatermark.questionnaire_id == version_id))
    new = utcnow() - dt.timedelta(seconds=current_app.config["RESULTS_TALLY_MARGIN_SECONDS"])
    if old is not None and new <= old:
        return
    interval = [CustomerSurvey.questionnaire_id == version_id,
                CustomerSurvey.finished_at <= new]
    if old is not None:
        interval.append(CustomerSurvey.finished_at > old)
    try:
        if not _move_watermark(version_id, old, new):
            db.session.rollback()  # someone else counted this interval first
            return
        _add(AnswerTally, ["question_id", "answer"],
             figures.answer_groups(interval) + figures.stop_groups(interval))
        _add(AnswerTimeTally, ["question_id", "seconds"], figures.time_groups(interval))
        _add(PathTally, ["questionnaire_id", "path"], figures.path_groups(interval))
        _add(SurveyTally, ["questionnaire_id", "operator_id", "status", "step", "seconds"],
             figures.survey_groups(interval), measures=("count", "backs"))
        db.session.commit()
    except IntegrityError:  # the first watermark of a version, written by both at once
        db.session.rollback()


def _move_watermark(version_id: int, old: dt.datetime | None, new: dt.datetime) -> bool:
    if old is None:
        db.session.add(ResultsWatermark(questionnaire_id=version_id, upto=new))
        db.session.flush()
        return True
    moved = db.session.execute(update(ResultsWatermark).where(
        ResultsWatermark.questionnaire_id == version_id, ResultsWatermark.upto == old)
        .values(upto=new))
    return moved.rowcount == 1


def _add(model, keys: list[str], groups: dict, measures: tuple[str, ...] = ("count",)) -> None:
    """Add the groups' counts (a number, or one per measure) to the tally's rows (made when
    missing), a thousand rows a statement."""
    rows = [dict(zip(keys, key, strict=True)) | dict(zip(
        measures, value if isinstance(value, tuple) else (value,), strict=True))
        for key, value in groups.items()]
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    for start in range(0, len(rows), 1000):
        statement = dialect.insert(model).values(rows[start:start + 1000])
        db.session.execute(statement.on_conflict_do_update(index_elements=keys, set_={
            measure: getattr(model, measure) + getattr(statement.excluded, measure)
            for measure in measures}))


def live(version_ids: list[int]):
    """The condition of the surveys the tallies do not hold yet: open, or finished after
    their version's watermark. A union of ids, each part read by its own index (as one OR,
    SQLite walked every survey of the questionnaire)."""
    marks = dict(db.session.execute(
        select(ResultsWatermark.questionnaire_id, ResultsWatermark.upto)
        .where(ResultsWatermark.questionnaire_id.in_(version_ids))).all())
    surveys = CustomerSurvey
    parts = [select(surveys.id).where(surveys.status == SurveyStatus.IN_PROGRESS)]
    parts += [select(surveys.id).where(surveys.questionnaire_id == version,
                                       surveys.finished_at > upto)
              for version, upto in marks.items()]
    unmarked = [v for v in version_ids if v not in marks]  # a refresh lost its first race
    if unmarked:
        parts.append(select(surveys.id).where(surveys.questionnaire_id.in_(unmarked)))
    return surveys.id.in_(union_all(*parts))


def question_ids(version_ids: list[int]) -> list[int]:
    return db.session.scalars(select(Question.id).where(
        Question.questionnaire_id.in_(version_ids))).all()


def answers(question_ids: list[int]) -> Counter:
    return Counter({(question, answer): count for question, answer, count in db.session.execute(
        select(AnswerTally.question_id, AnswerTally.answer, AnswerTally.count)
        .where(AnswerTally.question_id.in_(question_ids)))})


def times(question_ids: list[int]) -> Counter:
    return Counter({(question, seconds): count for question, seconds, count in db.session.execute(
        select(AnswerTimeTally.question_id, AnswerTimeTally.seconds, AnswerTimeTally.count)
        .where(AnswerTimeTally.question_id.in_(question_ids)))})


def surveys(version_ids: list[int]) -> dict[tuple, tuple[int, int]]:
    return {(version, operator, status, step, seconds): (count, backs)
            for version, operator, status, step, seconds, count, backs in db.session.execute(
                select(SurveyTally.questionnaire_id, SurveyTally.operator_id, SurveyTally.status,
                       SurveyTally.step, SurveyTally.seconds, SurveyTally.count,
                       SurveyTally.backs)
                .where(SurveyTally.questionnaire_id.in_(version_ids)))}


def paths(version_ids: list[int]) -> Counter:
    return Counter({(version, path): count for version, path, count in db.session.execute(
        select(PathTally.questionnaire_id, PathTally.path, PathTally.count)
        .where(PathTally.questionnaire_id.in_(version_ids)))})
