"""The editor's forms: a campaign, a new questionnaire; the question form is in question_form."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from survey_app.authoring import service
from survey_app.extensions import db
from survey_app.forms import Form, optional_int
from survey_app.models import Campaign

NAME_TAKEN = _l("A campaign with this name already exists.")


class CampaignForm(Form):
    """A new campaign's name, or a new name for one (campaign_id set)."""

    name = StringField(_l("Campaign name"), validators=[DataRequired(), Length(max=200)])
    campaign_id: int | None = None

    def validate_name(self, field) -> None:
        taken = db.session.scalar(select(Campaign.id).where(
            Campaign.name == field.data.strip()))
        if taken is not None and taken != self.campaign_id:
            raise ValidationError(NAME_TAKEN)


class QuestionnaireForm(Form):
    """A new questionnaire, or a draft's name and description (key set)."""

    campaign_id = SelectField(_l("Campaign"), coerce=optional_int,
                              validators=[DataRequired(_l("Choose a campaign."))])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])
    revision = HiddenField()  # the draft's revision the form was opened on
    key: str | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign_id.choices = [(None, "")] + [
            (c.id, c.name) for c in db.session.scalars(
                select(Campaign).where(Campaign.active).order_by(Campaign.sort_name))]

    def validate_campaign_id(self, field) -> None:
        if field.data not in {value for value, _label in field.choices if value}:
            raise ValidationError(_l("Choose an active campaign."))

    def validate_name(self, field) -> None:
        if service.name_taken(self.campaign_id.data, field.data.strip(), self.key):
            raise ValidationError(_l("This campaign already has a questionnaire with this "
                                     "name."))


class OptionForm(Form):
    """One row of a question's answer options: its text, and the text it was opened with (a
    row saved from an older text is stale)."""

    text = StringField(_l("Option text"), validators=[
        DataRequired(_l("Enter the option’s text.")), Length(max=500)])
    was = HiddenField()
    others: tuple[str, ...] = ()  # the question's other options: two alike read as one

    def validate_text(self, field) -> None:
        typed = " ".join(field.data.split()).casefold()
        if any(" ".join(o.split()).casefold() == typed for o in self.others):
            raise ValidationError(_l("The question already has this option."))
