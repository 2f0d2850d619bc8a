"""How answers lead through a question graph, for the checks: one sample answer for each way
a question's answers can go, the shortest way from the first question to each question, and
the questions a transition leads back to. Pure, and without recursion: a script may be long."""
from collections import deque

from survey_app.scripts.resolver import (
    CHOICE,
    NUMBER,
    Answer,
    Graph,
    Option,
    Question,
    Transition,
    transition_for,
)

ANY, REFUSED = "any", "refused"  # the labels of a text answer and of "Refused / don't know"
Step = tuple[int, str]  # (question number, answer label)
Sample = tuple[Answer, str]  # an answer and its label


def option_targets(outgoing: tuple[Transition, ...], options: tuple[Option, ...]):
    """(target or None, option) for each option, by Transition.matches's rule for an option,
    its own transition first, else "any other answer": quicker than an Answer for each."""
    by_option: dict[int, int] = {}
    for t in outgoing:
        if t.option_id is not None:
            by_option.setdefault(t.option_id, t.target)
    other = next((t.target for t in outgoing if t.unconditional), None)
    return [(by_option.get(o.id, other), o) for o in options]


def answer_samples(q: Question, outgoing: tuple[Transition, ...]) -> list[Sample]:
    """One answer for each way the question's answers can go: every option; for a number,
    each range's ends and the numbers just outside them, within Minimum and Maximum."""
    if q.kind == CHOICE:
        samples = [option_sample(q, o.id, o.text) for o in q.options]
    elif q.kind == NUMBER:
        samples = [(Answer(q.id, number=n), str(n)) for n in sample_numbers(q, outgoing)]
    else:
        samples = [(Answer(q.id, text=ANY), ANY)]
    return samples + ([refusal_sample(q)] if q.allows_refusal else [])


def sample_numbers(q: Question, outgoing: tuple[Transition, ...]) -> list[int]:
    """The numbers at each range's ends and just outside them, within Minimum and Maximum
    (0 stands for any number when nothing bounds the question)."""
    low, high = q.min_value, q.max_value
    points = {low, high, 0 if low is None and high is None else None}
    for t in outgoing:
        points |= {t.low - 1, t.low} if t.low is not None else set()
        points |= {t.high, t.high + 1} if t.high is not None else set()
    points.discard(None)
    return sorted(n for n in points if _within(n, low, high))


def _within(n: int, low: int | None, high: int | None) -> bool:
    return (low is None or n >= low) and (high is None or n <= high)


def option_sample(q: Question, option_id: int, text: str) -> Sample:
    return Answer(q.id, option_id=option_id), text


def refusal_sample(q: Question) -> Sample:
    return Answer(q.id, refused=True), REFUSED


Came = dict[int, tuple[int, Answer, str] | None]  # a question: where the walk came from


class Walk:
    """The questions each answer leads to, and the shortest way to each from the first."""

    def __init__(self, graph: Graph):
        self.graph, self.first = graph, graph.first().id
        self.ways = {qid: self._ways_from(q) for qid, q in graph.questions.items()}
        self.came = self.breadth_first()

    def _ways_from(self, q: Question) -> dict[int, Sample]:
        """The next questions, each with the first answer that leads there (by the resolver's
        rule, so that replaying the answer lands there)."""
        outgoing, ways = self.graph.outgoing.get(q.id, ()), {}
        if q.kind != CHOICE:
            samples = answer_samples(q, outgoing)
        else:
            for target, option in option_targets(outgoing, q.options):
                if target in self.graph.questions and target not in ways:
                    ways[target] = option_sample(q, option.id, option.text)
            samples = [refusal_sample(q)] if q.allows_refusal else []
        for sample in samples:
            taken = transition_for(self.graph, sample[0])
            if taken is not None and taken.target in self.graph.questions:
                ways.setdefault(taken.target, sample)
        return ways

    def breadth_first(self, avoid: int | None = None) -> Came:
        """Where the fewest answers reach each question from, never passing `avoid`."""
        came: Came = {self.first: None}
        todo = deque([self.first])
        while todo:
            qid = todo.popleft()
            for target, (answer, label) in self.ways[qid].items():
                if target not in came and target != avoid:
                    came[target] = (qid, answer, label)
                    todo.append(target)
        return came

    def route(self, came: Came, qid: int) -> tuple[tuple[Step, ...], tuple[Answer, ...]]:
        """The steps and answers that lead from the first question to qid."""
        steps, answers = [], []
        while came[qid] is not None:
            qid, answer, label = came[qid]
            steps.append((self.graph.questions[qid].number, label))
            answers.append(answer)
        return tuple(reversed(steps)), tuple(reversed(answers))

    def passes(self, came: Came, qid: int, through: int) -> bool:
        """True when the walk's way to qid asks question `through` on the way."""
        while came[qid] is not None:
            qid = came[qid][0]
            if qid == through:
                return True
        return False


def looped(graph: Graph) -> list[int]:
    """Each question a transition leads back to, once: a survey must always come to an end.
    Depth first over every transition, with a stack of its own: a script may be long."""
    state: dict[int, bool] = {}  # True while on the current walk, False when done
    looped: dict[int, None] = {}
    for root in sorted(graph.questions):
        if root not in state:
            depth_first(graph, root, state, looped)
    return list(looped)


def depth_first(graph: Graph, root: int, state: dict[int, bool],
                 looped: dict[int, None]) -> None:
    state[root] = True
    stack = [iter(graph.outgoing.get(root, ()))]
    path = [root]
    while stack:
        t = next(stack[-1], None)
        if t is None:
            state[path.pop()] = False
            stack.pop()
        elif state.get(t.target):
            looped[t.target] = None
        elif t.target not in state:
            state[t.target] = True
            path.append(t.target)
            stack.append(iter(graph.outgoing.get(t.target, ())))
