"""A survey's path as stored: its answers by position and its audit events.

An answer at position p is the answer to the question shown at step p - 1. Writing one keeps
the later answers that still follow the path (shown again on the way forward) and drops the
ones the new answer led away from.
"""
import datetime as dt

from survey_app.scripts import resolver
from survey_app.scripts.resolver import Answer, Graph, GraphError, Question
from survey_app.survey import statements as sql


def read(survey_id: int) -> list:
    """The stored answers, by position."""
    return list(sql.run(sql.ANSWERS, {"survey": survey_id}))


def as_answer(row) -> Answer:
    return Answer(row.question_id, row.option_id, row.number_value, row.text_value,
                  refused=row.refused)


def store(survey_id: int, graph: Graph, rows: list, position: int, question: Question,
          given: Answer, text: str, following: Question | None, shown_at: dt.datetime,
          now: dt.datetime) -> Answer | None:
    """Write the answer at its position and drop later answers that left the path.

    Returns the answer kept at the next position, to preselect on the next question.
    """
    by_position = {r.position: r for r in rows}
    write(survey_id, by_position, position, question, given, text, shown_at, now)
    kept_until = _kept_until(graph, position, following, by_position)
    if any(p > kept_until for p in by_position):
        sql.run(sql.DELETE_AFTER, {"survey": survey_id, "after": kept_until})
    return as_answer(by_position[position + 1]) if position + 1 <= kept_until else None


def write(survey_id: int, by_position: dict, position: int, question: Question,
          given: Answer, text: str, shown_at: dt.datetime, now: dt.datetime) -> None:
    """The answer at this position, replacing what was there."""
    values = {"question_id": question.id, "option_id": given.option_id,
              "number_value": given.number, "text_value": given.text, "refused": given.refused,
              "question_number": question.number, "question_text": question.text,
              "answer_text": text, "shown_at": shown_at, "answered_at": now}
    old = by_position.get(position)
    if old is not None and old.question_id == question.id:
        sql.run(sql.UPDATE_ANSWER, {"answer": old.id, **values})
    else:
        if old is not None:  # the path changed under this position
            sql.run(sql.DELETE_ANSWER, {"answer": old.id})
        sql.run(sql.INSERT_ANSWER, {"survey_id": survey_id, "position": position, **values})


def drop_after(survey_id: int, position: int) -> None:
    sql.run(sql.DELETE_AFTER, {"survey": survey_id, "after": position})


def event(survey_id: int, kind: str, position: int, question_id: int | None,
          answer_text: str | None = None, *, at: dt.datetime) -> None:
    sql.run(sql.INSERT_EVENT, {"survey_id": survey_id, "kind": kind, "position": position,
                               "question_id": question_id, "answer_text": answer_text,
                               "at": at})


def _kept_until(graph: Graph, position: int, following: Question | None,
                by_position: dict) -> int:
    """The last position whose answer still follows the path from the new answer."""
    expected, kept = following, position
    while expected is not None and kept + 1 in by_position:
        row = by_position[kept + 1]
        if row.question_id != expected.id:
            break
        kept += 1
        try:
            expected = resolver.next_question(graph, as_answer(row))
        except GraphError:  # a stepped-over answer the current graph no longer takes
            break
    return kept
