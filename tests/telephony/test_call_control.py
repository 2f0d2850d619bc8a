"""Call control through the real bridge against the replaying peer: what is sent, and what
the operator is told, including Asterisk's refusals and a link that is down."""
import re

import pytest
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Call
from survey_app.telephony.calls import events as ev
from tests.helpers import csrf, login
from tests.telephony.ami_peer import AmiPeer, wait_until
from tests.telephony.served import free_port

# end to end: run on PostgreSQL, the production database (tests/conftest.py)
pytestmark = pytest.mark.database("postgresql")

REFUSAL = b"Response: Error\r\nMessage: No such channel\r\n\r\n"


def _post(client, url, **data):
    return client.post(url, data=data, headers={"HX-Request": "true",
                                                "X-CSRFToken": csrf(client)})


def _talking_call(app, extension="305"):
    app.extensions["telephony"].apply([
        ev.CallEvent(ev.RINGING, "1795635395.0", extension, ev.INBOUND, number="+380501234567",
                     channel=f"PJSIP/{extension}-00000001",
                     peer_channel="PJSIP/trunk-00000000"),
        ev.CallEvent(ev.ANSWERED, "1795635395.0", extension, ev.INBOUND)])
    return 1


def test_click_to_call_rings_the_operators_phone_then_dials(app, operator, pbx):
    peer = pbx()
    response = _post(operator, "/calls/originate", number="093 111 22 33")
    assert response.status_code == 200 and "Calling +380931112233" in response.text
    [sent] = peer.actions_named("Originate")
    assert (sent["Channel"], sent["Exten"], sent["Context"], sent["Async"]) == \
        ("PJSIP/305", "+380931112233", "from-crm", "yes")


def test_click_to_call_to_an_invalid_number_sends_nothing(app, operator, pbx):
    peer = pbx()
    response = _post(operator, "/calls/originate", number="12-ab")
    assert response.status_code == 422 and "not a valid phone number" in response.text
    assert peer.actions_named("Originate") == []


def test_actions_without_a_pbx_configured_say_telephony_is_not_set_up(app, operator):
    response = _post(operator, "/calls/originate", number="0931112233")
    assert response.status_code == 503 and "Telephony is not set up" in response.text
    assert "Try again" not in response.text


def test_actions_with_the_pbx_link_down_say_so(app, operator):
    app.config.update(AMI_HOST="127.0.0.1", AMI_PORT=free_port(), AMI_USERNAME="crm",
                      AMI_SECRET="crmsecret")  # nobody listens there
    app.extensions["telephony"].start_bridge()
    try:
        response = _post(operator, "/calls/originate", number="0931112233")
        assert response.status_code == 503 and "link to the PBX is down" in response.text
    finally:
        app.extensions["telephony"].stop()


def test_hangup_hold_and_transfer_act_on_the_right_channels(app, operator, pbx):
    peer = pbx()
    call = _talking_call(app)
    assert _post(operator, f"/calls/{call}/hangup").status_code == 200
    assert _post(operator, f"/calls/{call}/hold").status_code == 200
    assert _post(operator, f"/calls/{call}/transfer", target="306").status_code == 200
    assert peer.actions_named("Hangup")[0]["Channel"] == "PJSIP/305-00000001"
    assert peer.actions_named("Park")[0]["Channel"] == "PJSIP/trunk-00000000"
    redirect = peer.actions_named("Redirect")[0]
    assert (redirect["Channel"], redirect["Exten"]) == ("PJSIP/trunk-00000000", "306")


def test_a_refused_action_is_shown_with_asterisks_words(app, operator, pbx):
    pbx(replies={"Hangup": REFUSAL})
    response = _post(operator, f"/calls/{_talking_call(app)}/hangup")
    assert response.status_code == 502 and "No such channel" in response.text


def test_an_operator_cannot_act_on_another_operators_call(app, client, pbx):
    peer = pbx()
    call = _talking_call(app, extension="305")
    login(client, "operator2")
    for action in ("hangup", "hold", "transfer", "consult"):
        assert _post(client, f"/calls/{call}/{action}", target="307").status_code == 403
    assert [a.name for a in peer.actions if a.name not in ("Login", "CoreShowChannels")] == []


def test_a_transfer_needs_a_target(app, operator, pbx):
    pbx()
    response = _post(operator, f"/calls/{_talking_call(app)}/transfer", target="x\r\nAction")
    assert response.status_code == 422


def test_a_web_process_beside_the_bridge_logs_in_for_actions_only(app):
    """AMI_BRIDGE_IN_WEB=0: `flask ami-bridge` has the events; the web process still needs a
    session for its operators' actions, with events off and no resync of its own."""
    from survey_app import create_app
    peer = AmiPeer("operator_registration.ami")
    web = create_app({"TESTING": False, "SECRET_KEY": "x", "DEFAULT_LANGUAGE": "en",
                      "AMI_HOST": "127.0.0.1",
                      "AMI_PORT": peer.port, "AMI_USERNAME": "crm", "AMI_SECRET": "crmsecret",
                      "AMI_BRIDGE_IN_WEB": False,
                      "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    try:
        web.test_client().get("/login")  # the first request starts the session
        assert wait_until(lambda: web.extensions["telephony"].bridge.connected)
        [login_action] = peer.actions_named("Login")
        assert login_action["Events"] == "off"
        client = web.test_client()
        login(client, "operator")
        response = _post(client, "/calls/originate", number="0931112233")
        assert response.status_code == 200 and "Calling +380931112233" in response.text
        assert [a["Channel"] for a in peer.actions_named("Originate")] == ["PJSIP/305"]
        assert peer.actions_named("CoreShowChannels") == []
    finally:
        web.extensions["telephony"].stop()
        peer.close()


def test_consult_first_asks_asterisk_for_an_attended_transfer_from_the_operators_channel(
        app, operator, pbx):
    peer = pbx()
    call = _talking_call(app)
    pop = app.extensions["telephony"].pops_html("305")
    assert "Consult first" in pop and f"/calls/{call}/consult" in pop
    response = _post(operator, f"/calls/{call}/consult", target="306")
    assert response.status_code == 200 and "hang up to hand the call over" in response.text
    [sent] = peer.actions_named("Atxfer")
    assert (sent["Channel"], sent["Exten"], sent["Context"]) == \
        ("PJSIP/305-00000001", "306", "from-internal")
    assert _post(operator, f"/calls/{call}/consult", target="").status_code == 422


def test_consult_first_shows_asterisks_refusal(app, operator, pbx):
    pbx(replies={"Atxfer": b"Response: Error\r\nMessage: No attended transfer feature code "
                           b"found\r\n\r\n"})
    response = _post(operator, f"/calls/{_talking_call(app)}/consult", target="306")
    assert response.status_code == 502
    assert "The PBX refused: No attended transfer feature code found" in response.text


def _parked_call(app) -> int:
    """park_and_retrieve.ami fed to the pipeline up to the moment the caller is parked."""
    from survey_app.telephony.calls.translator import Translator
    from tests.telephony.transcripts import events
    translator = Translator()  # not the pipeline's: the bridge's resync must not end it
    for raw in events("park_and_retrieve.ami"):
        app.extensions["telephony"].apply(translator.feed(raw))
        if raw["Event"] == "ParkedCall":
            break
    with app.app_context():
        [call] = db.session.scalars(select(Call)).all()
        assert (call.state, call.parking_space) == ("held", "701")
        return call.id


def test_a_parked_call_is_taken_back_by_ringing_the_operator_into_its_space(
        app, operator, pbx):
    peer = pbx()
    call = _parked_call(app)
    pop = app.extensions["telephony"].pops_html("305")
    assert "Take back" in pop and "parked on 701" in pop and ">Hold<" not in pop
    response = _post(operator, f"/calls/{call}/take-back")
    assert response.status_code == 200 and "take the caller back from 701" in response.text
    [sent] = peer.actions_named("Originate")
    assert (sent["Channel"], sent["Exten"], sent["Context"]) == ("PJSIP/305", "701", "parkedcalls")
    # hanging up a parked call ends the caller's channel: the operator's own one is gone
    assert _post(operator, f"/calls/{call}/hangup").status_code == 200
    assert peer.actions_named("Hangup")[0]["Channel"] == "PJSIP/trunk-00000016"


def test_take_back_is_refused_for_a_call_that_is_not_parked(app, operator, pbx):
    peer = pbx()
    response = _post(operator, f"/calls/{_talking_call(app)}/take-back")
    assert response.status_code == 409 and "not parked" in response.text
    assert peer.actions_named("Originate") == []


def test_a_missed_call_offers_call_back_which_dials_the_caller(app, operator, pbx):
    peer = pbx()
    pipeline = app.extensions["telephony"]
    pipeline.apply([ev.CallEvent(ev.RINGING, "7.1", "305", ev.INBOUND, number="0442223344"),
                    ev.CallEvent(ev.ENDED, "7.1", "305", ev.INBOUND, outcome="cancelled")])
    _talking_call(app)  # answered: no call back offered for it
    pops = pipeline.pops_html("305")
    assert pops.count("Call back") == 1 and "Missed call." in pops
    form = re.search(r'<form class="pop-actions" hx-post="([^"]+)".*?name="number" value="([^"]+)"',
                     pops, re.S)
    response = _post(operator, form.group(1), number=form.group(2))
    assert response.status_code == 200 and "Calling +380442223344" in response.text
    assert peer.actions_named("Originate")[0]["Exten"] == "+380442223344"
