"""A questionnaire as its page lists it: the questions in order, each answer and where it
leads, and the checks' findings by question, worded in the reader's language."""
from dataclasses import dataclass, field

from flask_babel import gettext as _

from survey_app.language.findings import how_to_get_there, problem, span
from survey_app.scripts.checks import Problem
from survey_app.scripts.resolver import Graph, Question, Transition


@dataclass
class Way:
    answer: str  # as the marketer reads it: the option, the range, "any other answer"
    target: Question
    target_label: str = ""  # "question 5"


@dataclass
class Row:
    question: Question
    ways: list[Way]
    findings: list = field(default_factory=list)


@dataclass
class Finding:
    severity: str
    text: str
    question_id: int | None
    how: str = ""  # the answers from the first question that lead there


def outline(graph: Graph, problems: list[Problem]) -> tuple[list[Row], list[Finding]]:
    """The rows of the page's question list, and every finding, errors first."""
    findings = [Finding(p.severity, problem(p), p.question_id, how_to_get_there(p))
                for p in sorted(problems, key=lambda p: p.severity)]
    rows, to = [], _("question %(number)s")  # translated once: a script may be long
    for question in sorted(graph.questions.values(), key=lambda q: q.number):
        out = graph.outgoing.get(question.id, ())
        ways = [Way(answer_words(question, t, out), graph.questions[t.target],
                    to % {"number": graph.questions[t.target].number})
                for t in out if t.target in graph.questions]
        rows.append(Row(question, ways, [f for f in findings if f.question_id == question.id]))
    return rows, findings


def answer_words(question: Question, way: Transition, ways: tuple[Transition, ...]) -> str:
    """What answer takes this way, as the marketer chose it."""
    if way.option_id is not None:
        option = question.option(way.option_id)
        return option.text if option else "?"
    if way.is_range:
        return span((way.low, way.high))
    if any(not t.unconditional for t in ways):
        return _("any other answer")
    return _("any answer")
