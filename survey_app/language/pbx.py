"""The telephony's codes in the operator's words: the PBX link's state, a failed click-to-call.
Asterisk's own texts (an error, a reason) are quoted as Asterisk sent them."""
from flask_babel import gettext as _

from survey_app.telephony.link import LinkStatus


def link_status(status: LinkStatus) -> str:
    """The PBX link as the dot's tooltip says it."""
    p = getattr(status, "params", {})
    words = {
        "not_configured": lambda: _("Telephony is not configured (no AMI_HOST)."),
        "connecting": lambda: _("connecting to %(address)s…", **p),
        "connected": lambda: _("connected to %(address)s (%(version)s)", **p),
        "lost": lambda: _("connection lost (%(reason)s); reconnecting", **p),
        "login_refused": lambda: _("the PBX refused the login (%(error)s); retrying", **p),
        "unreachable": lambda: _("cannot connect to %(address)s (%(error)s); retrying", **p),
        "stopped": lambda: _("the link is stopped"),
    }.get(getattr(status, "code", None))
    return words() if words else str(status)


def click_to_call_failure(why: str, number: str | None) -> str:
    """What a click-to-call that failed on the operator's own phone tells them."""
    reason = {
        "hung_up": lambda: _("your phone hung up"),
        "no_answer": lambda: _("your phone did not answer"),
        "busy": lambda: _("your phone is busy"),
        "congested": lambda: _("the PBX is congested"),
    }.get(why, lambda: _("your phone could not be reached (is it switched on and "
                         "registered?)"))()
    if number:
        return _("Click-to-call failed: %(reason)s; %(number)s was not dialled.",
                 reason=reason, number=number)
    return _("Click-to-call failed: %(reason)s; the number was not dialled.", reason=reason)
