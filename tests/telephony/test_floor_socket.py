"""The floor, live over the socket: a supervisor's floor page gets every row, then the rows
that change, from a page opened or gone, Do not disturb, a call, a survey; in every process."""
import datetime as dt
import re

import pytest
from sqlalchemy import select

from survey_app import create_app
from survey_app.extensions import db
from survey_app.models import User
from survey_app.telephony.bus import RedisBus, floor_topic
from survey_app.telephony.calls import events as ev
from tests.helpers import csrf, login, sample_contact_id, start_survey
from tests.telephony.sockets import open_socket, receive_until, session_cookie

# end to end: run on PostgreSQL, the production database (tests/conftest.py)
pytestmark = pytest.mark.database("postgresql")


def floor_socket(base_url: str, cookie: str):
    url = base_url.replace("http://", "ws://") + "/ws/calls?floor=1"
    from tests.telephony.sockets import Client
    return Client.connect(url, headers={"Cookie": cookie})


def user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def state_in(frame: str, operator: int) -> str | None:
    found = re.search(rf'<tr id="floor-operator-{operator}" data-state="(\w+)"', frame)
    return found.group(1) if found else None


def row_of(operator: int, state: str):
    """A predicate: a frame with this operator's row in this state."""
    return lambda frame: state_in(frame, operator) == state


def ring(app, extension="305", kind=ev.RINGING, linkedid="1795635395.0"):
    app.extensions["telephony"].apply([ev.CallEvent(
        kind, linkedid, extension, ev.INBOUND, number="+380501234567",
        channel=f"PJSIP/{extension}-00000001", peer_channel="PJSIP/trunk-00000000")])


def test_the_floor_gets_every_row_then_each_change_as_it_happens(app, live_server):
    operator = user_id(app, "operator")
    floor = floor_socket(live_server, session_cookie(app, "supervisor"))
    try:
        first = floor.receive(timeout=15)
        assert '<tbody id="floor-rows">' in first and 'id="floor-counts"' in first
        assert state_in(first, operator) == "offline"
        page = open_socket(live_server, session_cookie(app, "operator"))  # a page opens
        try:
            frame = receive_until(floor, row_of(operator, "ready"))
            assert 'hx-swap-oob="true"' in frame and "floor-rows" not in frame

            client = app.test_client()
            login(client, "operator")
            assert client.post("/agent-state", data={"state": "dnd"},
                               headers={"X-CSRFToken": csrf(client)}).status_code == 200
            receive_until(floor, row_of(operator, "dnd"))

            ring(app)
            frame = receive_until(floor, row_of(operator, "ringing"))
            assert "+380 50 123 4567" in frame and "Уляненко Олександра" in frame
            ring(app, kind=ev.ANSWERED)
            receive_until(floor, row_of(operator, "talking"))
            ring(app, kind=ev.ENDED)
            receive_until(floor, row_of(operator, "dnd"))  # back to the state they chose

            start_survey(client, sample_contact_id(app))
            frame = receive_until(floor, row_of(operator, "in_survey"))
            assert "Survey 1" in frame
        finally:
            page.close()
    finally:
        floor.close()


def test_a_page_closed_for_a_minute_turns_offline_on_the_floor(app, live_server):
    presence = app.extensions["presence"]
    presence.beat_every, presence.offline_after = 0.2, dt.timedelta(seconds=1)
    app.config["PRESENCE_OFFLINE_SECONDS"] = 1
    operator = user_id(app, "operator")
    floor = floor_socket(live_server, session_cookie(app, "supervisor"))
    try:
        floor.receive(timeout=15)
        page = open_socket(live_server, session_cookie(app, "operator"))
        receive_until(floor, row_of(operator, "ready"))
        page.close()
        # the supervisor's own socket beats: the sweep finds the operator unstamped
        receive_until(floor, row_of(operator, "offline"))
        with app.app_context():
            stored = db.session.get(User, operator)
            assert stored.online_since is None and stored.page_seen_at is not None
    finally:
        floor.close()


def test_another_operators_page_that_asks_for_the_floor_gets_none(app, live_server):
    page = floor_socket(live_server, session_cookie(app, "operator2"))
    try:
        first = page.receive(timeout=15)
        assert "floor-rows" not in first and 'id="call-pops"' in first
        ring(app)  # 305 rings: nothing for 306's page
        assert page.receive(timeout=0.5) is None
    finally:
        page.close()


def test_rows_reach_a_floor_held_by_another_process_through_redis(app, redis_url, live_server):
    """`app` serves the supervisor's floor; a second app (another process) records a call.
    It renders no row until a floor is open somewhere: Redis marks the listened topic."""
    app.extensions["telephony"].bus = RedisBus(redis_url)
    other = create_app({**app.config, "REDIS_URL": redis_url})
    other_bus = other.extensions["telephony"].bus
    operator = user_id(app, "operator")
    assert not other_bus.listened(floor_topic("en"))
    floor = floor_socket(live_server, session_cookie(app, "supervisor"))
    try:
        floor.receive(timeout=15)
        assert other_bus.listened(floor_topic("en"))
        assert not other_bus.listened(floor_topic("uk"))  # no floor page in Ukrainian
        ring(other)
        frame = receive_until(floor, row_of(operator, "ringing"))
        assert "+380 50 123 4567" in frame
    finally:
        floor.close()
        app.extensions["telephony"].bus.close()
        other_bus.close()


def test_an_operator_made_or_disabled_by_an_admin_comes_and_goes_on_the_open_floor(
        app, live_server):
    """The floor is every operator: a new one, or one disabled, changes the table itself,
    which the open page gets whole (a row swapped by its id reaches only rows it has)."""
    admin = app.test_client()
    login(admin, "admin")
    floor = floor_socket(live_server, session_cookie(app, "supervisor"))
    try:
        assert "Іванна Гнатюк" not in floor.receive(timeout=15)
        assert admin.post("/users/new", data={
            "username": "ivanna", "full_name": "Іванна Гнатюк", "roles": ["operator"],
            "extension": "410", "password": "Correct-horse-7", "password_again":
            "Correct-horse-7", "csrf_token": csrf(admin)}).status_code == 303
        ivanna = user_id(app, "ivanna")
        frame = receive_until(floor, row_of(ivanna, "offline"))
        assert frame.count('<tbody id="floor-rows">') == 1 and 'id="floor-counts"' in frame
        assert state_in(frame, user_id(app, "operator")) == "offline"  # the others stay
        assert admin.post(f"/users/{ivanna}/disable",
                          data={"csrf_token": csrf(admin)}).status_code == 303
        frame = receive_until(floor, lambda f: 'id="floor-rows"' in f and "Гнатюк" not in f)
        assert state_in(frame, user_id(app, "operator")) == "offline"
    finally:
        floor.close()


def test_a_survey_left_without_a_step_leaves_the_row_by_itself(app, live_server):
    """An operator who stops stepping is shown in the survey for SURVEY_WITHIN (30 minutes),
    then as they are: no event says so, so the presence beat looks for such surveys."""
    from survey_app.models import CustomerSurvey
    from survey_app.models.surveys import utcnow
    from survey_app.supervision.floor import SURVEY_WITHIN
    app.extensions["presence"].beat_every = 0.2
    operator = user_id(app, "operator")
    floor = floor_socket(live_server, session_cookie(app, "supervisor"))
    try:
        floor.receive(timeout=15)
        page = open_socket(live_server, session_cookie(app, "operator"))
        try:
            client = app.test_client()
            login(client, "operator")
            start_survey(client, sample_contact_id(app))
            receive_until(floor, row_of(operator, "in_survey"))
            with app.app_context():  # its last step half an hour ago, bar half a second
                survey = db.session.scalar(select(CustomerSurvey))
                survey.current_shown_at = utcnow() - SURVEY_WITHIN + dt.timedelta(seconds=0.5)
                db.session.commit()
            receive_until(floor, row_of(operator, "ready"))
        finally:
            page.close()
    finally:
        floor.close()
