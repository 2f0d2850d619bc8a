"""What a failed click-to-call tells its operator. Pure: no Flask, no database.

With Async the Originate action is accepted at once; its outcome comes later as an
OriginateResponse event. Success only means the operator's own phone answered (the
customer's busy or unknown number shows in the pop's outcome). Failure means the customer was
never dialled, and when the phone was not even reachable no channel exists, so no pop would
ever say so: this message is the operator's only news (outbound_operator_no_answer.ami).
"""
from collections.abc import Callable, Mapping

from survey_app.telephony.channels import default_is_operator, dial_endpoint

# OriginateResponse's Reason is the last control frame Asterisk saw on the operator's leg.
_WHY = {
    "1": "your phone hung up",
    "3": "your phone did not answer",
    "5": "your phone is busy",
    "8": "the PBX is congested",
}
_UNREACHABLE = "your phone could not be reached (is it switched on and registered?)"


def failure(event: Mapping[str, str],
            is_operator: Callable[[str], bool] = default_is_operator) -> tuple[str, str] | None:
    """(extension, message) for an OriginateResponse that failed on an operator's phone."""
    if event.get("Event") != "OriginateResponse" or event.get("Response") != "Failure":
        return None
    extension = dial_endpoint(event.get("Channel") or "")  # 'PJSIP/305', 'Local/305@ctx'
    if not is_operator(extension):
        return None
    why = _WHY.get(event.get("Reason", ""), _UNREACHABLE)
    number = event.get("Exten") or "the number"
    return extension, f"Click-to-call failed: {why}; {number} was not dialled."
