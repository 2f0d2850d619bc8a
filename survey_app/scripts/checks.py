"""Checks of a question graph, run live in the editor and refused at publish: pure.

A finding is a code with the values it concerns (the question's number, the ranges...);
survey_app/language/findings.py words it in the marketer's language.
"""
from dataclasses import dataclass, field

from survey_app.scripts.resolver import CHOICE, NUMBER, Graph, Question, Transition


@dataclass(frozen=True)
class Problem:
    """Something that keeps a questionnaire from being run."""

    code: str
    question_id: int | None = None
    params: dict = field(default_factory=dict)


def _about(q: Question, code: str, **params) -> Problem:
    """A finding on question q; its number is what the marketer knows it by."""
    return Problem(code, q.id, {"question": q.number, **params})


def check(graph: Graph) -> list[Problem]:
    """Every problem of the graph; an empty list means it can be published."""
    problems = _first_question(graph) + _broken_transitions(graph)
    if problems:
        return problems  # the walks below need a sound graph
    for question in sorted(graph.questions.values(), key=lambda q: q.number):
        problems += _answers_without_way(graph, question)
    problems += _unreachable(graph) + _cycles(graph)
    return problems


def _first_question(graph: Graph) -> list[Problem]:
    firsts = [q for q in graph.questions.values() if q.is_first]
    if not graph.questions:
        return [Problem("empty")]
    if not firsts:
        return [Problem("no_first")]
    if len(firsts) > 1:
        numbers = sorted(q.number for q in firsts)
        return [Problem("several_first", params={"questions": numbers})]
    return []


def _broken_transitions(graph: Graph) -> list[Problem]:
    problems = []
    for t in graph.transitions:
        source = graph.questions.get(t.source)
        if source is None or t.target not in graph.questions:
            problems.append(Problem("unknown_question", t.source))
        elif t.option_id is not None and source.option(t.option_id) is None:
            problems.append(_about(source, "foreign_option"))
        elif t.is_range and source.kind != NUMBER:
            problems.append(_about(source, "range_on_non_number"))
    return problems


def _answers_without_way(graph: Graph, q: Question) -> list[Problem]:
    """Answers that lead nowhere on a non-last question, and ambiguous transitions."""
    outgoing = graph.outgoing.get(q.id, ())
    problems = _ambiguous(q, outgoing)
    if q.kind == CHOICE and not q.options:
        problems.append(_about(q, "no_options"))
    if q.kind == NUMBER:
        problems += _range_problems(q, outgoing)
    if not (q.is_last or any(t.unconditional for t in outgoing)):
        problems += _dead_ends(q, outgoing)
    return problems


def _dead_ends(q: Question, outgoing: tuple[Transition, ...]) -> list[Problem]:
    """A question that is not last and has no "any other answer" way: what leads nowhere."""
    if not outgoing:
        return [_about(q, "dead_end", answers="any")]
    if q.kind == CHOICE:
        covered = {t.option_id for t in outgoing}
        return [_about(q, "option_without_transition", option=option.text)
                for option in q.options if option.id not in covered]
    if q.kind != NUMBER:
        return [_about(q, "dead_end", answers="text")]
    if not any(t.is_range for t in outgoing):  # only option transitions: no number matches
        return [_about(q, "dead_end", answers="number")]
    return []


def _ambiguous(q: Question, outgoing: tuple[Transition, ...]) -> list[Problem]:
    problems = []
    if sum(t.unconditional for t in outgoing) > 1:
        problems.append(_about(q, "several_any"))
    options = [t.option_id for t in outgoing if t.option_id is not None]
    if len(options) != len(set(options)):
        problems.append(_about(q, "several_for_option"))
    return problems


def _range_problems(q: Question, outgoing: tuple[Transition, ...]) -> list[Problem]:
    ranges = sorted((t for t in outgoing if t.is_range), key=_low)
    bounds = _bounds_problem(q, ranges)
    if bounds is not None:
        return [bounds]
    problems = [p for t in ranges if (p := _range_problem(q, t)) is not None]
    ranges = [t for t in ranges if _low(t) <= _high(t)]  # an empty range covers no answer
    return problems + _overlaps(q, ranges) + _gaps(q, ranges, outgoing)


def _bounds_problem(q: Question, ranges: list[Transition]) -> Problem | None:
    """The question's own Minimum and Maximum, which every range is checked against."""
    if q.min_value is not None and q.max_value is not None and q.min_value > q.max_value:
        return _about(q, "empty_number_range", low=q.min_value, high=q.max_value)
    if ranges and (q.min_value is None or q.max_value is None):
        return _about(q, "unbounded_number")
    return None


def _range_problem(q: Question, t: Transition) -> Problem | None:
    if _low(t) > _high(t):
        return _about(q, "empty_range", range=(t.low, t.high))
    if _low(t) < q.min_value or _high(t) > q.max_value:
        return _about(q, "range_outside", range=(t.low, t.high), low=q.min_value,
                      high=q.max_value)
    return None


def _overlaps(q: Question, ranges: list[Transition]) -> list[Problem]:
    """Ranges sorted by their start: each that starts before the previous one ends."""
    return [_about(q, "overlapping_ranges", ranges=((a.low, a.high), (b.low, b.high)))
            for a, b in zip(ranges, ranges[1:], strict=False) if _low(b) <= _high(a)]


def _gaps(q: Question, ranges: list[Transition],
          outgoing: tuple[Transition, ...]) -> list[Problem]:
    """Numbers between Minimum and Maximum that no range covers, unless another way catches
    them ("any other answer") or the question is the last."""
    if not ranges or q.is_last or any(t.unconditional for t in outgoing):
        return []
    problems, expected = [], q.min_value
    for t in ranges:
        if _low(t) > expected:
            problems.append(_gap(q, expected, _low(t) - 1))
        expected = max(expected, _high(t) + 1)
    if expected <= q.max_value:
        problems.append(_gap(q, expected, q.max_value))
    return problems


def _gap(q: Question, low: int, high: int) -> Problem:
    return _about(q, "gapped_ranges", low=low, high=high)


def _low(t: Transition) -> float:
    return t.low if t.low is not None else float("-inf")


def _high(t: Transition) -> float:
    return t.high if t.high is not None else float("inf")


def _unreachable(graph: Graph) -> list[Problem]:
    seen, todo = set(), [graph.first().id]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo += [t.target for t in graph.outgoing.get(current, ())]
    return [_about(q, "unreachable")
            for q in sorted(graph.questions.values(), key=lambda q: q.number) if q.id not in seen]


def _cycles(graph: Graph) -> list[Problem]:
    """Report one question per cycle: a survey must always come to an end."""
    state: dict[int, int] = {}  # 1 = on the current walk, 2 = done
    problems = []

    def visit(qid: int) -> None:
        state[qid] = 1
        for t in graph.outgoing.get(qid, ()):
            if state.get(t.target) == 1:
                q = graph.questions[t.target]
                problems.append(_about(q, "cycle"))
            elif t.target not in state:
                visit(t.target)
        state[qid] = 2

    for qid in sorted(graph.questions):
        if qid not in state:
            visit(qid)
    return problems
