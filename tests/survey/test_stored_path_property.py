"""Property: whatever the operator clicks, the stored path is the resolver's path."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import CustomerAnswer, CustomerSurvey, SurveyStatus
from survey_app.scripts import resolver
from survey_app.scripts.loading import load_graph
from tests.helpers import sample_contact_id, screen_of, start_survey, step

# an operation: go Back, or answer with the n-th possible answer of the question on screen
operations = st.lists(st.one_of(st.just("back"), st.integers(min_value=0, max_value=9)),
                      min_size=1, max_size=12)


def _value_for(question: resolver.Question, pick: int) -> dict:
    if question.kind == resolver.CHOICE:
        return {"option_id": question.options[pick % len(question.options)].id}
    if question.kind == resolver.NUMBER:
        return {"value": str(question.min_value + pick % (question.max_value -
                                                           question.min_value + 1))}
    return {"value": f"answer {pick}"}


def _stored(app, survey_id: int):
    with app.app_context():
        survey = db.session.get(CustomerSurvey, survey_id)
        rows = db.session.scalars(select(CustomerAnswer).where(
            CustomerAnswer.survey_id == survey_id).order_by(CustomerAnswer.position)).all()
        confirmed = [resolver.Answer(r.question_id, r.option_id, r.number_value, r.text_value)
                     for r in rows if r.position <= survey.step]
        return survey.status, survey.step, [r.position for r in rows], confirmed


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_stored_answers_always_follow_the_resolvers_path(app, operator, ops):
    with app.app_context():
        graph = load_graph(1)
    url = start_survey(operator, sample_contact_id(app))
    survey_id = int(url.rsplit("/", 1)[1])
    for op in ops:
        screen = screen_of(operator.get(url).text)
        question = graph.questions[screen.question_id]
        if op == "back":
            response = step(operator, url, "back", screen.form())
            assert response.status_code == (409 if screen.step == 0 else 200)
        else:
            response = step(operator, url, "answer", screen.form(**_value_for(question, op)))
            assert response.status_code in (200, 204)
        status, at, positions, confirmed = _stored(app, survey_id)
        assert positions == list(range(1, len(positions) + 1))  # no gaps, no duplicates
        shown = resolver.path(graph, confirmed)
        if status == SurveyStatus.COMPLETED:
            assert len(shown) == len(confirmed) and shown[-1].is_last
            assert positions == list(range(1, at + 1))
            break
        assert [a.question_id for a in confirmed] == [q.id for q in shown[:-1]]
        assert screen_of(operator.get(url).text).question_id == shown[-1].id
    if status != SurveyStatus.COMPLETED:
        step(operator, url, "cancel", {})  # the next example starts a new survey
