"""Campaigns: the list, a new one, a new name, deactivated and active again. An inactive
campaign is not offered to operators; its questionnaires and history stay."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from survey_app.authoring import bp, service
from survey_app.authoring.access import AUTHORS, authors_only, readers
from survey_app.authoring.forms import CampaignForm
from survey_app.extensions import db
from survey_app.forms import ActionForm
from survey_app.models import Campaign, Questionnaire


@bp.get("/campaigns")
@readers
def campaigns():
    return _list_page(CampaignForm())


@bp.post("/campaigns")
@authors_only
def new_campaign():
    form = CampaignForm()
    if not form.validate_on_submit():
        return _list_page(form, status=422)
    campaign = service.create_campaign(form.name.data)
    db.session.commit()
    flash(_("Campaign “%(name)s” created.", name=campaign.name), "success")
    return redirect(url_for("authoring.campaigns"), code=303)


@bp.post("/campaigns/<int:campaign_id>")
@authors_only
def rename_campaign(campaign_id: int):
    campaign = _campaign(campaign_id)
    form = CampaignForm(prefix=f"c{campaign.id}")
    form.campaign_id = campaign.id
    if not form.validate_on_submit():
        return _list_page(CampaignForm(), renamed=(campaign.id, form), status=422)
    campaign.name = form.name.data.strip()
    db.session.commit()
    flash(_("Campaign renamed “%(name)s”.", name=campaign.name), "success")
    return redirect(url_for("authoring.campaigns"), code=303)


@bp.post("/campaigns/<int:campaign_id>/active")
@authors_only
def switch_campaign(campaign_id: int):
    campaign = _campaign(campaign_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    campaign.active = not campaign.active
    db.session.commit()
    flash(_("Campaign “%(name)s” is active again.", name=campaign.name) if campaign.active
          else _("Campaign “%(name)s” deactivated: operators are no longer offered it; its "
                 "history stays.", name=campaign.name), "success")
    return redirect(url_for("authoring.campaigns"), code=303)


def _campaign(campaign_id: int) -> Campaign:
    return db.session.get(Campaign, campaign_id) or abort(404)


def _list_page(form, renamed=None, status=200):
    counts = dict(db.session.execute(
        select(Questionnaire.campaign_id, func.count(func.distinct(Questionnaire.key)))
        .group_by(Questionnaire.campaign_id)).all())
    rows = db.session.scalars(select(Campaign).order_by(Campaign.active.desc(),
                                                          Campaign.sort_name)).all()
    renames = {c.id: CampaignForm(prefix=f"c{c.id}", formdata=None, obj=c) for c in rows}
    if renamed:
        renames[renamed[0]] = renamed[1]
    return render_template("authoring/campaigns.html", campaigns=rows, counts=counts,
                           form=form, renames=renames,
                           may_change=current_user.has(*AUTHORS)), status
