"""Export JSON (any reader, any version) and Import JSON (marketers and admins): the file
is checked whole, and a refused one shows every problem with its JSON path."""
import json
import re

from flask import abort, flash, make_response, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from survey_app import audit
from survey_app.authoring import bp, exchange, file_check, service
from survey_app.authoring.access import authors_only, readers
from survey_app.extensions import db
from survey_app.forms import Form, optional_int
from survey_app.htmx import go
from survey_app.models import AuditAction, Campaign, Questionnaire, QuestionnaireStatus

LARGEST = 5 * 1024 * 1024  # bytes: a 5,000-question script is well under this


class ImportForm(Form):
    campaign_id = SelectField(_l("Campaign"), coerce=optional_int,
                              validators=[DataRequired(_l("Choose a campaign."))])
    into = SelectField(_l("Questionnaire"), coerce=optional_int, validators=[Optional()])
    name = StringField(_l("Name of the new questionnaire"),
                       validators=[Optional(), Length(max=200)])
    file = FileField(_l("JSON file"), validators=[FileRequired(_l("Choose a JSON file."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign_id.choices = [("", "")] + [(c.id, c.name) for c in db.session.scalars(
            select(Campaign).where(Campaign.active).order_by(Campaign.sort_name))]
        self.into.choices = [("", _("New questionnaire"))] + [
            (q.id, f"{q.name} · {q.campaign.name}") for q in db.session.scalars(
                service.latest_versions().where(
                    Questionnaire.status != QuestionnaireStatus.ARCHIVED)
                .order_by(Questionnaire.sort_name))]

    def validate_name(self, field) -> None:
        if self.into.data is None and field.data and service.name_taken(
                self.campaign_id.data, field.data.strip()):
            raise ValidationError(_l("This campaign already has a questionnaire with this "
                                     "name."))


@bp.get("/questionnaires/<int:questionnaire_id>/export.json")
@readers
def export_questionnaire(questionnaire_id: int):
    shown = db.session.get(Questionnaire, questionnaire_id) or abort(404)
    body = json.dumps(exchange.export(shown), ensure_ascii=False, indent=2) + "\n"
    response = make_response(body)
    response.mimetype = "application/json"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{_file_name(shown)}"')
    return response


@bp.route("/questionnaires/import", methods=["GET", "POST"])
@authors_only
def import_questionnaire():
    form = ImportForm()
    if not form.validate_on_submit():
        return _page(form, status=422 if form.errors else 200)
    raw = form.file.data.read(LARGEST + 1)
    if len(raw) > LARGEST:
        form.file.errors.append(_("The file is larger than %(size)s MB.", size=LARGEST >> 20))
        return _page(form, status=422)
    into = db.session.get(Questionnaire, form.into.data) if form.into.data else None
    try:
        draft = _imported(raw, form, into)
    except file_check.Refused as refused:
        db.session.rollback()
        return _page(form, refused=refused, status=422)
    except exchange.Refused as refused:
        db.session.rollback()
        form.into.errors.append(_("It already has a draft: publish or discard it first.")
                                if str(refused) == "draft"
                                else _("This questionnaire is archived."))
        return _page(form, status=409)
    db.session.commit()
    flash(_("Imported as a draft of version %(number)s: check it, then publish it.",
            number=draft.version), "success")
    return go(url_for("authoring.questionnaire", questionnaire_id=draft.id))


def _imported(raw: bytes, form: ImportForm, into: Questionnaire | None) -> Questionnaire:
    draft = exchange.import_file(raw, form.campaign_id.data, into,
                                 name=(form.name.data or "").strip() or None)
    if into is None and service.name_taken(draft.campaign_id, draft.name, draft.key):
        draft.name = _("%(name)s (imported)", name=draft.name)[:200]
    audit.record(current_user, AuditAction.QUESTIONNAIRE_IMPORTED, draft.name,
                 version=draft.version)
    return draft


def _page(form: ImportForm, refused: file_check.Refused | None = None, status: int = 200):
    return render_template("authoring/import.html", form=form, refused=refused), status


def _file_name(questionnaire: Questionnaire) -> str:
    """An ASCII-safe file name: the browser shows the questionnaire's own name inside."""
    stem = re.sub(r"[^A-Za-z0-9]+", "-", questionnaire.name).strip("-").lower()
    return f"{stem or 'questionnaire'}-{questionnaire.key[:8]}-v{questionnaire.version}.json"
