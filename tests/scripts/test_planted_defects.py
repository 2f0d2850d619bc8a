"""Properties of the checks: a valid questionnaire has no error; one defect planted in it is
caught by its code; and the way a finding gives really leads there through the resolver."""
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey_app.scripts.checks import ANY, LEADS_NOWHERE, REFUSED, Problem, check, path_answers
from survey_app.scripts.resolver import (
    CHOICE,
    NUMBER,
    TEXT,
    Answer,
    Graph,
    GraphError,
    Option,
    Question,
    Transition,
    next_question,
    path,
)
from tests.scripts.strategies import descendants, graphs

PROFILE = settings(max_examples=150, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FIELD_TEXTS = st.sampled_from(["Добрий день, {first_name}!", "{full_name}, {account}?",
                               "Оператор {operator}, кампанія {campaign}", "{{не поле}}"])


class Planting:
    """A valid graph and one question of it with no way on (a last one: every graph has one),
    to change; a new last question, for ways planted there to lead to."""

    def __init__(self, graph: Graph, data: st.DataObject):
        self.graph, self.data = graph, data
        sinks = sorted(q for q in graph.questions if not graph.outgoing.get(q))
        self.sink = graph.questions[data.draw(st.sampled_from(sinks), label="sink")]
        self.new_id = max(graph.questions) + 1000
        self.new = Question(self.new_id, max(q.number for q in graph.questions.values()) + 1,
                            "Дякуємо!", TEXT, is_last=True)

    def changed(self, question: Question, *ways: Transition, new: bool = True) -> Graph:
        """The graph with the sink (or another question) replaced and these ways added."""
        questions = {**self.graph.questions, question.id: question}
        if new:
            questions[self.new_id] = self.new
        return Graph(questions.values(), [*self.graph.transitions, *ways])

    def numbers(self, **changes) -> Question:
        return replace(self.sink, kind=NUMBER, options=(), min_value=1, max_value=10,
                       is_last=False, allows_refusal=False, **changes)

    def to_new(self, low: int, high: int) -> Transition:
        return Transition(self.sink.id, self.new_id, low=low, high=high)


def _dead_end(p: Planting) -> Graph:
    return p.changed(replace(p.sink, is_last=False), new=False)


def _option_without_way(p: Planting) -> Graph:
    options = (Option(900_001, "Так"), Option(900_002, "Ні"))
    sink = replace(p.sink, kind=CHOICE, options=options, is_last=False, allows_refusal=False)
    return p.changed(sink, Transition(sink.id, p.new_id, option_id=900_001))


def _refusal_without_way(p: Planting) -> Graph:
    options = (Option(900_001, "Так"), Option(900_002, "Ні"))
    sink = replace(p.sink, kind=CHOICE, options=options, is_last=False, allows_refusal=True)
    return p.changed(sink, *(Transition(sink.id, p.new_id, option_id=o.id) for o in options))


def _cycle(p: Planting) -> Graph:
    first = p.graph.first()
    return p.changed(p.sink, Transition(p.sink.id, first.id), new=False)


def _unreachable(p: Planting) -> Graph:
    return p.changed(p.sink)


def _overlap(p: Planting) -> Graph:
    return p.changed(p.numbers(), p.to_new(1, 5), p.to_new(5, 10))


def _gap(p: Planting) -> Graph:
    return p.changed(p.numbers(), p.to_new(1, 3), p.to_new(6, 10))


def _range_outside(p: Planting) -> Graph:
    return p.changed(p.numbers(), p.to_new(1, 10), p.to_new(11, 12))


def _second_first(p: Planting) -> Graph:
    others = sorted(q for q in p.graph.questions if q != p.graph.first().id)
    if others and p.data.draw(st.booleans(), label="an existing question"):
        other = p.graph.questions[p.data.draw(st.sampled_from(others), label="second first")]
        return p.changed(replace(other, is_first=True), new=False)
    p.new = replace(p.new, is_first=True)
    return p.changed(p.sink)


def _unknown_target(p: Planting) -> Graph:
    return p.changed(p.sink, Transition(p.sink.id, 999_999), new=False)


def _unknown_field(p: Planting) -> Graph:
    question = p.graph.questions[p.data.draw(st.sampled_from(sorted(p.graph.questions)))]
    return p.changed(replace(question, text=f"{question.text} {{frist_name}}"), new=False)


PLANTED = {"dead_end": _dead_end, "option_without_transition": _option_without_way,
           "refusal_without_way": _refusal_without_way, "cycle": _cycle,
           "unreachable": _unreachable, "overlapping_ranges": _overlap,
           "gapped_ranges": _gap, "range_outside": _range_outside,
           "several_first": _second_first, "unknown_question": _unknown_target,
           "unknown_field": _unknown_field}


def label(graph: Graph, answer: Answer) -> str:
    """The label a step of this answer must carry."""
    if answer.refused:
        return REFUSED
    if answer.option_id is not None:
        return graph.questions[answer.question_id].option(answer.option_id).text
    return str(answer.number) if answer.number is not None else ANY


def assert_replays(graph: Graph, finding: Problem) -> None:
    """The finding's answers, given in a survey, lead to its question (and, for an answer that
    leads nowhere, that last answer finds no way on); each step is worded as answered."""
    answers = path_answers(finding)
    assert finding.path == tuple((graph.questions[a.question_id].number, label(graph, a))
                                 for a in answers)
    if finding.ends_nowhere:
        with pytest.raises(GraphError) as refused:
            next_question(graph, answers[-1])
        assert refused.value.code == "no_way_on"
        assert answers[-1].question_id == finding.question_id
        answers = answers[:-1]
    assert path(graph, answers)[-1].id == finding.question_id


@PROFILE
@given(graphs(), st.data())
def test_valid_questionnaires_with_fields_in_their_texts_have_no_finding(graph, data):
    first = graph.first()
    texts = {qid: data.draw(FIELD_TEXTS) for qid in graph.questions}
    texts[first.id] = f"{first.text} {{answer:{first.number}}}"  # its own answer: a warning
    fielded = Graph([replace(q, text=texts[q.id]) for q in graph.questions.values()],
                    graph.transitions)
    findings = check(fielded)
    assert [(p.code, p.question_id) for p in findings] == [("answer_not_before", first.id)]
    assert not any(p.blocks for p in findings)


@pytest.mark.parametrize("code", sorted(PLANTED))
@PROFILE
@given(graph=graphs(), data=st.data())
def test_a_planted_defect_is_caught_and_its_way_leads_there(code, graph, data):
    planted = PLANTED[code](Planting(graph, data))
    findings = check(planted)
    assert code in {p.code for p in findings}
    for finding in findings:
        if finding.code == "unreachable":
            assert (finding.path, finding.answers) == ((), ())
        elif finding.question_id in planted.questions:
            # every generated question takes some answer: a dead end's path names it
            assert finding.ends_nowhere == (finding.code in LEADS_NOWHERE)
            assert_replays(planted, finding)


@PROFILE
@given(graphs(), st.data())
def test_an_answer_not_always_asked_before_is_a_warning_with_a_way_around_it(graph, data):
    ids = sorted(graph.questions)
    user, used = (graph.questions[data.draw(st.sampled_from(ids), label=name)]
                  for name in ("question with the field", "question answered"))
    fielded = Graph({**graph.questions, user.id: replace(
        user, text=f"Ви сказали {{answer:{used.number}}}")}.values(), graph.transitions)
    without_used = Graph(graph.questions.values(),
                         [t for t in graph.transitions if t.source != used.id])
    skipped = user.id == used.id or user.id in descendants(without_used, graph.first().id)
    warnings = [p for p in check(fielded) if p.code == "answer_not_before"]
    assert [p.question_id for p in warnings] == ([user.id] if skipped else [])
    for warning in warnings:
        assert not warning.blocks
        assert_replays(fielded, warning)
        assert used.id not in {a.question_id for a in path_answers(warning)}
