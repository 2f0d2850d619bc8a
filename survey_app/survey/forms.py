"""The form that starts a survey (a campaign and one of its published questionnaires), and
the answer a question's form posts."""
from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import HiddenField, SelectField
from wtforms.validators import InputRequired, ValidationError

from survey_app.extensions import db
from survey_app.forms import Form
from survey_app.models import (
    Call,
    Campaign,
    CustomerSurvey,
    Questionnaire,
    QuestionnaireStatus,
)


class StartSurveyForm(Form):
    """Choose the campaign, then the questionnaire ("Choose the campaign": OK / Cancel)."""

    campaign_id = SelectField(_l("Campaign"), coerce=int, validators=[InputRequired()])
    questionnaire_id = SelectField(_l("Questionnaire"), coerce=int, validators=[InputRequired()])
    call_id = HiddenField()  # set when the survey is started from a call's pop

    def validate_call_id(self, field) -> None:
        if not field.data:
            return
        call = db.session.get(Call, int(field.data)) if field.data.isdigit() else None
        if call is None or call.operator_id != current_user.id:
            raise ValidationError(_l("This call is not one of yours; start the survey from the "
                                     "card."))

    def fill_choices(self, operator_id: int) -> None:
        """Active campaigns and the chosen one's published questionnaires; the operator's
        last choice comes preselected, since a shift usually runs one campaign."""
        campaigns = db.session.scalars(
            select(Campaign).where(Campaign.active).order_by(Campaign.sort_name)).all()
        self.campaign_id.choices = [(c.id, c.name) for c in campaigns]
        if self.campaign_id.data is None and campaigns:
            last = db.session.execute(
                select(CustomerSurvey.campaign_id, CustomerSurvey.questionnaire_id)
                .where(CustomerSurvey.operator_id == operator_id)
                .order_by(CustomerSurvey.started_at.desc()).limit(1)).first()
            active = {c.id for c in campaigns}
            self.campaign_id.data = last[0] if last and last[0] in active else campaigns[0].id
            self.questionnaire_id.data = last[1] if last else None
        self.questionnaire_id.choices = [
            (q.id, q.name) for q in published_questionnaires(self.campaign_id.data)]

    def validate_questionnaire_id(self, field) -> None:
        questionnaire = db.session.get(Questionnaire, field.data)
        if questionnaire is None or questionnaire.campaign_id != self.campaign_id.data:
            raise ValidationError(_l("Choose a questionnaire of this campaign."))
        if questionnaire.status != QuestionnaireStatus.PUBLISHED:
            raise ValidationError(_l("This questionnaire is not published."))


def published_questionnaires(campaign_id: int | None) -> list[Questionnaire]:
    """The questionnaires an operator may start for a campaign."""
    if campaign_id is None:
        return []
    return list(db.session.scalars(select(Questionnaire).where(
        Questionnaire.campaign_id == campaign_id,
        Questionnaire.status == QuestionnaireStatus.PUBLISHED).order_by(Questionnaire.sort_name)))


REFUSED = "refused"  # the posted option of "Refused / don't know"


def posted_answer() -> tuple[str | None, str | None, bool]:
    """The answer the question's form posted (the runner's and the preview's): the option
    chosen, the value typed, and "Refused / don't know" (the option "refused", key 0)."""
    option_id = request.form.get("option_id")
    if option_id == REFUSED:
        return None, None, True
    return option_id, request.form.get("value"), False
