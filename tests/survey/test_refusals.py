"""A question may take "Refused / don't know" (key 0): it is stored as such, its text as
shown, and it follows the "any other answer" way; a question that does not take it refuses it."""
from sqlalchemy import select, update

from survey_app.extensions import db
from survey_app.models import CustomerAnswer, Question, Questionnaire
from tests.helpers import sample_contact_id, screen_of, start_survey, step

LIKED = "Чи сподобався вам вебінар?"


def _allow_refusal(app, text: str) -> None:
    with app.app_context():
        db.session.execute(update(Question).where(Question.text == text)
                           .values(allows_refusal=True))
        db.session.execute(update(Questionnaire).values(revision=Questionnaire.revision + 1))
        db.session.commit()


def test_a_refusal_is_stored_as_such_and_follows_the_way_on(app, operator):
    _allow_refusal(app, LIKED)
    url = start_survey(operator, sample_contact_id(app))
    page = operator.get(url).text
    assert 'value="refused" data-key="0"' in page and "Refused / don’t know" in page
    first = screen_of(page)
    response = step(operator, url, "answer", first.form(option_id="refused"))
    assert response.status_code == 200
    assert screen_of(response.text).text.startswith("Яка вірогідність")  # any answer's way
    with app.app_context():
        stored = db.session.scalars(select(CustomerAnswer)).one()
        assert (stored.refused, stored.option_id, stored.answer_text) == (
            True, None, "Refused / don’t know")
    back = step(operator, url, "back", screen_of(response.text).form())
    assert 'value="refused" data-key="0" checked' in back.text  # preselected on the way back


def test_a_question_that_does_not_take_a_refusal_refuses_it(app, operator):
    url = start_survey(operator, sample_contact_id(app))
    first = screen_of(operator.get(url).text)
    assert 'value="refused"' not in operator.get(url).text
    response = step(operator, url, "answer", first.form(option_id="refused"))
    assert response.status_code == 422
    assert screen_of(response.text).error == ("This question does not take “Refused / don’t "
                                              "know”; please record the client’s answer.")
    with app.app_context():
        assert db.session.scalars(select(CustomerAnswer)).all() == []
