"""An operator's phone is whatever extension the user has, digits or a name (agent_7): the
translator is told the users' extensions, and a changed one is learnt within seconds."""
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Call, User
from tests.helpers import csrf_from
from tests.telephony.transcripts import events


def _as_endpoint(name: str) -> list[dict]:
    """The recorded answered call to 305, as Asterisk sends it when the phone is `name`."""
    return [{key: value.replace("PJSIP/305-", f"PJSIP/{name}-") if isinstance(value, str)
             else value for key, value in event.items()}
            for event in events("inbound_answered.ami")]


def _replay(app, name: str) -> None:
    for event in _as_endpoint(name):
        app.extensions["telephony"].on_ami_event(event)


def _calls(app) -> list[tuple[str, int | None]]:
    with app.app_context():
        return [(c.extension, c.operator_id) for c in db.session.scalars(select(Call))]


def _user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def test_an_extension_named_agent_7_gets_its_pops_once_saved(app, operator):
    page = operator.get("/settings/telephony").text
    saved = operator.post("/settings/telephony", data={
        "csrf_token": csrf_from(page), "extension": "agent_7", "telephony_enabled": "y"})
    assert saved.status_code == 303
    _replay(app, "agent_7")
    assert _calls(app) == [("agent_7", _user_id(app, "operator"))]


def test_a_named_phone_nobody_has_is_not_an_operators(app):
    _replay(app, "agent_9")
    assert _calls(app) == []


def test_a_separate_bridge_reads_a_changed_extension_again(app):
    pipeline = app.extensions["telephony"]
    pipeline.operators.every = 0.0  # `flask ami-bridge` re-reads every few seconds; now at once
    _replay(app, "agent_8")
    assert _calls(app) == []  # nobody has agent_8 yet
    with app.app_context():  # another process (the web) saves the setting
        db.session.execute(db.update(User).where(User.username == "operator2")
                           .values(extension="agent_8"))
        db.session.commit()
    _replay(app, "agent_8")
    assert _calls(app) == [("agent_8", _user_id(app, "operator2"))]
