"""Checks of a question graph, run live in the editor and refused at publish: pure."""
from dataclasses import dataclass

from survey_app.scripts.resolver import CHOICE, NUMBER, Graph, Question, Transition


@dataclass(frozen=True)
class Problem:
    """Something that keeps a questionnaire from being run, in the marketer's words."""

    code: str
    message: str
    question_id: int | None = None


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
        return [Problem("empty", "The questionnaire has no questions.")]
    if not firsts:
        return [Problem("no_first", "No question is marked as the first question.")]
    if len(firsts) > 1:
        numbers = ", ".join(str(q.number) for q in sorted(firsts, key=lambda q: q.number))
        return [Problem("several_first", f"Questions {numbers} are all marked first; "
                        "mark exactly one.")]
    return []


def _broken_transitions(graph: Graph) -> list[Problem]:
    problems = []
    for t in graph.transitions:
        source = graph.questions.get(t.source)
        if source is None or t.target not in graph.questions:
            problems.append(Problem("unknown_question", "A transition points to a question "
                                    "that is not in this questionnaire.", t.source))
        elif t.option_id is not None and source.option(t.option_id) is None:
            problems.append(Problem("foreign_option", f"Question {source.number}: a transition "
                                    "uses an answer of another question.", source.id))
        elif t.is_range and source.kind != NUMBER:
            problems.append(Problem("range_on_non_number", f"Question {source.number}: number "
                                    "ranges apply only to number answers.", source.id))
    return problems


def _answers_without_way(graph: Graph, q: Question) -> list[Problem]:
    """Answers that lead nowhere on a non-last question, and ambiguous transitions."""
    outgoing = graph.outgoing.get(q.id, ())
    problems = _ambiguous(q, outgoing)
    if q.kind == CHOICE and not q.options:
        problems.append(Problem("no_options", f"Question {q.number} has no answer options.",
                                q.id))
    if q.kind == NUMBER:
        problems += _range_problems(q, outgoing)
    if q.is_last or any(t.unconditional for t in outgoing):
        return problems
    if not outgoing:
        problems.append(Problem("dead_end", f"Question {q.number} is not last and leads to no "
                                "next question.", q.id))
    elif q.kind == CHOICE:
        covered = {t.option_id for t in outgoing}
        for option in q.options:
            if option.id not in covered:
                problems.append(Problem("option_without_transition", f"Question {q.number}: "
                                        f"the answer \u201c{option.text}\u201d leads to no next "
                                        "question.", q.id))
    elif q.kind != NUMBER:
        problems.append(Problem("dead_end", f"Question {q.number}: a free-text answer needs a "
                                "next question for any answer.", q.id))
    elif not any(t.is_range for t in outgoing):  # only option transitions: no number matches
        problems.append(Problem("dead_end", f"Question {q.number}: a number answer needs a "
                                "next question for its ranges or for any answer.", q.id))
    return problems


def _ambiguous(q: Question, outgoing: tuple[Transition, ...]) -> list[Problem]:
    problems = []
    if sum(t.unconditional for t in outgoing) > 1:
        problems.append(Problem("several_any", f"Question {q.number} has several next questions "
                                "for any answer.", q.id))
    options = [t.option_id for t in outgoing if t.option_id is not None]
    if len(options) != len(set(options)):
        problems.append(Problem("several_for_option", f"Question {q.number}: one answer leads "
                                "to several next questions.", q.id))
    return problems


def _range_problems(q: Question, outgoing: tuple[Transition, ...]) -> list[Problem]:
    ranges = sorted((t for t in outgoing if t.is_range), key=_low)
    problems = []
    if q.min_value is not None and q.max_value is not None and q.min_value > q.max_value:
        return [Problem("empty_number_range", f"Question {q.number}: the lowest number "
                        f"{q.min_value} is above the highest {q.max_value}.", q.id)]
    if ranges and (q.min_value is None or q.max_value is None):
        return [Problem("unbounded_number", f"Question {q.number}: give the lowest and highest "
                        "number before branching on ranges.", q.id)]
    for t in ranges:
        if _low(t) > _high(t):
            problems.append(Problem("empty_range", f"Question {q.number}: the range "
                                    f"{_label(t)} is empty.", q.id))
        elif _low(t) < q.min_value or _high(t) > q.max_value:
            problems.append(Problem("range_outside", f"Question {q.number}: the range "
                                    f"{_label(t)} is outside {q.min_value}-{q.max_value}.", q.id))
    ranges = [t for t in ranges if _low(t) <= _high(t)]  # an empty range covers no answer
    for a, b in zip(ranges, ranges[1:], strict=False):
        if _low(b) <= _high(a):
            problems.append(Problem("overlapping_ranges", f"Question {q.number}: the ranges "
                                    f"{_label(a)} and {_label(b)} overlap.", q.id))
    if ranges and not q.is_last and not any(t.unconditional for t in outgoing):
        problems += _gaps(q, ranges)
    return problems


def _gaps(q: Question, ranges: list[Transition]) -> list[Problem]:
    problems, expected = [], q.min_value
    for t in ranges:
        if _low(t) > expected:
            problems.append(_gap(q, expected, _low(t) - 1))
        expected = max(expected, _high(t) + 1)
    if expected <= q.max_value:
        problems.append(_gap(q, expected, q.max_value))
    return problems


def _gap(q: Question, low: int, high: int) -> Problem:
    span = str(low) if low == high else f"{low}-{high}"
    return Problem("gapped_ranges", f"Question {q.number}: the answers {span} lead to no next "
                   "question.", q.id)


def _low(t: Transition) -> float:
    return t.low if t.low is not None else float("-inf")


def _high(t: Transition) -> float:
    return t.high if t.high is not None else float("inf")


def _label(t: Transition) -> str:
    """7-10, "up to 3" or "from 7": a bare "-3" would read as minus three."""
    if t.low is None:
        return f"up to {t.high}"
    if t.high is None:
        return f"from {t.low}"
    return f"{t.low}-{t.high}"


def _unreachable(graph: Graph) -> list[Problem]:
    seen, todo = set(), [graph.first().id]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo += [t.target for t in graph.outgoing.get(current, ())]
    return [Problem("unreachable", f"Question {q.number} cannot be reached from the first "
                    "question.", q.id)
            for q in sorted(graph.questions.values(), key=lambda q: q.number)
            if q.id not in seen]


def _cycles(graph: Graph) -> list[Problem]:
    """Report one question per cycle: a survey must always come to an end."""
    state: dict[int, int] = {}  # 1 = on the current walk, 2 = done
    problems = []

    def visit(qid: int) -> None:
        state[qid] = 1
        for t in graph.outgoing.get(qid, ()):
            if state.get(t.target) == 1:
                q = graph.questions[t.target]
                problems.append(Problem("cycle", f"Question {q.number} can be reached again "
                                        "from a later question: the survey could loop.", q.id))
            elif t.target not in state:
                visit(t.target)
        state[qid] = 2

    for qid in sorted(graph.questions):
        if qid not in state:
            visit(qid)
    return problems
