"""The next-question rule on the demo "Survey 1": which question the operator sees next."""
import pytest

from survey_app.scripts.resolver import (
    MAX_TEXT,
    NUMBER,
    Answer,
    GraphError,
    InvalidAnswer,
    Question,
    Transition,
    answer_text,
    next_question,
    parse_answer,
    path,
)
from tests.scripts.survey_one import (
    Q1,
    Q1_NO,
    Q1_YES,
    Q2,
    Q3,
    Q3_NO,
    Q3_YES,
    Q4,
    Q5,
    Q5_NO,
    Q6,
    Q6_EVENING,
    choose,
    question,
    rate,
    survey_one,
)

GRAPH = survey_one()


# --- the first question and transitions -------------------------------------------------


def test_survey_opens_on_the_question_marked_first():
    assert GRAPH.first().id == Q1


@pytest.mark.parametrize(("firsts", "count"), [((), 0), ((Q1, Q3), 2)])
def test_survey_without_exactly_one_first_question_cannot_start(firsts, count):
    graph = survey_one({qid: {"is_first": qid in firsts} for qid in (Q1, Q3)})
    with pytest.raises(GraphError) as refused:
        graph.first()
    assert (refused.value.code, refused.value.params) == ("first_count", {"count": count})


@pytest.mark.parametrize("option_id", [Q1_YES, Q1_NO])
def test_any_answer_to_question_1_leads_to_the_rating(option_id):
    assert next_question(GRAPH, choose(Q1, option_id)).id == Q2


def test_yes_to_invitations_asks_the_convenient_time():
    assert next_question(GRAPH, choose(Q3, Q3_YES)).id == Q6


@pytest.mark.parametrize(("rating", "expected"), [
    (1, Q5), (2, Q5), (3, Q5),
    (4, Q4), (5, Q4), (6, Q4),
    (7, Q3), (8, Q3), (10, Q3),
])
def test_rating_picks_the_next_question_by_its_range(rating, expected):
    assert next_question(GRAPH, rate(rating)).id == expected


def test_unconditional_transition_takes_any_other_option():
    yes_to_time = Transition(Q3, Q6, option_id=Q3_YES)
    # "any answer" comes first in the data on purpose: the order there must not matter
    graph = survey_one(add=[Transition(Q3, Q5), yes_to_time], drop=[yes_to_time])
    assert next_question(graph, choose(Q3, Q3_YES)).id == Q6
    assert next_question(graph, choose(Q3, Q3_NO)).id == Q5


@pytest.mark.parametrize(("rating", "expected"), [(1, Q4), (6, Q4), (7, Q3), (10, Q3)])
def test_unconditional_transition_takes_any_number_outside_the_ranges(rating, expected):
    low_and_middle = [Transition(Q2, Q5, low=1, high=3), Transition(Q2, Q4, low=4, high=6)]
    graph = survey_one(add=[Transition(Q2, Q4)], drop=low_and_middle)
    assert next_question(graph, rate(rating)).id == expected


@pytest.mark.parametrize("answer", [
    choose(Q3, Q3_NO),
    Answer(Q4, text="Too long"),
    choose(Q5, Q5_NO),
    choose(Q6, Q6_EVENING),
])
def test_answer_to_a_last_question_without_a_next_one_completes_the_survey(answer):
    assert next_question(GRAPH, answer) is None


def test_answer_that_leads_nowhere_on_a_non_last_question_is_an_error():
    graph = survey_one({Q3: {"is_last": False}})
    with pytest.raises(GraphError) as refused:
        next_question(graph, choose(Q3, Q3_NO))
    assert (refused.value.code, refused.value.params) == ("no_way_on", {"question": 3})


# --- the path of shown questions --------------------------------------------------------


@pytest.mark.parametrize(("answers", "shown"), [
    ([], [Q1]),
    ([choose(Q1, Q1_YES)], [Q1, Q2]),
    ([choose(Q1, Q1_YES), rate(8)], [Q1, Q2, Q3]),
    ([choose(Q1, Q1_YES), rate(8), choose(Q3, Q3_YES)], [Q1, Q2, Q3, Q6]),
    ([choose(Q1, Q1_NO), rate(2)], [Q1, Q2, Q5]),
    ([choose(Q1, Q1_NO), rate(5)], [Q1, Q2, Q4]),
])
def test_path_lists_the_questions_shown_ending_with_the_one_to_ask(answers, shown):
    assert [q.id for q in path(GRAPH, answers)] == shown


@pytest.mark.parametrize("answers", [
    [choose(Q1, Q1_YES), rate(8), choose(Q3, Q3_NO)],
    [choose(Q1, Q1_YES), rate(8), choose(Q3, Q3_YES), choose(Q6, Q6_EVENING)],
    [choose(Q1, Q1_NO), rate(5), Answer(Q4, text="Звук")],
])
def test_path_of_a_completed_survey_ends_with_the_last_question_answered(answers):
    assert [q.id for q in path(GRAPH, answers)] == [a.question_id for a in answers]


@pytest.mark.parametrize("answers", [
    [rate(8)],
    [choose(Q1, Q1_YES), choose(Q3, Q3_YES)],
    [choose(Q1, Q1_YES), rate(2), choose(Q3, Q3_YES)],
    [choose(Q1, Q1_YES), rate(8), choose(Q3, Q3_NO), choose(Q6, Q6_EVENING)],
])
def test_path_refuses_answers_that_no_longer_follow_the_questionnaire(answers):
    with pytest.raises(GraphError) as refused:
        path(GRAPH, answers)
    assert refused.value.code == "off_path"


# --- posted answers ---------------------------------------------------------------------

# codes and values: survey_app.language.findings words them (tests/language/)
CHOOSE = ("no_choice", {})
NOT_AN_OPTION = ("not_an_option", {})
ENTER = ("empty", {})
WHOLE = ("not_whole", {})
RANGE_1_10 = ("out_of_range", {"low": 1, "high": 10})
TOO_LONG = ("too_long", {"limit": MAX_TEXT})


@pytest.mark.parametrize(("qid", "option_id", "value", "message"), [
    (Q1, None, None, CHOOSE),
    (Q1, "", None, CHOOSE),
    (Q1, str(Q3_YES), None, NOT_AN_OPTION),
    (Q1, "999", None, NOT_AN_OPTION),
    (Q1, "yes", None, NOT_AN_OPTION),
    (Q1, "101.0", None, NOT_AN_OPTION),
    (Q2, None, None, ENTER),
    (Q2, None, "", ENTER),
    (Q2, None, "   ", ENTER),
    (Q4, None, "", ENTER),
    (Q4, None, " \t\n ", ENTER),
    (Q2, None, "0", RANGE_1_10),
    (Q2, None, "1_0", WHOLE),
    (Q2, None, "+5", WHOLE),
    (Q2, None, "\u0665", WHOLE),
    (Q2, None, "9" * 30, WHOLE),
    (Q2, None, "11", RANGE_1_10),
    (Q2, None, "-5", RANGE_1_10),
    (Q2, None, "7.5", WHOLE),
    (Q2, None, "abc", WHOLE),
    (Q2, None, "7 8", WHOLE),
    (Q4, None, "x" * (MAX_TEXT + 1), TOO_LONG),
])
def test_bad_answer_is_refused_with_a_message_for_the_operator(qid, option_id, value, message):
    with pytest.raises(InvalidAnswer) as refused:
        parse_answer(question(GRAPH, qid), option_id, value)
    assert (refused.value.code, refused.value.params) == message


@pytest.mark.parametrize(("low", "high", "value"), [(None, 5, "6"), (3, None, "2")])
def test_number_outside_a_half_open_range_gives_the_open_end_as_none(low, high, value):
    q = Question(1, 1, "How many?", NUMBER, min_value=low, max_value=high)
    with pytest.raises(InvalidAnswer) as refused:
        parse_answer(q, None, value)
    assert refused.value.params == {"low": low, "high": high}


@pytest.mark.parametrize(("qid", "option_id", "value", "expected"), [
    (Q1, str(Q1_YES), None, Answer(Q1, option_id=Q1_YES)),
    (Q1, f" {Q1_NO} ", "ignored", Answer(Q1, option_id=Q1_NO)),
    (Q2, None, "1", Answer(Q2, number=1)),
    (Q2, None, " 10 ", Answer(Q2, number=10)),
    (Q4, "ignored", "  Звук  ", Answer(Q4, text="Звук")),
    (Q4, None, "x" * MAX_TEXT, Answer(Q4, text="x" * MAX_TEXT)),
])
def test_good_answer_is_recorded_as_given(qid, option_id, value, expected):
    assert parse_answer(question(GRAPH, qid), option_id, value) == expected


@pytest.mark.parametrize(("qid", "answer", "shown"), [
    (Q1, choose(Q1, Q1_YES), "Так"),
    (Q1, choose(Q1, Q1_NO), "Ні"),
    (Q6, choose(Q6, Q6_EVENING), "18:00-21:00"),
    (Q2, rate(7), "7"),
    (Q2, Answer(Q2, number=0), "0"),
    (Q4, Answer(Q4, text="Звук був поганий"), "Звук був поганий"),
    (Q1, choose(Q1, Q3_YES), ""),
    (Q4, Answer(Q4), ""),
])
def test_answer_snapshot_is_the_text_the_operator_saw(qid, answer, shown):
    assert answer_text(question(GRAPH, qid), answer) == shown


def test_survey_one_tells_how_many_questions_can_still_come():
    from survey_app.scripts.resolver import questions_left
    from tests.scripts.survey_one import Q1, Q2, Q3, Q4, Q6, survey_one
    graph = survey_one()
    assert questions_left(graph, Q1) == (3, 4)  # 1, 2, then 5 or 4; or 3 and, if yes, 6
    assert questions_left(graph, Q2) == (2, 3)
    assert questions_left(graph, Q3) == (1, 2)  # last, unless the answer is yes
    assert (questions_left(graph, Q4), questions_left(graph, Q6)) == ((1, 1), (1, 1))


def test_a_cycle_does_not_hang_the_progress():
    from survey_app.scripts.resolver import Transition, questions_left
    from tests.scripts.survey_one import Q1, Q2, survey_one
    graph = survey_one(add=[Transition(Q2, Q1, low=1, high=1)])
    assert questions_left(graph, Q1)[1] >= 3


# --- "Refused / don't know" -------------------------------------------------------------

REFUSING = {Q3: {"allows_refusal": True}, Q2: {"allows_refusal": True}}


@pytest.mark.parametrize("qid", [Q1, Q2, Q4])
def test_refusal_on_a_question_that_does_not_allow_it_is_refused(qid):
    with pytest.raises(InvalidAnswer) as refused:
        parse_answer(question(GRAPH, qid), None, None, refused=True)
    assert (refused.value.code, refused.value.params) == ("refusal_not_allowed", {})


@pytest.mark.parametrize(("option_id", "value"), [(None, None), (str(Q3_YES), "7")])
def test_refusal_is_recorded_as_refused_whatever_else_was_posted(option_id, value):
    graph = survey_one(REFUSING)
    assert parse_answer(question(graph, Q3), option_id, value, refused=True) == Answer(
        Q3, refused=True)


def test_refusal_takes_only_the_any_other_answer_way():
    # Q2 has ranges only, plus "any other answer" to Q4: a refusal is no number in a range
    graph = survey_one(REFUSING, add=[Transition(Q2, Q4)])
    assert next_question(graph, Answer(Q2, refused=True)).id == Q4
    assert next_question(graph, rate(8)).id == Q3


def test_refusal_without_an_any_other_answer_way_leads_nowhere():
    graph = survey_one(REFUSING)
    with pytest.raises(GraphError) as refused:
        next_question(graph, Answer(Q2, refused=True))
    assert (refused.value.code, refused.value.params) == ("no_way_on", {"question": 2})


def test_refusal_on_a_last_question_without_such_a_way_completes_the_survey():
    # Q3 is last and leads to Q6 on "Так" only: a refusal is not "Так"
    graph = survey_one(REFUSING)
    assert next_question(graph, Answer(Q3, refused=True)) is None
    answers = [choose(Q1, Q1_YES), rate(8), Answer(Q3, refused=True)]
    assert [q.id for q in path(graph, answers)] == [Q1, Q2, Q3]


def test_refused_answer_has_no_text_of_its_own():
    # the web layer words it (findings.refused_answer) for the snapshot
    assert answer_text(question(survey_one(REFUSING), Q3), Answer(Q3, refused=True)) == ""


def test_transition_for_names_the_transition_an_answer_takes():
    from survey_app.scripts.resolver import transition_for
    assert transition_for(GRAPH, rate(2)) == Transition(Q2, Q5, low=1, high=3)
    assert transition_for(GRAPH, choose(Q3, Q3_NO)) is None
