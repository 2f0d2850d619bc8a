"""Build resolver graphs from the database, cached by questionnaire version."""
import threading
from collections import OrderedDict

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from survey_app.extensions import db
from survey_app.models import Question as QuestionRow
from survey_app.models import Transition as TransitionRow
from survey_app.scripts.resolver import Graph, Option, Question, Transition

_CACHE_SIZE = 256


class GraphCache:
    """Graphs by (questionnaire id, revision), least recently used dropped first; one per app."""

    def __init__(self):
        self._graphs: OrderedDict[tuple[int, int], Graph] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[int, int]) -> Graph | None:
        with self._lock:
            graph = self._graphs.get(key)
            if graph is not None:
                self._graphs.move_to_end(key)
            return graph

    def put(self, key: tuple[int, int], graph: Graph) -> None:
        with self._lock:
            self._graphs[key] = graph
            while len(self._graphs) > _CACHE_SIZE:
                self._graphs.popitem(last=False)


def graph_for(questionnaire_id: int, revision: int) -> Graph:
    """The questionnaire's graph; every edit bumps its revision: a cached graph is never stale."""
    cache = current_app.extensions.setdefault("graph_cache", GraphCache())
    key = (questionnaire_id, revision)
    graph = cache.get(key)
    if graph is None:
        graph = load_graph(questionnaire_id)
        cache.put(key, graph)
    return graph


def load_graph(questionnaire_id: int) -> Graph:
    """Read the questions, options and transitions of one questionnaire (three queries)."""
    rows = db.session.scalars(
        select(QuestionRow).where(QuestionRow.questionnaire_id == questionnaire_id)
        .options(selectinload(QuestionRow.options))).all()
    questions = [Question(
        id=q.id, number=q.number, text=q.text, kind=str(q.kind), is_first=q.is_first,
        is_last=q.is_last, min_value=q.min_value, max_value=q.max_value,
        allows_refusal=q.allows_refusal,
        options=tuple(Option(o.id, o.text) for o in q.options)) for q in rows]
    transitions = [Transition(t.source_id, t.target_id, t.option_id, t.range_low, t.range_high)
                   for t in db.session.scalars(select(TransitionRow).where(
                       TransitionRow.questionnaire_id == questionnaire_id))]
    return Graph(questions, transitions)
