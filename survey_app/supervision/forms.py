"""The Calls section's filters: a GET form, each field checked; a bad one filters nothing and
says why beside the others that still apply."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from survey_app.forms import DayField, Form, optional_int
from survey_app.language.words import DIRECTIONS, OUTCOMES
from survey_app.telephony.calls.events import Direction, Outcome


class CallFilterForm(Form):
    class Meta:
        csrf = False  # a GET form: a search changes nothing

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
        self.operator.choices = [(None, _("All"))] + [(o.id, o.full_name) for o in operators]

    def valid(self, name: str):
        """A field's value when it is good, else None: one bad filter leaves the others."""
        field = self[name]
        return None if field.errors or field.data in ("", None) else field.data
