"""The Surveys list's filters and sort order (survey_app.forms.FilterForm)."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import NumberRange, Optional

from survey_app.extensions import db
from survey_app.forms import DayField, FilterForm, optional_int
from survey_app.language.words import SURVEY_STATUSES
from survey_app.models import Campaign, Questionnaire, SurveyStatus, User

STALE = "stale"  # in progress and stale: a status of the filter, not of the database
# the list's columns that sort it; "-" in front sorts the other way; times and scores sort
# newest, longest, highest first at the first click, names from A
SORTS = ("started", "duration", "contact", "operator", "questionnaire", "status", "score")
DESCENDING_FIRST = ("started", "duration", "score")
DEFAULT_SORT = "-started"


class SurveyFilterForm(FilterForm):
    campaign = SelectField(_l("Campaign"), coerce=optional_int, validate_choice=True)
    questionnaire = SelectField(_l("Questionnaire"), default="", validate_choice=True)
    version = IntegerField(_l("Version"), validators=[
        Optional(), NumberRange(min=1, message=_l("A version is a number from 1."))])
    operator = SelectField(_l("Operator"), coerce=optional_int, validate_choice=True)
    status = SelectField(_l("Status"), default="", choices=lambda: [("", _("Any"))] + [
        (s.value, str(SURVEY_STATUSES[s.value])) for s in SurveyStatus] + [
        (STALE, _("Stale (in progress, no step for long)"))])
    reviewed = SelectField(_l("Review"), default="", choices=lambda: [
        ("", _("Any")), ("yes", _("Reviewed")), ("no", _("Not reviewed"))])
    date_from = DayField(_l("From"), name="from")
    date_to = DayField(_l("To"), name="to")
    contact = StringField(_l("Contact"), filters=[lambda text: (text or "").strip()[:100]])
    sort = SelectField(default=DEFAULT_SORT, choices=[
        order + name for name in SORTS for order in ("", "-")])
    page = IntegerField(default=1, validators=[Optional(), NumberRange(min=1)])

    def __init__(self, formdata, operators: list[User]):
        super().__init__(formdata=formdata)
        self.campaign.choices = [("", _("All"))] + [
            (c.id, c.name) for c in db.session.scalars(select(Campaign)
                                                        .order_by(Campaign.sort_name))]
        self.questionnaire.choices = [("", _("All"))] + _questionnaire_choices()
        self.operator.choices = [("", _("All"))] + [(o.id, o.full_name) for o in operators]

    def validate(self, extra_validators=None) -> bool:
        good = super().validate(extra_validators)
        if self.version.data and not self.version.errors:
            if not self.questionnaire.data:
                self.version.errors.append(_("Choose the questionnaire whose version to show."))
                good = False
            elif not self.questionnaire.errors and not _has_version(self.questionnaire.data,
                                                                     self.version.data):
                self.version.errors.append(_("This questionnaire has no version %(version)s.",
                                             version=self.version.data))
                good = False
        return good


def _has_version(key: str, version: int) -> bool:
    return db.session.scalar(select(Questionnaire.id).where(
        Questionnaire.key == key, Questionnaire.version == version)) is not None


def _questionnaire_choices() -> list[tuple[str, str]]:
    """One choice per questionnaire (all its versions share the key), named as its newest
    version is; archived ones too, since their surveys stay."""
    rows = db.session.execute(select(Questionnaire.key, Questionnaire.name,
                                     Questionnaire.sort_name)
                              .order_by(Questionnaire.key, Questionnaire.version.desc())).all()
    newest = {}
    for key, name, sort_name in rows:
        newest.setdefault(key, (sort_name, name))
    by_name = sorted(newest.items(), key=lambda item: item[1][0])
    return [(key, name) for key, (_sort_name, name) in by_name]
