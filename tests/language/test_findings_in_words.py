"""The pure modules give codes; every code is worded in both languages, with its values."""
import pytest
from flask_babel import force_locale

from survey_app.language import findings, pbx
from survey_app.scripts.checks import Problem
from survey_app.scripts.resolver import GraphError, InvalidAnswer
from survey_app.telephony.link import LinkStatus

PROBLEMS = [
    Problem("empty"), Problem("no_first"), Problem("several_first", params={"questions": [1, 3]}),
    Problem("unknown_question", 1), Problem("foreign_option", 1, {"question": 2}),
    Problem("range_on_non_number", 1, {"question": 2}), Problem("no_options", 1, {"question": 2}),
    Problem("dead_end", 1, {"question": 2, "answers": "any"}),
    Problem("dead_end", 1, {"question": 2, "answers": "text"}),
    Problem("dead_end", 1, {"question": 2, "answers": "number"}),
    Problem("option_without_transition", 1, {"question": 2, "option": "Так"}),
    Problem("several_any", 1, {"question": 2}), Problem("several_for_option", 1, {"question": 2}),
    Problem("empty_number_range", 1, {"question": 2, "low": 10, "high": 1}),
    Problem("unbounded_number", 1, {"question": 2}),
    Problem("empty_range", 1, {"question": 2, "range": (6, 4)}),
    Problem("range_outside", 1, {"question": 2, "range": (None, 3), "low": 1, "high": 10}),
    Problem("overlapping_ranges", 1, {"question": 2, "ranges": ((4, 7), (7, None))}),
    Problem("gapped_ranges", 1, {"question": 2, "low": 4, "high": 6}),
    Problem("unreachable", 1, {"question": 7}), Problem("cycle", 1, {"question": 2}),
]
REFUSALS = [InvalidAnswer("empty"), InvalidAnswer("no_choice"), InvalidAnswer("not_an_option"),
            InvalidAnswer("not_whole"), InvalidAnswer("too_long", limit=2000),
            InvalidAnswer("out_of_range", low=1, high=10),
            InvalidAnswer("out_of_range", low=None, high=5),
            InvalidAnswer("out_of_range", low=3, high=None)]
BROKEN = [GraphError("first_count", count=2), GraphError("no_way_on", question=3),
          GraphError("off_path")]
LINKS = [LinkStatus("not_configured", ""), LinkStatus("connecting", "", address="pbx:5038"),
         LinkStatus("connected", "", address="pbx:5038", version="Asterisk/11"),
         LinkStatus("lost", "", reason="closed by Asterisk"),
         LinkStatus("login_refused", "", error="Authentication failed"),
         LinkStatus("unreachable", "", address="pbx:5038", error="refused"),
         LinkStatus("stopped", "")]
CLICK_TO_CALL = [(why, number) for why in ("hung_up", "no_answer", "busy", "congested",
                                           "unreachable") for number in ("+380501234567", None)]


def _said(app, language, words):
    with app.test_request_context(), force_locale(language):
        return words()


CASES = ([(f"problem {p.code} {p.params.get('answers', '')}", lambda p=p: findings.problem(p))
          for p in PROBLEMS]
         + [(f"refusal {e.code} {e.params}", lambda e=e: findings.answer_refusal(e))
            for e in REFUSALS]
         + [(f"broken {e.code}", lambda e=e: findings.graph_error(e)) for e in BROKEN]
         + [(f"link {s.code}", lambda s=s: pbx.link_status(s)) for s in LINKS]
         + [(f"click-to-call {w} {n}", lambda w=w, n=n: pbx.click_to_call_failure(w, n))
            for w, n in CLICK_TO_CALL])


@pytest.mark.parametrize(("case", "words"), CASES, ids=[c for c, _ in CASES])
def test_each_code_is_worded_in_both_languages(app, case, words):
    english, ukrainian = _said(app, "en", words), _said(app, "uk", words)
    assert english != ukrainian, case
    for text in (english, ukrainian):
        assert text and "%(" not in text and "_" not in text.replace("AMI_HOST", ""), text




@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Question 2: the ranges 4–7 and from 7 overlap."),
    ("uk", "Запитання 2: діапазони 4–7 і від 7 перетинаються."),
])
def test_the_thesis_overlap_is_worded_with_its_ranges(app, language, expected):
    overlap = Problem("overlapping_ranges", 1, {"question": 2, "ranges": ((4, 7), (7, None))})
    assert _said(app, language, lambda: findings.problem(overlap)) == expected


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Please enter a number no greater than 5."),
    ("uk", "Введіть число не більше ніж 5."),
])
def test_a_half_open_range_is_worded_by_its_bound(app, language, expected):
    refusal = InvalidAnswer("out_of_range", low=None, high=5)
    assert _said(app, language, lambda: findings.answer_refusal(refusal)) == expected
