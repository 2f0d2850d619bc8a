"""The problems a marketer sees in the editor (and at publish) for a broken "Survey 1".

The checks are pure and give codes; the words come from survey_app.language.findings, read
here in English (an app context with Flask-Babel's default locale).
"""

import pytest
from flask import Flask
from flask_babel import Babel

from survey_app.language.findings import problem
from survey_app.scripts.checks import Problem, check
from survey_app.scripts.resolver import CHOICE, NUMBER, TEXT, Graph, Option, Question, Transition
from tests.scripts.survey_one import (
    Q1,
    Q2,
    Q3,
    Q3_NO,
    Q3_YES,
    Q4,
    Q5,
    Q6,
    QUESTIONS,
    TRANSITIONS,
    survey_one,
)

LOW, MIDDLE, HIGH = (
    Transition(Q2, t, low=lo, high=hi) for t, lo, hi in [(Q5, 1, 3), (Q4, 4, 6), (Q3, 7, 10)]
)
YES_TO_TIME = Transition(Q3, Q6, option_id=Q3_YES)


@pytest.fixture(autouse=True)
def english():
    app = Flask(__name__)
    Babel(app)
    with app.app_context():
        yield


def only(graph: Graph, code: str) -> list[Problem]:
    return [p for p in check(graph) if p.code == code]


def said(problems: list[Problem]) -> list[tuple]:
    """Each finding's code, question and the words the marketer reads (in English)."""
    return [(p.code, p.question_id, problem(p)) for p in problems]


def test_clean_survey_one_can_be_published():
    assert said(check(survey_one())) == []


def test_questionnaire_without_questions_says_it_has_none():
    assert said(check(Graph([], []))) == [("empty", None, "The questionnaire has no questions.")]


def test_no_question_marked_first_is_reported():
    assert said(check(survey_one({Q1: {"is_first": False}}))) == [
        ("no_first", None, "No question is marked as the first question.")
    ]


def test_several_first_questions_are_named_and_one_asked_for():
    assert said(check(survey_one({Q3: {"is_first": True}, Q5: {"is_first": True}}))) == [
        ("several_first", None, "Questions 1, 3, 5 are all marked first; mark exactly one.")
    ]


@pytest.mark.parametrize("broken", [Transition(Q6, 999), Transition(998, Q2)])
def test_transition_to_or_from_a_missing_question_is_reported(broken):
    problems = check(survey_one(add=[broken]))
    assert [p.code for p in problems] == ["unknown_question"]
    assert "not in this questionnaire" in problem(problems[0])


@pytest.mark.parametrize(
    ("broken", "number"),
    [
        (Transition(Q1, Q2, option_id=Q3_YES), 1),
        (Transition(Q2, Q3, option_id=Q3_NO), 2),
    ],
)
def test_transition_on_another_questions_answer_is_reported(broken, number):
    assert said(check(survey_one(add=[broken]))) == [
        (
            "foreign_option",
            broken.source,
            f"Question {number}: a transition uses an answer of another question.",
        )
    ]


@pytest.mark.parametrize(
    ("broken", "number"),
    [
        (Transition(Q1, Q2, low=1, high=3), 1),
        (Transition(Q4, Q6, low=5), 4),
    ],
)
def test_number_range_on_a_choice_or_text_question_is_reported(broken, number):
    assert said(check(survey_one(add=[broken]))) == [
        (
            "range_on_non_number",
            broken.source,
            f"Question {number}: number ranges apply only to number answers.",
        )
    ]


def test_choice_question_without_options_is_reported():
    assert said(check(survey_one({Q5: {"options": ()}}))) == [
        ("no_options", Q5, "Question 5 has no answer options.")
    ]


@pytest.mark.parametrize("qid", [Q4, Q5])
def test_non_last_question_without_transitions_is_a_dead_end(qid):
    number = QUESTIONS[qid - Q1].number
    assert said(check(survey_one({qid: {"is_last": False}}))) == [
        ("dead_end", qid, f"Question {number} is not last and leads to no next question.")
    ]


def test_text_question_with_only_an_option_transition_is_a_dead_end():
    # options left over from when the question was a single choice
    leftover = {Q4: {"is_last": False, "options": (Option(141, "Звук"),)}}
    problems = check(survey_one(leftover, add=[Transition(Q4, Q6, option_id=141)]))
    assert said(problems) == [
        ("dead_end", Q4, "Question 4: a free-text answer needs a next question for any answer.")
    ]


def test_number_question_with_only_an_option_transition_is_a_dead_end():
    leftover = {Q2: {"options": (Option(121, "Десять"),)}}
    graph = survey_one(leftover, add=[Transition(Q2, Q3, option_id=121)], drop=[LOW, MIDDLE, HIGH])
    dead_ends = only(graph, "dead_end")
    assert [(p.question_id, problem(p)) for p in dead_ends] == [
        (
            Q2,
            ("Question 2: a number answer needs a next question for its ranges or for any answer."),
        )
    ]


def test_option_without_transition_on_a_non_last_question_is_named():
    assert said(check(survey_one({Q3: {"is_last": False}}))) == [
        (
            "option_without_transition",
            Q3,
            "Question 3: the answer \u201cНі\u201d leads to no next question.",
        )
    ]


def test_option_without_transition_is_fine_when_any_other_answer_has_one():
    assert said(check(survey_one({Q3: {"is_last": False}}, add=[Transition(Q3, Q5)]))) == []


def test_several_next_questions_for_any_answer_are_reported():
    assert said(check(survey_one(add=[Transition(Q1, Q3)]))) == [
        ("several_any", Q1, "Question 1 has several next questions for any answer.")
    ]


def test_one_option_leading_to_several_questions_is_reported():
    assert said(check(survey_one(add=[Transition(Q3, Q5, option_id=Q3_YES)]))) == [
        ("several_for_option", Q3, "Question 3: one answer leads to several next questions.")
    ]


@pytest.mark.parametrize("bound", ["min_value", "max_value"])
def test_ranges_on_a_number_without_both_bounds_ask_for_them(bound):
    assert said(check(survey_one({Q2: {bound: None}}))) == [
        (
            "unbounded_number",
            Q2,
            "Question 2: give the lowest and highest number before branching on ranges.",
        )
    ]


def test_empty_range_is_named():
    graph = survey_one(add=[Transition(Q2, Q4, low=6, high=4)], drop=[MIDDLE])
    assert said(only(graph, "empty_range")) == [
        ("empty_range", Q2, "Question 2: the range 6–4 is empty.")
    ]
    # the empty range covers nothing: the whole 4–6 is one gap, not "4–5" and "5–6"
    assert [problem(p) for p in only(graph, "gapped_ranges")] == [
        "Question 2: the answers 4–6 lead to no next question."
    ]


@pytest.mark.parametrize(
    ("changed", "label"),
    [
        (Transition(Q2, Q3, low=7, high=12), "7–12"),
        (Transition(Q2, Q5, low=0, high=3), "0–3"),
    ],
)
def test_range_beyond_the_questions_bounds_is_named(changed, label):
    graph = survey_one(add=[changed], drop=[HIGH if changed.target == Q3 else LOW])
    assert said(check(graph)) == [
        ("range_outside", Q2, f"Question 2: the range {label} is outside 1–10.")
    ]


def test_thesis_ranges_4_7_and_7_10_overlap_at_7():
    graph = survey_one(add=[Transition(Q2, Q4, low=4, high=7)], drop=[MIDDLE])
    problems = check(graph)
    assert [p.code for p in problems] == ["overlapping_ranges"]
    assert "4–7 and 7–10 overlap" in problem(problems[0])
    assert problem(problems[0]).startswith("Question 2:")


def test_empty_range_overlaps_nothing_and_hides_no_overlap():
    graph = survey_one(
        add=[Transition(Q2, Q4, low=1, high=10), Transition(Q2, Q4, low=5, high=4)], drop=[MIDDLE]
    )
    assert [problem(p) for p in only(graph, "overlapping_ranges")] == [
        "Question 2: the ranges 1–3 and 1–10 overlap.",
        "Question 2: the ranges 1–10 and 7–10 overlap.",
    ]


@pytest.mark.parametrize(
    ("ranges", "spans"),
    [
        ([LOW, HIGH], ["4–6"]),
        ([MIDDLE, HIGH], ["1–3"]),
        ([LOW, MIDDLE], ["7–10"]),
        ([LOW, Transition(Q2, Q4, low=4, high=5), HIGH], ["6"]),
        (
            [Transition(Q2, Q5, low=2, high=3), MIDDLE, Transition(Q2, Q3, low=7, high=9)],
            ["1", "10"],
        ),
    ],
)
def test_numbers_no_range_covers_are_named_as_a_gap(ranges, spans):
    graph = survey_one(add=ranges, drop=[LOW, MIDDLE, HIGH])
    assert [(p.question_id, problem(p)) for p in only(graph, "gapped_ranges")] == [
        (Q2, f"Question 2: the answers {span} lead to no next question.") for span in spans
    ]


@pytest.mark.parametrize("changes", [{Q2: {"is_last": True}}, {}])
def test_gap_is_fine_on_a_last_question_or_with_an_any_answer_transition(changes):
    fallback = [] if changes else [Transition(Q2, Q4)]
    graph = survey_one(changes, add=fallback, drop=[MIDDLE])
    assert said(only(graph, "gapped_ranges")) == []


def test_question_no_path_leads_to_is_named_unreachable():
    extra = Question(17, 7, "Ще щось?", TEXT, is_last=True)
    assert said(check(Graph([*QUESTIONS, extra], TRANSITIONS))) == [
        ("unreachable", 17, "Question 7 cannot be reached from the first question.")
    ]


def test_dropping_the_only_way_to_a_question_makes_it_unreachable():
    problems = check(survey_one(drop=[YES_TO_TIME]))
    assert [(p.code, p.question_id) for p in problems] == [("unreachable", Q6)]
    assert "Question 6 cannot be reached" in problem(problems[0])


@pytest.mark.parametrize(
    ("loop", "number"),
    [
        (Transition(Q6, Q1), 1),
        (Transition(Q3, Q2, option_id=Q3_NO), 2),
        (Transition(Q4, Q4), 4),
    ],
)
def test_transition_back_to_an_earlier_question_is_a_cycle(loop, number):
    problems = check(survey_one(add=[loop]))
    assert [p.code for p in problems] == ["cycle"]
    assert problem(problems[0]) == (
        f"Question {number} can be reached again from a later question: the survey could loop."
    )


@pytest.mark.parametrize("kind", [CHOICE, NUMBER, TEXT])
def test_single_question_that_is_first_and_last_can_be_published(kind):
    options = (Option(1, "Так"),) if kind == CHOICE else ()
    alone = Question(1, 1, "Так?", kind, is_first=True, is_last=True, options=options)
    assert said(check(Graph([alone], []))) == []


def test_lowest_number_above_the_highest_is_named():
    graph = survey_one({Q2: {"min_value": 10, "max_value": 1}})
    assert said(only(graph, "empty_number_range")) == [
        ("empty_number_range", Q2, "Question 2: the lowest number 10 is above the highest 1.")
    ]


def test_open_ended_ranges_read_as_up_to_and_from():
    graph = survey_one(
        add=[Transition(Q2, Q5, high=3), Transition(Q2, Q3, low=7)], drop=[LOW, HIGH]
    )
    messages = [problem(p) for p in check(graph)]
    assert "Question 2: the range up to 3 is outside 1–10." in messages
    assert "Question 2: the range from 7 is outside 1–10." in messages
