"""What a failed click-to-call tells its operator. Pure: no Flask, no database.

With Async the Originate action is accepted at once; its outcome comes later as an
OriginateResponse event. Success only means the operator's own phone answered (the
customer's busy or unknown number shows in the pop's outcome). Failure means the customer was
never dialled, and when the phone was not even reachable no channel exists, so no pop would
ever say so: this message is the operator's only news (outbound_operator_no_answer.ami).
"""
from collections.abc import Callable, Mapping

from survey_app.telephony.calls.channels import default_is_operator, dial_endpoint

# OriginateResponse's Reason is the last control frame Asterisk saw on the operator's leg.
_WHY = {"1": "hung_up", "3": "no_answer", "5": "busy", "8": "congested"}
UNREACHABLE = "unreachable"


def failure(event: Mapping[str, str], is_operator: Callable[[str], bool] = default_is_operator,
            ) -> tuple[str, str, str | None] | None:
    """(extension, why, number) for an OriginateResponse that failed on an operator's phone;
    why is hung_up, no_answer, busy, congested or unreachable."""
    if event.get("Event") != "OriginateResponse" or event.get("Response") != "Failure":
        return None
    extension = dial_endpoint(event.get("Channel") or "")  # 'PJSIP/305', 'Local/305@ctx'
    if not is_operator(extension):
        return None
    return extension, _WHY.get(event.get("Reason", ""), UNREACHABLE), event.get("Exten") or None
