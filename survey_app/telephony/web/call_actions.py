"""The pop's and the card's call buttons: each asks the call control service and says how it
went in #call-action-result (the toast), in the operator's words."""
from flask import current_app, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from survey_app.telephony.ami.wire import AmiError
from survey_app.telephony.control import LinkDown, NotSetUp
from survey_app.telephony.web import bp
from survey_app.telephony.web.forms import ClickToCallForm, TransferForm
from survey_app.telephony.web.socket import own_call


def control():
    return current_app.extensions["call_control"]


def result(message: str, status: int = 200):
    return render_template("telephony/_action_result.html", message=message,
                           ok=status < 400), status


def run(action, done: str):
    """Ask the service; a PBX that is not set up, a link that is down or Asterisk's refusal
    is told as it is, never a 500."""
    try:
        action(control())
    except NotSetUp:
        return result(_("Telephony is not set up on this server (no PBX is configured); "
                        "nothing was sent."), 503)
    except LinkDown:
        return result(_("The link to the PBX is down; nothing was sent. Try again shortly."),
                      503)
    except AmiError as error:  # Asterisk said no, or did not answer in time: it says why
        return result(_("The PBX refused: %(error)s", error=error), 502)
    return result(done)


@bp.post("/calls/originate")
@login_required
def originate():
    """Click-to-call: the operator's phone rings first, then Asterisk dials the number."""
    form = ClickToCallForm()
    if not form.validate_on_submit():
        return result(form.first_error(), 422)
    if not current_user.telephony_on:
        return result(_("Set your extension in the telephony settings first."), 409)
    e164, extension = form.e164, current_user.extension
    return run(lambda c: c.call_out(extension, e164, current_user.outgoing_context),
               _("Calling %(number)s: your phone rings first.", number=e164))


@bp.post("/calls/<int:call_id>/hangup")
@login_required
def hangup(call_id: int):
    call = own_call(call_id)
    done = _("The parked caller was hung up.") if call.parking_space else _("Hung up.")
    return run(lambda c: c.hang_up(call), done)


@bp.post("/calls/<int:call_id>/hold")
@login_required
def hold(call_id: int):
    call = own_call(call_id)
    return run(lambda c: c.park(call),
               _("The caller is parked: Take back in the pop (or dial the parking space "
                 "from any phone) brings them back."))


@bp.post("/calls/<int:call_id>/take-back")
@login_required
def take_back(call_id: int):
    """The parked caller back to the operator: their phone rings, then dials the space."""
    call = own_call(call_id)
    if not call.parking_space:
        return result(_("This call is not parked; take it back on your phone."), 409)
    return run(lambda c: c.take_back(call),
               _("Your phone rings: answer it to take the caller back from %(space)s.",
                 space=call.parking_space))


@bp.post("/calls/<int:call_id>/transfer")
@login_required
def transfer(call_id: int):
    """Blind transfer: the caller goes straight to the target."""
    return _to_target(call_id, lambda c, call, target: c.transfer(call, target),
                      lambda target: _("Transferred to %(target)s.", target=target))


@bp.post("/calls/<int:call_id>/consult")
@login_required
def consult(call_id: int):
    """Attended transfer: the operator talks to the target first, then hangs up to hand over."""
    return _to_target(call_id, lambda c, call, target: c.consult(call, target),
                      lambda target: _("Calling %(target)s while the caller hears music: hang "
                                       "up to hand the call over; if they do not answer you "
                                       "are back with the caller.", target=target))


def _to_target(call_id: int, act, done):
    """Both transfers: the operator's own call, and a target the form accepts."""
    call, form = own_call(call_id), TransferForm()
    if not form.validate_on_submit():
        return result(form.first_error(), 422)
    target = form.target.data
    return run(lambda c: act(c, call, target), done(target))
