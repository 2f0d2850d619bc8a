"""Checks of a question graph, run live in the editor and refused at publish: pure.

A finding is a code with the values it concerns (the question's number, the ranges...), a
severity (an error blocks publishing, a warning does not) and, when it is about a question,
how to get there: the answers from the first question, as steps (question number, answer
label), that the marketer can replay in a test run. survey_app/language/findings.py words it.
"""
from dataclasses import dataclass, field, replace

from survey_app.scripts.fields import answer_number, fields_in, is_known
from survey_app.scripts.resolver import (
    CHOICE,
    NUMBER,
    Answer,
    Graph,
    Question,
    Transition,
)
from survey_app.scripts.walks import (  # noqa: F401  (ANY, REFUSED: the labels findings word)
    ANY,
    REFUSED,
    Came,
    Sample,
    Step,
    Walk,
    answer_samples,
    looped,
    option_sample,
    refusal_sample,
)

ERROR, WARNING = "error", "warning"
LONG_PATH = 30  # more questions than this on one call tires the client
# findings whose path ends with the answer that leads nowhere (the resolver's no_way_on)
LEADS_NOWHERE = frozenset({"dead_end", "option_without_transition", "gapped_ranges",
                           "refusal_without_way"})



@dataclass(frozen=True)
class Problem:
    """Something to fix before publishing (an error) or worth a look (a warning).

    `path` is how to get there: (question number, answer label) steps from the first
    question, the label being an option's text, a number, "refused" or "any" (text); when
    `ends_nowhere`, the last step is the answer that leads nowhere. `answers` are the same
    steps as resolver Answers. Both are empty when no answers lead there.
    """

    code: str
    question_id: int | None = None
    params: dict = field(default_factory=dict)
    severity: str = ERROR
    path: tuple[Step, ...] = ()
    answers: tuple[Answer, ...] = field(default=(), compare=False, repr=False)

    @property
    def blocks(self) -> bool:
        """True when the finding keeps the questionnaire from being published."""
        return self.severity == ERROR

    @property
    def ends_nowhere(self) -> bool:
        """True when the path's last step is the answer that leads nowhere (none is, when no
        answer can be given: a choice without options, a Minimum above the Maximum)."""
        return (self.code in LEADS_NOWHERE and bool(self.answers)
                and self.answers[-1].question_id == self.question_id)


def path_answers(problem: Problem) -> list[Answer]:
    """The finding's path as resolver Answers, to replay with resolver.path()."""
    return list(problem.answers)


def blocking(problems: list[Problem]) -> list[Problem]:
    """The findings that keep the questionnaire from being published."""
    return [p for p in problems if p.blocks]


def _about(q: Question, code: str, severity: str = ERROR, **params) -> Problem:
    """A finding on question q; its number is what the marketer knows it by."""
    return Problem(code, q.id, {"question": q.number, **params}, severity)


def _dead(q: Question, code: str, sample: Sample | None, **params) -> Problem:
    """A finding on an answer to q that leads nowhere: that answer is the path's last step."""
    problem = _about(q, code, **params)
    if sample is None:
        return problem
    return replace(problem, path=((q.number, sample[1]),), answers=(sample[0],))


def check(graph: Graph) -> list[Problem]:
    """Every finding of the graph; none that blocks means it can be published."""
    problems = _first_question(graph)
    if problems:
        return problems
    walk = Walk(graph)
    broken = _broken_transitions(graph)
    if broken:
        return [_locate(walk, p) for p in broken]  # the checks below need a sound graph
    numbers = {q.number for q in graph.questions.values()}
    for question in _by_number(graph):
        problems += _answers_without_way(graph, question) + _text_fields(question, numbers)
    cycles = _cycles(graph)
    problems = [_locate(walk, p) for p in problems + _unreachable(graph, walk) + cycles]
    return problems + _answers_not_before(walk) + ([] if cycles else _long_path(walk))


def _by_number(graph: Graph) -> list[Question]:
    return sorted(graph.questions.values(), key=lambda q: q.number)


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
    problems, owned = [], {(q.id, o.id) for q in graph.questions.values() for o in q.options}
    for t in graph.transitions:
        source = graph.questions.get(t.source)
        if source is None:
            problems.append(Problem("unknown_question", t.source))
        elif t.target not in graph.questions:  # a question of another questionnaire
            problems.append(_about(source, "unknown_question"))
        elif t.option_id is not None and (source.id, t.option_id) not in owned:
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
        dead = _dead_ends(q, outgoing)
        # a refusal takes only "any other answer"; "leads to no next question" says it all
        if q.allows_refusal and not any(p.code == "dead_end" for p in dead):
            dead.append(_dead(q, "refusal_without_way", refusal_sample(q)))
        problems += dead
    return problems


def _dead_ends(q: Question, outgoing: tuple[Transition, ...]) -> list[Problem]:
    """A question that is not last and has no "any other answer" way: what leads nowhere."""
    if not outgoing:
        return [_dead(q, "dead_end", _first(answer_samples(q, ())), answers="any")]
    if q.kind == CHOICE:
        covered = {t.option_id for t in outgoing}
        return [_dead(q, "option_without_transition", option_sample(q, o.id, o.text), option=o.text)
                for o in q.options if o.id not in covered]
    if q.kind != NUMBER:
        return [_dead(q, "dead_end", (Answer(q.id, text=ANY), ANY), answers="text")]
    if not any(t.is_range for t in outgoing):  # only option transitions: no number matches
        return [_dead(q, "dead_end", _first(answer_samples(q, outgoing)), answers="number")]
    return []


def _first(samples: list[Sample]) -> Sample | None:
    return samples[0] if samples else None  # no answer at all: no options, Minimum > Maximum


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
    return _dead(q, "gapped_ranges", (Answer(q.id, number=low), str(low)), low=low, high=high)


def _low(t: Transition) -> float:
    return t.low if t.low is not None else float("-inf")


def _high(t: Transition) -> float:
    return t.high if t.high is not None else float("inf")


def _text_fields(q: Question, numbers: set[int]) -> list[Problem]:
    """Fields the text cannot fill: a name not in fields.FIELDS, an answer to no question."""
    problems = []
    for name in fields_in(q.text):
        number = answer_number(name)
        if not is_known(name):
            problems.append(_about(q, "unknown_field", field=name))
        elif number is not None and number not in numbers:
            problems.append(_about(q, "answer_of_unknown_question", answer=number))
    return problems


def _locate(walk: Walk, problem: Problem) -> Problem:
    """The finding with the shortest way to its question put before its own steps."""
    if problem.question_id is None:
        return problem
    if problem.question_id not in walk.came:  # no answers lead there
        return replace(problem, path=(), answers=())
    steps, answers = walk.route(walk.came, problem.question_id)
    return replace(problem, path=steps + problem.path, answers=answers + problem.answers)


def _unreachable(graph: Graph, walk: Walk) -> list[Problem]:
    """Questions no answers lead to, a transition no answer takes counting for nothing."""
    return [_about(q, "unreachable") for q in _by_number(graph) if q.id not in walk.came]


def _cycles(graph: Graph) -> list[Problem]:
    """Each question a transition leads back to, once: a survey must always come to an end."""
    return [_about(graph.questions[qid], "cycle") for qid in looped(graph)]


def _answers_not_before(walk: Walk) -> list[Problem]:
    """{answer:N} in a question some path reaches without asking question N first; the
    finding's path is such a path."""
    problems, by_number = [], {q.number: q.id for q in walk.graph.questions.values()}
    avoiding: dict[int, Came] = {}
    for q in _by_number(walk.graph):
        numbers = [n for n in map(answer_number, fields_in(q.text)) if n is not None]
        for number in numbers if q.id in walk.came else ():
            came = _reached_without(walk, by_number.get(number), q.id, avoiding)
            if came is not None:
                steps, answers = walk.route(came, q.id)
                problem = _about(q, "answer_not_before", WARNING, answer=number)
                problems.append(replace(problem, path=steps, answers=answers))
    return problems


def _reached_without(walk: Walk, source: int | None, qid: int,
                     avoiding: dict[int, Came]) -> Came | None:
    """A walk that reaches qid without asking question `source`, if there is one."""
    if source is None or source == walk.first != qid:  # no such question: its own finding
        return None
    if source == qid:  # a question's answer is given only after it is read out
        return walk.came
    if not walk.passes(walk.came, qid, source):  # the shortest way already misses it
        return walk.came
    if source not in avoiding:
        avoiding[source] = walk.breadth_first(avoid=source)
    return avoiding[source] if qid in avoiding[source] else None


def _long_path(walk: Walk) -> list[Problem]:
    """The longest survey, when it asks more than LONG_PATH questions (graph without cycles:
    questions taken in topological order, each once all the ways into it are counted)."""
    ways = walk.ways
    waiting = {qid: 0 for qid in walk.came}
    for qid in walk.came:
        for target in ways[qid]:
            waiting[target] += 1
    depth, came, ready = {walk.first: 1}, {walk.first: None}, [walk.first]
    while ready:
        qid = ready.pop()
        for target, (answer, label) in ways[qid].items():
            if depth[qid] + 1 > depth.get(target, 0):
                depth[target], came[target] = depth[qid] + 1, (qid, answer, label)
            waiting[target] -= 1
            if not waiting[target]:
                ready.append(target)
    end = max(depth, key=depth.get)
    if depth[end] <= LONG_PATH:
        return []
    steps, answers = walk.route(came, end)
    problem = _about(walk.graph.questions[end], "long_path", WARNING, length=depth[end])
    return [replace(problem, path=steps, answers=answers)]
