"""The pure modules' codes in the reader's words: answers refused and broken scripts (the
resolver), and the graph checks' findings. The pure modules never call gettext."""
from flask_babel import gettext as _
from flask_babel import ngettext

from survey_app.scripts.checks import ANY, REFUSED, Problem
from survey_app.scripts.resolver import GraphError, InvalidAnswer


def answer_refusal(error: InvalidAnswer) -> str:
    """Why the operator's answer was not taken."""
    code, p = error.code, error.params
    if code == "out_of_range":
        return _number_bounds(p["low"], p["high"])
    if code == "too_long":
        return _("The answer is too long (at most %(limit)s characters).", limit=p["limit"])
    return {
        "empty": _("Please enter the client’s answer."),
        "no_choice": _("Please choose one of the answers."),
        "not_an_option": _("That answer is not one of this question’s options."),
        "not_whole": _("Please enter a whole number."),
        "refusal_not_allowed": _("This question does not take “Refused / don’t know”; please "
                                 "record the client’s answer."),
    }.get(code, code)


def refused_answer() -> str:
    """The words of a "Refused / don't know" answer: its button, its snapshot, its step."""
    return _("Refused / don’t know")


def _number_bounds(low: int | None, high: int | None) -> str:
    if low is None:
        return _("Please enter a number no greater than %(high)s.", high=high)
    if high is None:
        return _("Please enter a number no less than %(low)s.", low=low)
    return _("Please enter a number from %(low)s to %(high)s.", low=low, high=high)


def graph_error(error: GraphError) -> str:
    """Why a survey cannot go on from here."""
    if error.code == "first_count":
        return _("The questionnaire has %(count)s first questions, not one.", **error.params)
    if error.code == "no_way_on":
        return _("Question %(question)s: this answer leads to no next question.",
                 **error.params)
    return _("The answers no longer follow the questionnaire.")


def span(bounds: tuple[int | None, int | None]) -> str:
    """7-10, "up to 3" or "from 7": a bare "-3" would read as minus three."""
    low, high = bounds
    if low is None:
        return _("up to %(high)s", high=high)
    if high is None:
        return _("from %(low)s", low=low)
    return f"{low}–{high}" if low != high else str(low)


def problem(finding: Problem) -> str:
    """A graph check's finding, as the marketer reads it."""
    p = finding.params
    wording = _PROBLEMS.get(finding.code)
    return wording(p) if wording else finding.code


def how_to_get_there(finding: Problem) -> str:
    """The answers that lead to the finding, "How to get there: 1 → Ні, 3 → 5"; "" if none."""
    if not finding.path:
        return ""
    steps = ", ".join(f"{number} → {_step_label(label)}" for number, label in finding.path)
    return _("How to get there: %(steps)s", steps=steps)


def _step_label(label: str) -> str:
    if label == ANY:
        return _("any answer")
    return refused_answer() if label == REFUSED else label


def severity(finding: Problem) -> str:
    """Whether the finding keeps the questionnaire from being published, in words."""
    return _("Blocks publishing") if finding.blocks else _("Does not block publishing")


def _dead_end(p: dict) -> str:
    if p["answers"] == "text":
        return _("Question %(question)s: a free-text answer needs a next question for any "
                 "answer.", question=p["question"])
    if p["answers"] == "number":
        return _("Question %(question)s: a number answer needs a next question for its ranges "
                 "or for any answer.", question=p["question"])
    return _("Question %(question)s is not last and leads to no next question.",
             question=p["question"])


def _unknown_question(p: dict) -> str:
    if "question" not in p:  # the transition starts at a question that is not there either
        return _("A transition points to a question that is not in this questionnaire.")
    return _("Question %(question)s: an answer leads to a question that is not in this "
             "questionnaire.", question=p["question"])


def _long_path(p: dict) -> str:
    return ngettext("Question %(question)s: a survey can take %(num)s question to get here; "
                    "a call that long tires the client.",
                    "Question %(question)s: a survey can take %(num)s questions to get here; "
                    "a call that long tires the client.",
                    p["length"], question=p["question"])


def _unknown_field(p: dict) -> str:
    return _("Question %(question)s: the text has an unknown field {%(field)s}; check its "
             "spelling.", question=p["question"], field=p["field"])


def _several_first(p: dict) -> str:
    numbers = ", ".join(str(n) for n in p["questions"])
    return ngettext("Question %(numbers)s is marked first; mark exactly one.",
                    "Questions %(numbers)s are all marked first; mark exactly one.",
                    len(p["questions"]), numbers=numbers)


_PROBLEMS = {
    "empty": lambda p: _("The questionnaire has no questions."),
    "no_first": lambda p: _("No question is marked as the first question."),
    "several_first": _several_first,
    "unknown_question": _unknown_question,
    "foreign_option": lambda p: _("Question %(question)s: a transition uses an answer of "
                                  "another question.", **p),
    "range_on_non_number": lambda p: _("Question %(question)s: number ranges apply only to "
                                       "number answers.", **p),
    "no_options": lambda p: _("Question %(question)s has no answer options.", **p),
    "dead_end": _dead_end,
    "option_without_transition": lambda p: _("Question %(question)s: the answer “%(option)s” "
                                             "leads to no next question.", **p),
    "several_any": lambda p: _("Question %(question)s has several next questions for any "
                               "answer.", **p),
    "several_for_option": lambda p: _("Question %(question)s: one answer leads to several "
                                      "next questions.", **p),
    "empty_number_range": lambda p: _("Question %(question)s: the lowest number %(low)s is "
                                      "above the highest %(high)s.", **p),
    "unbounded_number": lambda p: _("Question %(question)s: give the lowest and highest "
                                    "number before branching on ranges.", **p),
    "empty_range": lambda p: _("Question %(question)s: the range %(range)s is empty.",
                               question=p["question"], range=span(p["range"])),
    "range_outside": lambda p: _("Question %(question)s: the range %(range)s is outside "
                                 "%(allowed)s.", question=p["question"], range=span(p["range"]),
                                 allowed=span((p["low"], p["high"]))),
    "overlapping_ranges": lambda p: _("Question %(question)s: the ranges %(first)s and "
                                      "%(second)s overlap.", question=p["question"],
                                      first=span(p["ranges"][0]), second=span(p["ranges"][1])),
    "gapped_ranges": lambda p: _("Question %(question)s: the answers %(answers)s lead to no "
                                 "next question.", question=p["question"],
                                 answers=span((p["low"], p["high"]))),
    "unreachable": lambda p: _("Question %(question)s cannot be reached from the first "
                               "question.", **p),
    "cycle": lambda p: _("Question %(question)s can be reached again from a later question: "
                         "the survey could loop.", **p),
    "refusal_without_way": lambda p: _("Question %(question)s: “Refused / don’t know” leads to "
                                       "no next question; add a next question for any other "
                                       "answer.", **p),
    "long_path": _long_path,
    "unknown_field": _unknown_field,
    "answer_of_unknown_question": lambda p: _("Question %(question)s: the text uses the answer "
                                              "to question %(answer)s, and there is no "
                                              "question %(answer)s.", **p),
    "answer_not_before": lambda p: _("Question %(question)s: the text uses the answer to "
                                     "question %(answer)s, which is not always asked before "
                                     "it.", **p),
}
