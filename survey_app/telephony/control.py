"""Call control as a service: click-to-call, hang up, hold (park) and take back, blind and
attended transfer, pause in the queues. It takes users' extensions and call rows, not a
request, so the routes and the outbound dialler use the same code.

Hold parks the external party (res_parking): it works whatever the desk phone is, the
parked call can be picked up from any phone (the CRM's own connector does the same), and
Asterisk returns it to the operator when the parking time runs out. Music on hold from the
phone's own Hold key keeps working beside it and shows as "On hold" too.

Every method raises NotSetUp (no PBX configured), LinkDown (configured, not logged in now)
or AmiError (Asterisk refused, or did not answer in time); nothing is sent in the first two.
"""
from collections.abc import Mapping

from survey_app.models import Call
from survey_app.telephony.calls.channels import dial_string


class NotSetUp(Exception):
    """This server has no PBX configured (AMI_HOST): call control cannot work here."""


class LinkDown(Exception):
    """A PBX is configured but the link to it is down right now."""


class CallControl:
    """One per app, beside the pipeline whose AMI bridge it sends through."""

    def __init__(self, pipeline, config: Mapping):
        self.pipeline = pipeline
        self.technology = config["CHANNEL_TECHNOLOGY"]
        self.contexts = {key: config[f"AMI_{key.upper()}_CONTEXT"]
                         for key in ("transfer", "parking")} | {"outgoing": config["AMI_CONTEXT"]}

    @property
    def set_up(self) -> bool:
        """A PBX is configured: call control is offered (it may still fail while the link is
        down)."""
        return self.pipeline.bridge is not None

    def phone(self, extension: str) -> str:
        return dial_string(self.technology, extension)

    def call_out(self, extension: str, e164: str, context: str | None = None) -> None:
        """The operator's phone rings first; when answered, Asterisk dials the number."""
        self._bridge().originate(self.phone(extension), e164, context or self.contexts["outgoing"],
                                 caller_id=f'"CRM" <{e164}>',
                                 variables={"CRM_OPERATOR": extension})

    def hang_up(self, call: Call) -> None:
        # once the caller is parked the operator's own leg has ended: hang up the caller
        self._bridge().hangup(call.peer_channel if call.parking_space else call.channel)

    def park(self, call: Call) -> None:
        self._bridge().park(call.peer_channel, announce_channel=call.channel)

    def take_back(self, call: Call) -> None:
        """The operator's phone rings, then dials the parking space."""
        self._bridge().originate(self.phone(call.extension), call.parking_space,
                                 self.contexts["parking"],
                                 caller_id=f'"Parked" <{call.parking_space}>')

    def transfer(self, call: Call, target: str) -> None:
        """Blind: the caller goes straight to the target."""
        self._bridge().redirect(call.peer_channel, target, self.contexts["transfer"])

    def consult(self, call: Call, target: str) -> None:
        """Attended: the operator talks to the target first, then hangs up to hand over."""
        self._bridge().atxfer(call.channel, target, self.contexts["transfer"])

    def pause(self, extension: str, paused: bool) -> None:
        """Do not disturb: the operator's phone is paused in every queue it is a member of."""
        self._bridge().queue_pause(self.phone(extension), paused=paused,
                                   reason="Do not disturb" if paused else "")

    def _bridge(self):
        bridge = self.pipeline.bridge  # read once: the link may drop between two looks
        if bridge is None:
            raise NotSetUp
        if not bridge.connected:
            raise LinkDown
        return bridge
