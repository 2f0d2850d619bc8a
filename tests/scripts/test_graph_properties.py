"""Properties of every valid questionnaire: it publishes cleanly, every survey ends, and Back
or a changed answer never leaves the operator on a question off the path."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey_app.scripts.checks import check
from survey_app.scripts.resolver import (
    Answer,
    Graph,
    Question,
    Transition,
    next_question,
    parse_answer,
    path,
    questions_left,
)
from tests.scripts.strategies import answer_of, descendants, graphs, posted

PROFILE = settings(max_examples=200, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def give(data: st.DataObject, question: Question) -> Answer:
    """An answer the operator posts for this question, parsed as the survey screen does."""
    option_id, value = data.draw(posted(question), label=f"answer to {question.id}")
    answer = parse_answer(question, option_id, value)
    assert answer == answer_of(question, option_id, value)
    return answer


def walk(graph: Graph, data: st.DataObject) -> list[Answer]:
    """Answers from the first question until the survey completes."""
    answers, current = [], graph.first()
    for _ in graph.questions:
        answers.append(give(data, current))
        current = next_question(graph, answers[-1])
        if current is None:
            return answers
    raise AssertionError("the survey did not complete within one step per question")


@PROFILE
@given(graphs())
def test_every_generated_questionnaire_can_be_published(graph):
    assert check(graph) == []


@PROFILE
@given(graphs(), st.data())
def test_every_survey_ends_on_a_question_marked_last(graph, data):
    answers = walk(graph, data)
    assert len(answers) <= len(graph.questions)
    assert graph.questions[answers[-1].question_id].is_last
    assert [q.id for q in path(graph, answers)] == [a.question_id for a in answers]


@PROFILE
@given(graphs(), st.data())
def test_back_then_the_same_answer_shows_the_same_next_question(graph, data):
    answers = walk(graph, data)
    k = data.draw(st.integers(0, len(answers) - 1), label="steps kept before Back")
    before = path(graph, answers[:k + 1])
    back = path(graph, answers[:k])
    assert back[-1].id == answers[k].question_id  # Back shows the question of that answer
    again = next_question(graph, answers[k])
    assert back + ([again] if again else []) == before


class Runner:
    """A survey as the runtime keeps it: answers by position, a step cursor, Back keeping
    later answers to preselect, and a new answer dropping the ones that left the path."""

    def __init__(self, graph: Graph):
        self.graph, self.stored, self.step = graph, [], 0
        self.current: Question | None = graph.first()

    def answer(self, given: Answer) -> None:
        following = next_question(self.graph, given)
        kept = self.stored[self.step + 1:]
        self.stored = self.stored[:self.step] + [given]
        expected = following
        for later in kept:  # keep later answers only while they still follow the path
            if expected is None or later.question_id != expected.id:
                break
            self.stored.append(later)
            expected = next_question(self.graph, later)
        self.step += 1
        self.current = following
        if following is None:  # completed: nothing after this step is kept
            del self.stored[self.step:]

    def back(self, steps: int = 1) -> None:
        self.step -= steps
        self.current = self.graph.questions[self.stored[self.step].question_id]

    def assert_on_path(self) -> None:
        answered = self.stored[:self.step]
        shown = [q.id for q in path(self.graph, answered)]
        now = [self.current.id] if self.current else []
        assert [a.question_id for a in answered] + now == shown
        if self.current and len(self.stored) > self.step:  # the answer to preselect
            assert self.stored[self.step].question_id == self.current.id


@PROFILE
@given(graphs(), st.data())
def test_stored_answers_and_the_shown_question_follow_the_path(graph, data):
    runner = Runner(graph)
    runner.assert_on_path()
    for _ in range(3 * len(graph.questions) + 3):
        if runner.current is None:
            break
        operation = data.draw(st.sampled_from(["answer", "back", "change"]), label="operation")
        if operation == "back" and runner.step > 0:
            runner.back()
        elif operation == "change" and runner.step > 0:  # jump back to an earlier answer
            runner.back(data.draw(st.integers(1, runner.step), label="steps back"))
            runner.answer(give(data, runner.current))
        else:
            runner.answer(give(data, runner.current))
        runner.assert_on_path()


@PROFILE
@given(graphs(), st.data())
def test_transition_back_to_an_earlier_question_is_reported_as_a_cycle(graph, data):
    ids = sorted(graph.questions)
    earlier = data.draw(st.sampled_from(ids), label="earlier question")
    later = data.draw(st.sampled_from(sorted(descendants(graph, earlier))), label="later")
    looped = Graph(graph.questions.values(), [*graph.transitions,
                                              Transition(later, earlier)])
    cycles = [p for p in check(looped) if p.code == "cycle"]
    assert cycles
    on_loop = descendants(looped, earlier) & {q for q in ids if later in descendants(graph, q)}
    assert {p.question_id for p in cycles} <= on_loop
    assert all(p.params["question"] == graph.questions[p.question_id].number for p in cycles)



@PROFILE
@given(graphs(), st.data())
def test_the_progress_shown_is_true_at_every_step(graph, data):
    """At each question, the questions still asked (this one counted) lie between the fewest
    and the most that questions_left promised, and both are reached by some graph."""
    answers = walk(graph, data)
    for position, answer in enumerate(answers):
        least, most = questions_left(graph, answer.question_id)
        assert least <= len(answers) - position <= most
