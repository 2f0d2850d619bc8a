"""The demo "Survey 1" as plain resolver dataclasses, with ways to break it for the checks.

Ids differ from the question numbers on purpose, so a mix-up of the two shows in a test.
"""
from dataclasses import replace

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

YES, NO = "Так", "Ні"
Q1, Q2, Q3, Q4, Q5, Q6 = 11, 12, 13, 14, 15, 16
Q1_YES, Q1_NO = 101, 102
Q3_YES, Q3_NO = 131, 132
Q5_YES, Q5_NO = 151, 152
Q6_MORNING, Q6_NOON, Q6_AFTERNOON, Q6_EVENING = 161, 162, 163, 164

QUESTIONS = (
    Question(Q1, 1, "Чи сподобався вам вебінар?", CHOICE, is_first=True,
             options=(Option(Q1_YES, YES), Option(Q1_NO, NO))),
    Question(Q2, 2, "Яка вірогідність що ви порекомендуєте нас знайомим та друзям? "
             "Від 1 до 10.", NUMBER, min_value=1, max_value=10),
    Question(Q3, 3, "Вам цікаво отримувати на пошту подібні запрошення на лекції?", CHOICE,
             is_last=True, options=(Option(Q3_YES, YES), Option(Q3_NO, NO))),
    Question(Q4, 4, "Що не сподобалось на вебінарі?", TEXT, is_last=True),
    Question(Q5, 5, "Чи хочете ви відписатись?", CHOICE, is_last=True,
             options=(Option(Q5_YES, YES), Option(Q5_NO, NO))),
    Question(Q6, 6, "О котрій годині вам зручно відвідувати семінари?", CHOICE, is_last=True,
             options=(Option(Q6_MORNING, "09:00-12:00"), Option(Q6_NOON, "12:00-15:00"),
                      Option(Q6_AFTERNOON, "15:00-18:00"), Option(Q6_EVENING, "18:00-21:00"))),
)

TRANSITIONS = (
    Transition(Q1, Q2),
    Transition(Q2, Q5, low=1, high=3),
    Transition(Q2, Q4, low=4, high=6),
    Transition(Q2, Q3, low=7, high=10),
    Transition(Q3, Q6, option_id=Q3_YES),
)


def survey_one(changes: dict[int, dict] | None = None, add=(), drop=()) -> Graph:
    """Survey 1, with some questions' fields changed and transitions added or dropped."""
    changes = changes or {}
    questions = [replace(q, **changes.get(q.id, {})) for q in QUESTIONS]
    transitions = [t for t in TRANSITIONS if t not in drop] + list(add)
    return Graph(questions, transitions)


def question(graph: Graph, qid: int) -> Question:
    return graph.questions[qid]


def choose(qid: int, option_id: int) -> Answer:
    return Answer(qid, option_id=option_id)


def rate(number: int) -> Answer:
    return Answer(Q2, number=number)
