"""The inputs of the call buttons, the agent state and training, each checked by a form."""
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from survey_app.forms import ActionForm, PhoneNumber
from survey_app.language.words import AGENT_STATES


class ClickToCallForm(ActionForm):
    number = StringField(validators=[
        DataRequired(_l("Give the number to call.")),
        PhoneNumber(_l("“%(number)s” is not a valid phone number; nothing was dialled."))])


class TransferForm(ActionForm):
    """An extension or a phone number; anything else (CR/LF, letters) never reaches the PBX."""

    target = StringField(filters=[lambda value: value.strip() if value else value], validators=[
        DataRequired(_l("Give an extension or a phone number to transfer the call to.")),
        Length(max=20, message=_l("Give an extension or a phone number to transfer the call "
                                  "to.")),
        Regexp(r"^\+?[0-9]+$", message=_l("Give an extension or a phone number to transfer "
                                          "the call to."))])


class AgentStateForm(ActionForm):
    state = RadioField(choices=list(AGENT_STATES), validate_choice=True, validators=[
        DataRequired(_l("This state is not one of Ready or Do not disturb; nothing was "
                        "changed."))])

    def first_error(self) -> str:  # "Not a valid choice" says less than this
        return str(_l("This state is not one of Ready or Do not disturb; nothing was changed."))


class SimulatedCallForm(ActionForm):
    """Training: the caller's number (empty: withheld), by the same rules as everywhere."""

    extension = StringField(validators=[DataRequired(_l("Choose the operator to ring."))])
    number = StringField(validators=[Optional(), Length(max=40), PhoneNumber()])
