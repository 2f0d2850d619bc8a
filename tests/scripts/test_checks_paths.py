"""The newer findings on "Survey 1": refusals, long scripts, fields in the text; each one's
severity; and "How to get there", the answers that lead to it, replayed through the resolver.

Read in English, as in test_checks.py.
"""
import pytest
from flask import Flask
from flask_babel import Babel

from survey_app.language.findings import how_to_get_there, problem, severity
from survey_app.scripts.checks import (
    ERROR,
    LONG_PATH,
    WARNING,
    Problem,
    blocking,
    check,
    path_answers,
)
from survey_app.scripts.resolver import (
    CHOICE,
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
from tests.scripts.survey_one import Q1, Q1_YES, Q2, Q3, Q3_YES, Q4, Q5, Q6, rate, survey_one

MIDDLE = Transition(Q2, Q4, low=4, high=6)
YES_TO_TIME = Transition(Q3, Q6, option_id=Q3_YES)


@pytest.fixture(autouse=True)
def english():
    app = Flask(__name__)
    Babel(app)
    with app.app_context():
        yield


def found(graph: Graph, code: str) -> list[Problem]:
    return [p for p in check(graph) if p.code == code]


def replayed(graph: Graph, finding: Problem) -> int:
    """The question the finding's answers lead to; for an answer that leads nowhere, the
    question of that answer, once the resolver has refused to go on from it."""
    answers = path_answers(finding)
    if finding.ends_nowhere:
        with pytest.raises(GraphError) as refused:
            next_question(graph, answers[-1])
        assert refused.value.code == "no_way_on"
        answers = answers[:-1]
    return path(graph, answers)[-1].id


def test_findings_are_errors_that_block_publishing_unless_warnings():
    graph = survey_one({Q3: {"is_last": False}, Q5: {"text": "Ви казали {answer:3}."}})
    findings = check(graph)
    assert {(p.code, p.severity) for p in findings} == {
        ("option_without_transition", ERROR), ("answer_not_before", WARNING)}
    assert [p.code for p in blocking(findings)] == ["option_without_transition"]
    assert [severity(p) for p in findings] == ["Blocks publishing", "Does not block publishing"]


def test_a_gap_is_found_with_the_way_to_it_and_the_number_that_leads_nowhere():
    graph = survey_one(drop=[MIDDLE])
    [gap] = found(graph, "gapped_ranges")
    assert gap.path == ((1, "Так"), (2, "4"))
    assert path_answers(gap) == [Answer(Q1, option_id=Q1_YES), Answer(Q2, number=4)]
    assert how_to_get_there(gap) == "How to get there: 1 → Так, 2 → 4"
    assert replayed(graph, gap) == Q2


def test_an_option_without_way_is_reached_by_the_lowest_number_of_its_range():
    graph = survey_one({Q3: {"is_last": False}})
    [dead] = found(graph, "option_without_transition")
    assert dead.path == ((1, "Так"), (2, "7"), (3, "Ні"))
    assert replayed(graph, dead) == Q3


def test_a_free_text_dead_end_reads_any_answer():
    leftover = {Q4: {"is_last": False, "options": (Option(141, "Звук"),)}}
    graph = survey_one(leftover, add=[Transition(Q4, Q6, option_id=141)])
    [dead] = found(graph, "dead_end")
    assert dead.path == ((1, "Так"), (2, "4"), (4, "any"))
    assert how_to_get_there(dead) == "How to get there: 1 → Так, 2 → 4, 4 → any answer"
    assert replayed(graph, dead) == Q4


def test_refusal_with_nowhere_to_go_is_an_error_named_with_its_way():
    graph = survey_one({Q3: {"allows_refusal": True, "is_last": False}},
                       add=[Transition(Q3, Q5, option_id=132)])
    [refusal] = check(graph)
    assert (refusal.code, refusal.question_id, refusal.severity) == (
        "refusal_without_way", Q3, ERROR)
    assert problem(refusal) == ("Question 3: “Refused / don’t know” leads to no next question; "
                                "add a next question for any other answer.")
    assert how_to_get_there(refusal) == "How to get there: 1 → Так, 2 → 7, 3 → Refused / don’t know"
    assert replayed(graph, refusal) == Q3


@pytest.mark.parametrize("changes", [
    {Q3: {"allows_refusal": True}},  # last: a refusal completes the survey
    {Q4: {"allows_refusal": True, "is_last": False}},  # "leads to no next question" says it
])
def test_refusal_on_a_last_question_or_a_dead_end_is_no_finding_of_its_own(changes):
    assert not found(survey_one(changes), "refusal_without_way")


def test_refusal_with_an_any_other_answer_way_is_fine():
    graph = survey_one({Q2: {"allows_refusal": True}}, add=[Transition(Q2, Q4)])
    assert check(graph) == []


def chain(length: int, loop_back_to: int | None = None) -> Graph:
    """Questions 1..length, each "Так" leading to the next; the last may loop back."""
    questions = [Question(k, k, f"Питання {k}?", CHOICE, is_first=k == 1, is_last=k == length,
                          options=(Option(10 * k, "Так"),)) for k in range(1, length + 1)]
    transitions = [Transition(k, k + 1, option_id=10 * k) for k in range(1, length)]
    if loop_back_to is not None:
        transitions.append(Transition(length, loop_back_to))
    return Graph(questions, transitions)


def test_a_path_of_thirty_questions_is_fine():
    assert check(chain(LONG_PATH)) == []


def test_a_longer_path_is_a_warning_with_its_length_and_its_way():
    graph = chain(LONG_PATH + 1)
    [long] = check(graph)
    assert (long.code, long.question_id, long.severity, long.params) == (
        "long_path", LONG_PATH + 1, WARNING, {"question": 31, "length": 31})
    assert problem(long) == ("Question 31: a survey can take 31 questions to get here; a call "
                             "that long tires the client.")
    assert long.path == tuple((k, "Так") for k in range(1, 31))
    assert replayed(graph, long) == LONG_PATH + 1


def test_the_longest_path_is_named_not_the_shortest():
    # "Ні" to question 1 goes straight to 42, "Так" through the 40 questions between
    graph = chain(42)
    first = graph.questions[1]
    both = Question(1, 1, first.text, CHOICE, is_first=True,
                    options=(*first.options, Option(11, "Ні")))
    shortcut = Graph([both, *list(graph.questions.values())[1:]],
                     [*graph.transitions, Transition(1, 42, option_id=11)])
    [long] = check(shortcut)
    assert (long.question_id, long.params["length"], len(long.path)) == (42, 42, 41)
    assert replayed(shortcut, long) == 42


@pytest.mark.parametrize("length", [2000, 5000])
def test_a_long_chain_is_checked_without_recursion(length):
    [long] = check(chain(length))
    assert (long.code, long.params["length"]) == ("long_path", length)
    assert replayed(chain(length), long) == length


def test_a_long_chain_with_a_cycle_at_the_end_is_checked_without_recursion():
    graph = chain(2000, loop_back_to=1000)
    assert [(p.code, p.question_id) for p in check(graph)] == [("cycle", 1000)]
    [cycle] = check(graph)
    assert len(cycle.path) == 999
    assert replayed(graph, cycle) == 1000


def test_an_unknown_field_in_the_text_is_an_error_naming_it():
    graph = survey_one({Q4: {"text": "Що не сподобалось, {frist_name}?"}})
    [unknown] = check(graph)
    assert (unknown.code, unknown.severity, unknown.params) == (
        "unknown_field", ERROR, {"question": 4, "field": "frist_name"})
    assert problem(unknown) == ("Question 4: the text has an unknown field {frist_name}; "
                                "check its spelling.")
    assert unknown.path == ((1, "Так"), (2, "4"))
    assert replayed(graph, unknown) == Q4


def test_known_fields_and_escaped_braces_are_fine():
    text = "Добрий день, {first_name} з {account}! Ви сказали {answer:1}; {{не поле}}"
    assert check(survey_one({Q2: {"text": text}})) == []


def test_an_answer_to_a_question_that_does_not_exist_is_an_error():
    [missing] = check(survey_one({Q3: {"text": "Ви сказали {answer:9}?"}}))
    assert (missing.code, missing.severity, missing.params) == (
        "answer_of_unknown_question", ERROR, {"question": 3, "answer": 9})
    assert problem(missing) == ("Question 3: the text uses the answer to question 9, and there "
                                "is no question 9.")


@pytest.mark.parametrize(("qid", "answer", "steps"), [
    (Q6, 5, ((1, "Так"), (2, "7"), (3, "Так"))),  # 5 and 6 are never on one path
    (Q5, 5, ((1, "Так"), (2, "1"))),  # its own answer comes after it is read out
    (Q6, 4, ((1, "Так"), (2, "7"), (3, "Так"))),
])
def test_an_answer_not_always_asked_before_is_a_warning_with_a_way_that_skips_it(
        qid, answer, steps):
    graph = survey_one({qid: {"text": f"Ви сказали «{{answer:{answer}}}»"}})
    [warning] = check(graph)
    assert (warning.code, warning.severity, warning.path) == ("answer_not_before", WARNING, steps)
    assert problem(warning) == (f"Question {graph.questions[qid].number}: the text uses the "
                                f"answer to question {answer}, which is not always asked "
                                "before it.")
    assert replayed(graph, warning) == qid


@pytest.mark.parametrize(("qid", "answer"), [(Q6, 1), (Q6, 2), (Q6, 3), (Q4, 2)])
def test_an_answer_always_asked_before_is_fine(qid, answer):
    assert check(survey_one({qid: {"text": f"Ви сказали «{{answer:{answer}}}»"}})) == []


def test_the_warning_gives_a_way_around_when_the_shortest_goes_through_the_question():
    # Q6 is reached soonest through Q4 (a rating of 4-6), and also through Q3 (7-10, "Так")
    changes = {Q4: {"is_last": False}, Q6: {"text": "{answer:4}"}}
    graph = survey_one(changes, add=[Transition(Q4, Q6)])
    assert [q.id for q in path(graph, [Answer(Q1, option_id=Q1_YES), rate(4),
                                       Answer(Q4, text="Звук")])] == [Q1, Q2, Q4, Q6]
    [warning] = check(graph)
    assert warning.path == ((1, "Так"), (2, "7"), (3, "Так"))
    assert Q4 not in {a.question_id for a in path_answers(warning)}
    assert check(survey_one(changes, add=[Transition(Q4, Q6)], drop=[YES_TO_TIME])) == []


def test_a_transition_to_another_questionnaires_question_names_its_question_and_way():
    graph = survey_one(add=[Transition(Q3, 999, option_id=132)])
    [unknown] = check(graph)
    assert (unknown.code, unknown.question_id, unknown.path) == (
        "unknown_question", Q3, ((1, "Так"), (2, "7")))
    assert problem(unknown) == ("Question 3: an answer leads to a question that is not in this "
                                "questionnaire.")
    assert replayed(graph, unknown) == Q3


def test_an_unreachable_question_has_no_way_to_it():
    graph = Graph([*survey_one().questions.values(), Question(17, 7, "Ще?", TEXT, is_last=True)],
                  survey_one().transitions)
    [unreachable] = check(graph)
    assert (unreachable.path, path_answers(unreachable), how_to_get_there(unreachable)) == (
        (), [], "")


def test_a_question_only_a_way_no_answer_takes_leads_to_is_unreachable():
    # every rating has its range: "any other answer" to Q6 is never taken
    graph = survey_one(add=[Transition(Q2, Q6)], drop=[Transition(Q3, Q6, option_id=Q3_YES)])
    assert [(p.code, p.question_id) for p in check(graph)] == [("unreachable", Q6)]


def test_a_finding_on_the_first_question_has_an_empty_way_to_it():
    [dead] = found(survey_one(drop=[Transition(Q1, Q2)]), "dead_end")
    assert dead.path == ((1, "Так"),)
    assert how_to_get_there(dead) == "How to get there: 1 → Так"


def test_the_number_step_is_one_the_question_accepts():
    graph = survey_one({Q3: {"is_last": False}}, add=[Transition(Q2, Q3, low=0, high=3)],
                       drop=[Transition(Q2, Q5, low=1, high=3)])
    dead = found(graph, "option_without_transition")[0]
    assert dead.path[1] == (2, "1")  # the range starts at 0, the question at 1
    assert next_question(graph, rate(1)).id == Q3
    assert Q5 in {p.question_id for p in found(graph, "unreachable")}


NEW_FINDINGS = [
    Problem("unknown_question", 1, {"question": 2}),
    Problem("refusal_without_way", 1, {"question": 2}, path=((1, "Так"), (2, "refused"))),
    Problem("long_path", 1, {"question": 35, "length": 35}, WARNING),
    Problem("unknown_field", 1, {"question": 2, "field": "nmae"}),
    Problem("answer_of_unknown_question", 1, {"question": 2, "answer": 9}),
    Problem("answer_not_before", 1, {"question": 2, "answer": 3}, WARNING),
]


@pytest.mark.parametrize("finding", NEW_FINDINGS, ids=[p.code for p in NEW_FINDINGS])
def test_each_new_finding_is_a_sentence_naming_its_question(finding):
    words = problem(finding)
    assert words.startswith(f"Question {finding.params['question']}: ")
    assert "%(" not in words and finding.code not in words and words.endswith(".")


def test_a_refusal_not_allowed_is_worded_for_the_operator():
    from survey_app.language.findings import answer_refusal, refused_answer
    from survey_app.scripts.resolver import InvalidAnswer
    assert answer_refusal(InvalidAnswer("refusal_not_allowed")) == (
        "This question does not take “Refused / don’t know”; please record the client’s answer.")
    assert refused_answer() == "Refused / don’t know"


def test_a_dead_end_no_answer_can_be_given_to_has_only_the_way_to_it():
    leftover = {Q2: {"min_value": 10, "max_value": 1, "options": (Option(121, "Десять"),)}}
    graph = survey_one(leftover, add=[Transition(Q2, Q3, option_id=121)],
                       drop=[Transition(Q2, t, low=lo, high=hi)
                             for t, lo, hi in [(Q5, 1, 3), (Q4, 4, 6), (Q3, 7, 10)]])
    [dead] = found(graph, "dead_end")
    assert (dead.path, dead.ends_nowhere) == (((1, "Так"),), False)
    assert replayed(graph, dead) == Q2
