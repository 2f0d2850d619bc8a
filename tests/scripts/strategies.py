"""Hypothesis strategies: valid question graphs, and answers a client could give.

A generated graph is valid by construction: questions in a topological order, question 0
first, transitions only to later questions, every answer of a non-last question covered (per
option, per contiguous number range, or by an "any answer" transition, which a question that
allows "Refused / don't know" always has unless it is last), an "any answer" transition only
where some answer is left for it to take, and only questions reachable from the first kept:
so every transition is taken by some answer. Ids and numbers are shuffled so neither matches
the order.
"""
import itertools

from hypothesis import strategies as st

from survey_app.scripts.resolver import (
    CHOICE,
    NUMBER,
    TEXT,
    Answer,
    Graph,
    Option,
    Question,
    Transition,
)

TEXTS = st.text(alphabet="абвгґ xyz.", min_size=1, max_size=8).filter(str.strip)
FAR = 1000  # how far an unbounded number answer goes


@st.composite
def graphs(draw) -> Graph:
    """A valid graph of 1 to 12 questions."""
    n = draw(st.integers(1, 12))
    ids = [7 * k + 1 for k in draw(st.permutations(range(n)))]
    numbers = draw(st.permutations(range(1, n + 1)))
    option_ids = itertools.count(draw(st.integers(1, 1000)))
    questions, transitions = [], []
    for i in range(n):
        # a question with no later one must end the survey
        last = i == n - 1 or draw(st.integers(0, 2)) == 0
        question = _question(draw, ids[i], numbers[i], first=i == 0, last=last,
                             option_ids=option_ids)
        questions.append(question)
        later = ids[i + 1:]
        if later:
            transitions += _transitions(draw, question, later)
    transitions = _adopt(draw, questions, transitions)
    transitions = draw(st.permutations(transitions))  # the order in the data must not matter
    return _reachable(questions, transitions)


def _adopt(draw, questions: list[Question], transitions: list[Transition]) -> list[Transition]:
    """Lead to each question no path reaches from an earlier reachable one, if one can take
    an "any other answer" transition; the questions left unreached are dropped later."""
    for j, question in enumerate(questions[1:], start=1):
        reached = descendants(Graph(questions, transitions), questions[0].id)
        if question.id in reached:
            continue
        free = [q.id for q in questions[:j] if q.id in reached and _leaves_an_answer(
            q, [t for t in transitions if t.source == q.id])]
        if free:
            transitions = [*transitions, Transition(draw(st.sampled_from(free)), question.id)]
    return transitions


def _leaves_an_answer(q: Question, outgoing: list[Transition]) -> bool:
    """True when some answer to q takes none of these transitions: an "any other answer"
    transition added there would be taken."""
    if q.kind == CHOICE:
        answers = [Answer(q.id, option_id=o.id) for o in q.options]
    elif q.kind == NUMBER and q.min_value is not None and q.max_value is not None:
        answers = [Answer(q.id, number=n) for n in range(q.min_value, q.max_value + 1)]
    else:
        answers = [Answer(q.id, text="x")]
    answers += [Answer(q.id, refused=True)] if q.allows_refusal else []
    return any(not any(t.matches(a) for t in outgoing) for a in answers)


def _question(draw, qid: int, number: int, *, first: bool, last: bool, option_ids) -> Question:
    kind = draw(st.sampled_from([CHOICE, NUMBER, TEXT]))
    base = {"id": qid, "number": number, "text": f"Питання {number}?", "kind": kind,
            "is_first": first, "is_last": last,
            "allows_refusal": draw(st.integers(0, 3)) == 0}
    if kind == CHOICE:
        count = draw(st.integers(1, 5))
        options = tuple(Option(next(option_ids), f"Варіант {k}") for k in range(1, count + 1))
        return Question(**base, options=options)
    if kind == NUMBER:
        low, width = draw(st.integers(-20, 20)), draw(st.integers(0, 30))
        bounds = draw(st.sampled_from(["both", "both", "both", "min", "max", "none"]))
        low, high = (low if bounds in ("both", "min") else None,
                     low + width if bounds in ("both", "max") else None)
        return Question(**base, min_value=low, max_value=high)
    return Question(**base)


def _transitions(draw, q: Question, later: list[int]) -> list[Transition]:
    """Transitions of q to later questions: every answer covered unless q is last."""
    def to(**condition) -> Transition:
        return Transition(q.id, draw(st.sampled_from(later)), **condition)

    conditions = [{"option_id": o.id} for o in q.options]
    if q.kind == NUMBER and q.min_value is not None and q.max_value is not None:
        conditions = [{"low": low, "high": high} for low, high in _partition(draw, q)]
    if not conditions:  # text, or a number without both bounds: only "any answer" works
        return [to()] if not q.is_last or draw(st.booleans()) else []
    # a refusal takes only "any other answer": a question going on after one needs it
    fallback = draw(st.booleans()) or (q.allows_refusal and not q.is_last)
    if q.is_last or fallback:  # "any other answer" covers what the conditions leave out
        kept = [c for c in conditions if draw(st.booleans())]
        if fallback and len(kept) == len(conditions) and not q.allows_refusal:
            kept = kept[:-1]  # leave "any other answer" some answer to take
        conditions = kept
    return [to(**c) for c in conditions] + ([to()] if fallback else [])


def _partition(draw, q: Question) -> list[tuple[int, int]]:
    """Contiguous, non-overlapping ranges that cover min_value..max_value."""
    inner = range(q.min_value + 1, q.max_value + 1)
    count = draw(st.integers(0, min(4, len(inner))))
    cuts = sorted(draw(st.permutations(inner))[:count]) if count else []
    starts = [q.min_value, *cuts]
    ends = [c - 1 for c in cuts] + [q.max_value]
    return list(zip(starts, ends, strict=True))


def _reachable(questions: list[Question], transitions: list[Transition]) -> Graph:
    """Keep only the questions a survey can reach from the first one."""
    graph = Graph(questions, transitions)
    seen = descendants(graph, questions[0].id)
    return Graph([q for q in questions if q.id in seen],
                 [t for t in transitions if t.source in seen])


def descendants(graph: Graph, qid: int) -> set[int]:
    """The questions reachable from qid, itself included."""
    seen, todo = set(), [qid]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo += [t.target for t in graph.outgoing.get(current, ())]
    return seen


def posted(question: Question) -> st.SearchStrategy[tuple[str | None, str | None]]:
    """Form values (option id, value) an operator could post for a valid answer."""
    if question.kind == CHOICE:
        return st.sampled_from([(str(o.id), None) for o in question.options])
    if question.kind == NUMBER:
        low = -FAR if question.min_value is None else question.min_value
        high = FAR if question.max_value is None else question.max_value
        return st.integers(low, high).map(lambda n: (None, str(n)))
    return TEXTS.map(lambda text: (None, text))


def answer_of(question: Question, option_id: str | None, value: str | None) -> Answer:
    """The answer the posted values stand for, built without the resolver's parser."""
    if question.kind == CHOICE:
        return Answer(question.id, option_id=int(option_id))
    if question.kind == NUMBER:
        return Answer(question.id, number=int(value))
    return Answer(question.id, text=value.strip())
