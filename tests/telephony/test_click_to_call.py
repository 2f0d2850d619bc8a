"""A click-to-call that fails on the operator's own phone: the only news is OriginateResponse,
and the operator is told why, on their socket, from the recorded bytes."""
import pytest

from survey_app.telephony.calls.click_to_call import failure
from tests.helpers import csrf, login
from tests.telephony.sockets import open_socket, receive_until, session_cookie
from tests.telephony.transcripts import events

# end to end: run on PostgreSQL, the production database (tests/conftest.py)
pytestmark = pytest.mark.database("postgresql")


def _originate_response(name):
    [event] = [e for e in events(name) if e.get("Event") == "OriginateResponse"]
    return event


def test_the_operators_phone_not_answering_is_told_with_the_number():
    event = _originate_response("outbound_operator_no_answer.ami")
    assert failure(event) == ("305", "no_answer", "+380931112233")


@pytest.mark.parametrize("name", ["outbound_click_to_call.ami", "outbound_busy_or_failed.ami",
                                  "outbound_click_to_call_local.ami"])
def test_a_successful_originate_needs_no_message(name):
    # Success: the phone answered; a busy or unknown customer shows in the pop's outcome
    assert failure(_originate_response(name)) is None


@pytest.mark.parametrize(("changes", "expected"), [
    ({"Reason": "5"}, ("305", "busy", "+380931112233")),
    ({"Reason": "0", "Channel": "Local/305@from-internal"},
     ("305", "unreachable", "+380931112233")),
    ({"Reason": "1", "Exten": ""}, ("305", "hung_up", None)),
    ({"Channel": "PJSIP/trunk"}, None),  # not an operator's phone
    ({"Channel": ""}, None),
    ({"Event": "Hangup"}, None),
])
def test_reasons_and_channels(changes, expected):
    told = failure({**_originate_response("outbound_operator_no_answer.ami"), **changes})
    assert told == expected


def test_the_failure_reaches_the_operators_socket_after_click_to_call(app, live_server, pbx):
    ws = open_socket(live_server, session_cookie(app, "operator"))
    ws.receive(timeout=5)
    pbx("outbound_operator_no_answer.ami")
    try:
        client = app.test_client()
        login(client, "operator")
        receive_until(ws, lambda f: "pbx-status" in f and "connected" in f.lower())
        sent = client.post("/calls/originate", data={"number": "+380931112233"},
                           headers={"HX-Request": "true", "X-CSRFToken": csrf(client)})
        assert "Calling +380931112233" in sent.text
        frame = receive_until(ws, lambda f: "Click-to-call failed" in f)
        assert 'id="call-action-result"' in frame
        assert "your phone did not answer; +380931112233 was not dialled" in frame
    finally:
        ws.close()
