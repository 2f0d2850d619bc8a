"""The Calls section's filters (survey_app.forms.FilterForm)."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from survey_app.forms import DayField, FilterForm, optional_int
from survey_app.language.words import DIRECTIONS, OUTCOMES
from survey_app.telephony.calls.events import Direction, Outcome


class CallFilterForm(FilterForm):
    operator = SelectField(_l("Operator"), coerce=optional_int, validate_choice=True)
    direction = SelectField(_l("Direction"), default="", choices=lambda: [
        ("", _("Both"))] + [(d.value, DIRECTIONS[d.value]) for d in Direction])
    outcome = SelectField(_l("Outcome"), default="", choices=lambda: [
        ("", _("Any"))] + [(o.value, OUTCOMES[o.value]) for o in Outcome])
    date_from = DayField(_l("From"), name="from")
    date_to = DayField(_l("To"), name="to")
    page = IntegerField(default=1, validators=[Optional(), NumberRange(min=1)])

    def __init__(self, formdata, operators):
        super().__init__(formdata=formdata)
        self.operator.choices = [("", _("All"))] + [(o.id, o.full_name) for o in operators]
