"""The floor page: each operator's state from what is stored, since when, caller,
questionnaire and their day; who may read it."""
import datetime as dt
import re

from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Call, Contact, CustomerSurvey, Questionnaire, Role, SurveyStatus, User
from survey_app.models.surveys import utcnow
from tests.helpers import SAMPLE_CONTACT, login


def ago(**delta) -> dt.datetime:
    return utcnow() - dt.timedelta(**delta)


def add_operator(username: str, extension: str | None, online: bool = True, **fields) -> int:
    """An operator with a page open (stamped a moment ago) unless online=False."""
    user = User(username=username, full_name=f"Оператор {username}", roles=[Role.OPERATOR],
                extension=extension, **fields)
    user.set_password("demo-password")
    if online:
        user.online_since, user.page_seen_at = ago(minutes=20), ago(seconds=5)
    db.session.add(user)
    db.session.flush()
    return user.id


def add_call(extension: str, state: str, started: dt.datetime, answered=None, ended=None,
             number="+380501234567", linkedid=None, contact_id=None) -> None:
    db.session.add(Call(linkedid=linkedid or f"{extension}.{started.timestamp()}",
                        extension=extension, direction="inbound", external_number=number,
                        external_e164=number, started_at=started, answered_at=answered,
                        ended_at=ended, state=state, contact_id=contact_id,
                        outcome=("answered" if answered else "no_answer") if ended else None))


def add_survey(operator_id: int, status: SurveyStatus, started: dt.datetime,
               shown: dt.datetime | None = None, finished=None) -> None:
    questionnaire = db.session.scalar(select(Questionnaire).where(
        Questionnaire.name == "Survey 1"))
    contact = db.session.scalar(select(Contact).where(Contact.full_name == SAMPLE_CONTACT))
    db.session.add(CustomerSurvey(
        contact_id=contact.id, questionnaire_id=questionnaire.id,
        campaign_id=questionnaire.campaign_id, operator_id=operator_id, status=status,
        step=1, started_at=started, current_shown_at=shown or started, finished_at=finished))


def row(html: str, user_id: int) -> str:
    """The operator's row as text, its state code first."""
    found = re.search(rf'<tr id="floor-operator-{user_id}" data-state="(\w+)".*?</tr>', html,
                      re.S)
    assert found, f"no row of operator {user_id}"
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0))).strip()
    return f"{found.group(1)} | {text}"


def test_each_operator_is_shown_in_the_state_their_phone_page_and_survey_say(app, supervisor):
    with app.app_context():
        contact = db.session.scalar(select(Contact.id).where(
            Contact.full_name == SAMPLE_CONTACT))
        ids = {
            "ringing": add_operator("o_ring", "401"),
            "talking": add_operator("o_talk", "402"),
            "held": add_operator("o_held", "403"),
            "in_survey": add_operator("o_survey", "404"),
            "dnd": add_operator("o_dnd", "405", agent_state="dnd",
                                agent_state_at=ago(minutes=7)),
            "ready": add_operator("o_ready", "406", agent_state_at=ago(hours=3)),
            "gone": add_operator("o_gone", "407", online=False, page_seen_at=ago(minutes=5)),
            "dead": add_operator("o_dead", "408", online=False, online_since=ago(hours=1),
                                 page_seen_at=ago(minutes=2)),  # its process died
            "left_open": add_operator("o_left", "409"),
        }
        add_call("401", "ringing", ago(seconds=20), contact_id=contact)
        add_call("402", "talking", ago(minutes=3), answered=ago(minutes=2), number="0442223344")
        add_call("403", "held", ago(minutes=5), answered=ago(minutes=4))
        add_survey(ids["in_survey"], SurveyStatus.IN_PROGRESS, ago(minutes=4), ago(seconds=30))
        add_survey(ids["left_open"], SurveyStatus.IN_PROGRESS, ago(hours=2), ago(hours=1))
        # the ready operator's last call ended 90 s ago: ready since then
        add_call("406", "ended", ago(minutes=5), answered=ago(minutes=4), ended=ago(seconds=90))
        db.session.commit()
    html = supervisor.get("/floor").text
    assert row(html, ids["ringing"]).startswith("ringing | Оператор o_ring 401 Ringing 0:2")
    assert "Inbound: +380 50 123 4567 · Уляненко Олександра" in row(html, ids["ringing"])
    talking = row(html, ids["talking"])
    assert talking.startswith("talking | Оператор o_talk 402 Talking 2:0")  # since the answer
    assert "+380 44 222 3344" in talking
    assert "Talking on hold" in row(html, ids["held"])
    in_survey = row(html, ids["in_survey"])
    assert in_survey.startswith("in_survey | Оператор o_survey 404 In a survey 4:0")
    assert "Survey 1 v1 · Уляненко Олександра" in in_survey
    assert row(html, ids["dnd"]).startswith("dnd | Оператор o_dnd 405 Do not disturb 7:0")
    assert row(html, ids["ready"]).startswith("ready | Оператор o_ready 406 Ready 1:3")
    assert row(html, ids["gone"]).startswith("offline | Оператор o_gone 407 Offline 5:0")
    assert row(html, ids["dead"]).startswith("offline | ")  # no stamp for 2 minutes
    assert row(html, ids["left_open"]).startswith("ready | ")  # not stepped for an hour
    counts = dict(re.findall(r'data-state="(\w+)"><span class="badge[^"]*">[^<]+</span> '
                             r'<strong>(\d+)</strong>', html))
    # the demo's two operators have never opened a page: offline
    assert counts == {"ready": "2", "ringing": "1", "talking": "2", "in_survey": "1",
                      "dnd": "1", "offline": "4"}


def test_calls_and_surveys_today_count_the_centres_day_only(app, supervisor):
    with app.app_context():
        operator = db.session.scalar(select(User).where(User.username == "operator"))
        midnight = _kyiv_midnight()
        for minutes, answered in ((5, True), (30, False), (60, True)):
            started = ago(minutes=minutes)
            if started >= midnight:
                add_call("305", "ended", started, ended=started + dt.timedelta(seconds=40),
                         answered=started + dt.timedelta(seconds=5) if answered else None)
        add_call("305", "ended", midnight - dt.timedelta(minutes=1),
                 ended=midnight - dt.timedelta(seconds=10))  # yesterday in Kyiv
        add_survey(operator.id, SurveyStatus.COMPLETED, midnight + dt.timedelta(seconds=1),
                   finished=midnight + dt.timedelta(minutes=3))
        add_survey(operator.id, SurveyStatus.CANCELLED, midnight + dt.timedelta(seconds=2),
                   finished=midnight + dt.timedelta(minutes=3))
        add_survey(operator.id, SurveyStatus.COMPLETED, midnight - dt.timedelta(minutes=10),
                   finished=midnight - dt.timedelta(minutes=5))
        db.session.commit()
        expected = [ago(minutes=m) >= midnight for m in (5, 30, 60)]
        calls = sum(expected)
        answered = sum(e for e, a in zip(expected, (True, False, True), strict=True) if a)
        operator_id = operator.id
    text = row(supervisor.get("/floor").text, operator_id)
    assert f"{answered} / {calls} 1" in text  # one survey completed today
    # the count links to the surveys it counts: this operator's, completed, started today
    link = re.search(rf'href="(/surveys\?operator={operator_id}[^"]*)"',
                     supervisor.get("/floor").text).group(1).replace("&amp;", "&")
    assert "status=completed" in link
    listed = re.findall(r'href="/surveys/(\d+)"', supervisor.get(link).text)
    assert len(listed) == 1  # the completed one of today: not the cancelled, not yesterday's


def test_the_floor_page_knows_when_the_centres_day_ends(app, supervisor):
    """floor.js reloads the page then, for today's counts to start again."""
    html = supervisor.get("/floor").text
    ends = _kyiv_midnight() + dt.timedelta(days=1)
    assert f'data-day-ends="{ends.isoformat()}Z"' in html


def _kyiv_midnight() -> dt.datetime:
    from zoneinfo import ZoneInfo
    zone = ZoneInfo("Europe/Kyiv")
    local = dt.datetime.now(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def test_only_supervisors_and_admins_read_the_floor(app, client):
    login(client, "supervisor")
    assert 'href="/floor"' in client.get("/contacts").text
    for username in ("operator", "marketer"):
        other = app.test_client()
        login(other, username)
        assert 'href="/floor"' not in other.get("/contacts").text
        response = other.get("/floor")
        assert response.status_code == 403 and "supervisor, admin" in response.text
    admin = app.test_client()
    login(admin, "admin")
    assert admin.get("/floor").status_code == 200
    assert client.get("/floor").status_code == 200


def test_the_floor_page_opens_the_socket_that_carries_the_floor(app, supervisor):
    html = supervisor.get("/floor").text
    assert '/ws/calls?floor=1"' in html
    assert '/ws/calls"' in supervisor.get("/contacts").text


def test_the_floor_in_ukrainian(app, client):
    login(client, "supervisor")
    client.post("/language", data={"language": "uk"}, follow_redirects=False)
    html = client.get("/floor", headers={"Accept-Language": "uk"}).text
    assert "Оператори зараз" in html and "Поза мережею" in html
