"""What the translator holds between events, for tests of its state machine: the app reads
calls in progress from the database (the call log), never from the translator."""
from survey_app.telephony.calls import events as ev
from survey_app.telephony.calls.translator import Translator


def calls_in_progress(translator: Translator, extension: str | None = None,
                      ) -> list[ev.CallEvent]:
    """The latest event of each leg the translator still follows."""
    return [leg.last for call in translator._calls.values() for leg in call.legs.values()
            if leg.last is not None and extension in (None, leg.extension)]
