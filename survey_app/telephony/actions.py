"""Call control from the app: click-to-call, hang up, hold (park), blind and attended transfer.

Hold parks the external party (res_parking): it works whatever the desk phone is, the
parked call can be picked up from any phone (the CRM's own connector does the same), and
Asterisk returns it to the operator when the parking time runs out. Music on hold from the
phone's own Hold key keeps working beside it and shows as "On hold" too.
"""
from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from survey_app.contacts.phones import to_e164
from survey_app.telephony import bp
from survey_app.telephony.routes import _own_call, telephony


def _bridge():
    """The logged-in AMI bridge, or None while the link is down."""
    bridge = telephony().bridge
    if bridge is None or not bridge.connected:
        return None
    return bridge


def _result(message: str, status: int = 200):
    return render_template("telephony/_action_result.html", message=message,
                           ok=status < 400), status


def _run(action, done: str):
    """Send an AMI action; Asterisk's refusal or a down link is shown, never a 500."""
    bridge = _bridge()  # once: the link may drop between two looks
    if bridge is None:
        return _result(_("The link to the PBX is down; nothing was sent. Try again shortly."),
                       503)
    try:
        action(bridge)
    except Exception as error:  # AmiError, AmiTimeout, AmiConnectionError: all say why
        return _result(_("The PBX refused: %(error)s", error=error), 502)
    return _result(done)


@bp.post("/calls/originate")
@login_required
def originate():
    """Click-to-call: the operator's phone rings first, then Asterisk dials the number."""
    number = request.form.get("number", "")
    e164 = to_e164(number, current_app.config["PHONE_REGION"])
    if e164 is None:
        return _result(_("“%(number)s” is not a valid phone number; nothing was dialled.",
                         number=number), 422)
    if not current_user.telephony_on:
        return _result(_("Set your extension in the telephony settings first."), 409)
    context = current_user.outgoing_context or current_app.config["AMI_CONTEXT"]
    extension = current_user.extension
    return _run(lambda bridge: bridge.originate(
        f"PJSIP/{extension}", e164, context, caller_id=f'"CRM" <{e164}>',
        variables={"CRM_OPERATOR": extension}),
        _("Calling %(number)s: your phone rings first.", number=e164))


@bp.post("/calls/<int:call_id>/hangup")
@login_required
def hangup(call_id: int):
    call = _own_call(call_id)
    if call.parking_space:  # the operator's own leg ended when the caller was parked
        return _run(lambda bridge: bridge.hangup(call.peer_channel),
                    _("The parked caller was hung up."))
    return _run(lambda bridge: bridge.hangup(call.channel), _("Hung up."))


@bp.post("/calls/<int:call_id>/hold")
@login_required
def hold(call_id: int):
    call = _own_call(call_id)
    return _run(lambda bridge: bridge.park(call.peer_channel, announce_channel=call.channel),
                _("The caller is parked: Take back in the pop (or dial the parking space "
                  "from any phone) brings them back."))


@bp.post("/calls/<int:call_id>/take-back")
@login_required
def take_back(call_id: int):
    """The parked caller back to the operator: their phone rings, then dials the space."""
    call = _own_call(call_id)
    if call.state != "held" or not call.parking_space:
        return _result(_("This call is not parked; take it back on your phone."), 409)
    return _run(lambda bridge: bridge.originate(
        f"PJSIP/{call.extension}", call.parking_space, _config("AMI_PARKING_CONTEXT"),
        caller_id=f'"Parked" <{call.parking_space}>'),
        _("Your phone rings: answer it to take the caller back from %(space)s.",
          space=call.parking_space))


@bp.post("/calls/<int:call_id>/transfer")
@login_required
def transfer(call_id: int):
    """Blind transfer: the caller goes straight to the target."""
    return _transfer(call_id, lambda bridge, call, target, context: (
        bridge.redirect(call.peer_channel, target, context)),
        lambda target: _("Transferred to %(target)s.", target=target))


@bp.post("/calls/<int:call_id>/consult")
@login_required
def consult(call_id: int):
    """Attended transfer: the operator talks to the target first, then hangs up to hand over."""
    return _transfer(call_id, lambda bridge, call, target, context: (
        bridge.atxfer(call.channel, target, context)),
        lambda target: _("Calling %(target)s while the caller hears music: hang up to hand the "
                         "call over; if they do not answer you are back with the caller.",
                         target=target))


def _transfer(call_id: int, send, done):
    """Both transfers: the operator's own call, a valid target, the transfer context."""
    call = _own_call(call_id)
    target = request.form.get("target", "").strip()
    # an extension or a phone number; anything else (CR/LF, letters) is refused
    if not target or not target.replace("+", "", 1).isdigit() or len(target) > 20:
        return _result(_("Give an extension or a phone number to transfer the call to."), 422)
    context = _config("AMI_TRANSFER_CONTEXT")
    return _run(lambda bridge: send(bridge, call, target, context), done(target))


def _config(key: str) -> str:
    return current_app.config[key]
