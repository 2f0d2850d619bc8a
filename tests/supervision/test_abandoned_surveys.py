"""Surveys left in progress: stale after SURVEY_STALE_HOURS without a step, closed as
abandoned by their operator, a supervisor or `flask surveys close-stale`."""
import datetime as dt

from sqlalchemy import func, select, update

from survey_app.extensions import db
from survey_app.models import (
    Contact,
    CustomerAnswer,
    CustomerSurvey,
    ResultsWatermark,
    SurveyEvent,
)
from survey_app.models.surveys import utcnow
from tests.helpers import csrf, login, sample_contact_id, screen_of, start_survey, step


def _survey_left_open(app, client, hours_ago: float, contact_id: int | None = None
                      ) -> tuple[str, int]:
    """Survey 1 with one answer confirmed and one stepped back over, its last step hours ago."""
    url = start_survey(client, contact_id or sample_contact_id(app))
    first = screen_of(client.get(url).text)
    second = screen_of(step(client, url, "answer", first.form(option_id=first.options["Ні"])).text)
    step(client, url, "answer", second.form(value="8"))
    step(client, url, "back", {"step": 2})  # the "8" is kept but not confirmed
    survey_id = int(url.rsplit("/", 1)[1])
    _last_step(app, survey_id, hours_ago)
    return url, survey_id


def _last_step(app, survey_id: int, hours_ago: float) -> None:
    with app.app_context():
        db.session.execute(update(CustomerSurvey).where(CustomerSurvey.id == survey_id).values(
            current_shown_at=utcnow() - dt.timedelta(hours=hours_ago)))
        db.session.commit()


def _stored(app, survey_id: int) -> tuple[str, list[int], list[str]]:
    with app.app_context():
        survey = db.session.get(CustomerSurvey, survey_id)
        positions = db.session.scalars(select(CustomerAnswer.position).where(
            CustomerAnswer.survey_id == survey_id).order_by(CustomerAnswer.position)).all()
        kinds = db.session.scalars(select(SurveyEvent.kind).where(
            SurveyEvent.survey_id == survey_id).order_by(SurveyEvent.id)).all()
        return survey.status.value, positions, kinds


def test_operator_closes_a_stale_survey_which_keeps_its_answers(app, operator):
    url, survey_id = _survey_left_open(app, operator, hours_ago=13)
    runner = operator.get(url).text  # its operator gets the runner, with the way out
    assert 'name="question_id"' in runner and "it is stale" in runner
    assert f'action="{url}/close"' in runner
    listed = operator.get("/surveys?status=stale").text
    assert f'href="/surveys/{survey_id}"' in listed and "badge-stale" in listed
    response = operator.post(f"{url}/close", data={"csrf_token": csrf(operator)})
    assert response.status_code == 303
    assert "Survey closed as abandoned" in operator.get(response.headers["Location"]).text
    status, positions, kinds = _stored(app, survey_id)
    assert status == "abandoned" and positions == [1]  # the confirmed answer; not the "8"
    assert kinds[-1] == "abandoned"
    page = operator.get(url).text
    assert '<span class="badge badge-abandoned">Abandoned</span>' in page
    assert "Close as abandoned" not in page and 'name="question_id"' not in page


def test_an_abandoned_survey_cannot_be_resumed_or_answered(app, operator):
    url, survey_id = _survey_left_open(app, operator, hours_ago=13)
    operator.post(f"{url}/close", data={"csrf_token": csrf(operator)})
    resumed = operator.post(f"{url}/resume", data={"csrf_token": csrf(operator)})
    assert resumed.status_code == 409
    assert "closed as abandoned; nothing more can be recorded" in resumed.text
    answered = step(operator, url, "answer", {"step": 1, "question_id": 2, "value": "9"})
    assert answered.status_code == 409
    assert _stored(app, survey_id)[1] == [1]
    # starting the questionnaire again for the contact begins a new survey
    again = start_survey(operator, sample_contact_id(app))
    assert again != url and 'name="question_id"' in operator.get(again).text


def test_a_survey_worked_on_lately_is_not_closed(app, operator):
    url, survey_id = _survey_left_open(app, operator, hours_ago=11)
    assert "Close as abandoned" not in operator.get(url).text
    response = operator.post(f"{url}/close", data={"csrf_token": csrf(operator)})
    assert response.status_code == 303
    assert "less than 12 hours ago; its operator can still resume it" in \
        operator.get(response.headers["Location"]).text
    assert _stored(app, survey_id)[0] == "in_progress"


def _supervisor(app):
    supervisor = app.test_client()
    login(supervisor, "supervisor")
    return supervisor


def test_another_operator_may_not_close_it_a_supervisor_may(app, operator):
    url, survey_id = _survey_left_open(app, operator, hours_ago=13)
    other = app.test_client()
    login(other, "operator2")
    refused = other.post(f"{url}/close", data={"csrf_token": csrf(other)})
    assert refused.status_code == 403
    assert "Only its operator or a supervisor" in refused.text
    assert "Close as abandoned" not in other.get(url).text
    assert _stored(app, survey_id)[0] == "in_progress"
    supervisor = _supervisor(app)
    page = supervisor.get(url).text
    assert "it is stale" in page and "Close as abandoned" in page
    supervisor.post(f"{url}/close", data={"csrf_token": csrf(supervisor)})
    assert _stored(app, survey_id)[0] == "abandoned"


def test_closing_without_the_forms_token_is_refused(app, operator):
    url, survey_id = _survey_left_open(app, operator, hours_ago=13)
    assert operator.post(f"{url}/close").status_code == 400
    assert _stored(app, survey_id)[0] == "in_progress"


def test_a_step_taken_after_the_page_was_read_keeps_the_survey_open(app, operator):
    """The supervisor's page showed it stale; the operator came back to it meanwhile."""
    url, survey_id = _survey_left_open(app, operator, hours_ago=13)
    supervisor = _supervisor(app)
    token = csrf(supervisor)
    assert "Close as abandoned" in supervisor.get(url).text
    operator.post(f"{url}/resume", data={"csrf_token": csrf(operator)})
    supervisor.post(f"{url}/close", data={"csrf_token": token})
    assert _stored(app, survey_id)[0] == "in_progress"


def test_close_stale_command_closes_only_the_stale(app, operator, runner):
    stale_one = _survey_left_open(app, operator, hours_ago=30)[1]
    with app.app_context():
        someone_else = db.session.scalar(select(Contact.id).where(
            Contact.id != sample_contact_id(app)).limit(1))
    recent = _survey_left_open(app, operator, hours_ago=1, contact_id=someone_else)[1]
    result = runner.invoke(args=["surveys", "close-stale"], env={"LANGUAGE": "en"})
    assert result.exit_code == 0, result.output
    assert "1 stale survey closed as abandoned (no step for 12 hours or more)." in result.output
    assert _stored(app, stale_one)[:2] == ("abandoned", [1])
    assert _stored(app, recent)[0] == "in_progress"
    again = runner.invoke(args=["surveys", "close-stale"], env={"LANGUAGE": "uk"})
    assert "0 застарілих опитувань закрито як покинуті" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SurveyEvent).where(
            SurveyEvent.kind == "abandoned")) == 1
        # and the results' tallies were brought up to a minute ago
        assert db.session.scalar(select(func.count()).select_from(ResultsWatermark)) >= 1


def test_the_setting_moves_the_line(app, operator, runner):
    app.config["SURVEY_STALE_HOURS"] = 48
    survey_id = _survey_left_open(app, operator, hours_ago=30)[1]
    assert runner.invoke(args=["surveys", "close-stale"]).exit_code == 0
    assert _stored(app, survey_id)[0] == "in_progress"
