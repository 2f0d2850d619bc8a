"""The question graph and the next-question rule: pure, no Flask and no database."""
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

CHOICE, NUMBER, TEXT = "choice", "number", "text"
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,9}")
MAX_TEXT = 2000


class ScriptError(Exception):
    """A refusal as a code and its values; the web layer words it in the user's language."""

    def __init__(self, code: str, **params):
        super().__init__(code, params)
        self.code, self.params = code, params

    def __str__(self) -> str:
        return f"{self.code} {self.params}" if self.params else self.code


class GraphError(ScriptError):
    """The script cannot go on: no first question (first_count), an answer that leads
    nowhere (no_way_on), answers that left the questionnaire (off_path)."""


class InvalidAnswer(ScriptError, ValueError):
    """The answer does not fit the question: empty, too_long, no_choice, not_an_option,
    not_whole, out_of_range (low and high, None for an open end), refusal_not_allowed."""


@dataclass(frozen=True)
class Option:
    """An answer option of a single-choice question."""

    id: int
    text: str


@dataclass(frozen=True)
class Question:
    """A question as the resolver sees it."""

    id: int
    number: int
    text: str
    kind: str
    is_first: bool = False
    is_last: bool = False
    min_value: int | None = None
    max_value: int | None = None
    options: tuple[Option, ...] = ()
    allows_refusal: bool = False  # "Refused / don't know" may be recorded (a CATI habit)

    def option(self, option_id: int | None) -> Option | None:
        """The option with this id, if it belongs to this question."""
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class Answer:
    """The client's answer to one question."""

    question_id: int
    option_id: int | None = None
    number: int | None = None
    text: str | None = None
    refused: bool = False  # "Refused / don't know": none of the values above


@dataclass(frozen=True)
class Transition:
    """From question `source`, on an option, a number range or any answer, go to `target`."""

    source: int
    target: int
    option_id: int | None = None
    low: int | None = None
    high: int | None = None

    @property
    def is_range(self) -> bool:
        return self.low is not None or self.high is not None

    @property
    def unconditional(self) -> bool:
        return self.option_id is None and not self.is_range

    def matches(self, answer: Answer) -> bool:
        """True when this answer takes this transition."""
        if answer.refused:  # a refusal is no option and no number: only "any other answer"
            return self.unconditional
        if self.option_id is not None:
            return answer.option_id == self.option_id
        if self.is_range:
            n = answer.number
            return n is not None and (self.low is None or n >= self.low) and (
                self.high is None or n <= self.high)
        return True


class Graph:
    """Questions and transitions of one questionnaire, indexed for the resolver."""

    def __init__(self, questions: Iterable[Question], transitions: Iterable[Transition]):
        self.questions: dict[int, Question] = {q.id: q for q in questions}
        outgoing: dict[int, list[Transition]] = {}
        for t in transitions:
            outgoing.setdefault(t.source, []).append(t)
        # conditional transitions first: an unconditional one means "any other answer"
        self.outgoing: dict[int, tuple[Transition, ...]] = {
            s: tuple(sorted(ts, key=lambda t: t.unconditional)) for s, ts in outgoing.items()}
        self._left: dict[int, tuple[int, int]] = {}  # questions_left, kept: a graph is cached

    @property
    def transitions(self) -> list[Transition]:
        return [t for ts in self.outgoing.values() for t in ts]

    def first(self) -> Question:
        """The one question a survey starts with."""
        firsts = [q for q in self.questions.values() if q.is_first]
        if len(firsts) != 1:
            raise GraphError("first_count", count=len(firsts))
        return firsts[0]


def next_question(graph: Graph, answer: Answer) -> Question | None:
    """The question that follows this answer, or None when the survey is complete."""
    transition = transition_for(graph, answer)
    if transition is not None:
        return graph.questions[transition.target]
    question = graph.questions[answer.question_id]
    if question.is_last:
        return None
    raise GraphError("no_way_on", question=question.number)


def transition_for(graph: Graph, answer: Answer) -> Transition | None:
    """The transition this answer takes, or None when none matches (the checks ask too)."""
    return next((t for t in graph.outgoing.get(answer.question_id, ()) if t.matches(answer)),
                None)


def questions_left(graph: Graph, question_id: int) -> tuple[int, int]:
    """The fewest and the most questions from this one to the end, this one counted: the
    progress of a branching script ("question 3 of 5-7"). A way back to a question already
    on the walk (a cycle, refused at publishing) counts as an end."""
    if question_id not in graph._left:
        _count_left(graph, question_id)
    return graph._left[question_id]


def _count_left(graph: Graph, start: int) -> None:
    """Post-order over the graph from `start`, without recursion (a script may be long)."""
    walking, stack = set(), [(start, False)]
    while stack:
        qid, children_done = stack.pop()
        if qid in graph._left:
            continue
        if children_done:
            walking.discard(qid)
            graph._left[qid] = _span(graph, qid)
        else:
            walking.add(qid)
            stack.append((qid, True))
            stack += [(t, False) for t in _targets(graph, qid)
                      if t not in graph._left and t not in walking]


def _targets(graph: Graph, qid: int) -> set[int]:
    return {t.target for t in graph.outgoing.get(qid, ()) if t.target in graph.questions}


def _span(graph: Graph, qid: int) -> tuple[int, int]:
    spans = [graph._left[t] for t in _targets(graph, qid) if t in graph._left]
    if not spans:
        return 1, 1
    least = 1 if graph.questions[qid].is_last else 1 + min(low for low, _ in spans)
    return least, 1 + max(high for _, high in spans)


def path(graph: Graph, answers: Sequence[Answer]) -> list[Question]:
    """The questions shown for these answers, each answer answering the question before it.

    The list ends with the question to ask now; it is one shorter than that when the
    answers complete the survey. Raises GraphError when an answer does not answer the
    question on the path (the graph changed under the survey).
    """
    shown, complete = [graph.first()], False
    for answer in answers:
        # an answer after the one that completed the survey is not on the path either
        if complete or answer.question_id != shown[-1].id:
            raise GraphError("off_path")
        following = next_question(graph, answer)
        if following is None:
            complete = True
        else:
            shown.append(following)
    return shown


def parse_answer(question: Question, option_id: str | None, value: str | None, *,
                 refused: bool = False) -> Answer:
    """Turn posted form values into an Answer, or raise InvalidAnswer saying why not."""
    if refused:  # the values posted beside a refusal mean nothing
        if not question.allows_refusal:
            raise InvalidAnswer("refusal_not_allowed")
        return Answer(question.id, refused=True)
    if question.kind == CHOICE:
        return _parse_choice(question, option_id)
    value = (value or "").strip()
    if not value:
        raise InvalidAnswer("empty")
    if question.kind == NUMBER:
        return Answer(question.id, number=_parse_number(question, value))
    if len(value) > MAX_TEXT:
        raise InvalidAnswer("too_long", limit=MAX_TEXT)
    return Answer(question.id, text=value)


def _parse_choice(question: Question, option_id: str | None) -> Answer:
    if not option_id:
        raise InvalidAnswer("no_choice")
    try:
        chosen = question.option(int(option_id))
    except ValueError:
        chosen = None
    if chosen is None:
        raise InvalidAnswer("not_an_option")
    return Answer(question.id, option_id=chosen.id)


def _parse_number(question: Question, value: str) -> int:
    # int() also takes "1_0", "+5" and non-ASCII digits: accept only what an operator types
    if not _WHOLE_NUMBER.fullmatch(value):
        raise InvalidAnswer("not_whole")
    number = int(value)
    low, high = question.min_value, question.max_value
    if (low is not None and number < low) or (high is not None and number > high):
        raise InvalidAnswer("out_of_range", low=low, high=high)
    return number


def answer_text(question: Question, answer: Answer) -> str:
    """The answer as the operator saw it, kept as a snapshot beside the stored value."""
    if answer.option_id is not None:
        option = question.option(answer.option_id)
        return option.text if option else ""
    if answer.number is not None:
        return str(answer.number)
    return answer.text or ""
