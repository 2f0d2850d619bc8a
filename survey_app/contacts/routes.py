"""The contact list with search, and the contact card with its history."""
from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from survey_app.contacts import bp
from survey_app.contacts.search import find_contacts
from survey_app.extensions import db
from survey_app.models import Contact, CustomerSurvey, Role, SurveyStatus


@bp.get("/")
@login_required
def home():
    return redirect(url_for("contacts.search"))


@bp.get("/contacts")
@login_required
def search():
    """Search by name or phone; the results list alone for an htmx live search."""
    query = request.args.get("q", "")
    contacts = find_contacts(query, current_app.config["PHONE_REGION"])
    if request.headers.get("HX-Target") == "contact-results":
        return render_template("contacts/_results.html", contacts=contacts, query=query)
    return render_template("contacts/search.html", contacts=contacts, query=query)


@bp.get("/contacts/<int:contact_id>")
@login_required
def card(contact_id: int):
    """The client card: main data, phones, surveys in progress, history, addresses, dates."""
    contact = db.session.get(Contact, contact_id) or abort(404, "There is no such contact.")
    surveys = contact_surveys(contact.id)
    open_surveys = [s for s in surveys if s.status == SurveyStatus.IN_PROGRESS]
    return render_template("contacts/card.html", contact=contact, surveys=surveys,
                           open_surveys=open_surveys,
                           highlight=request.args.get("survey", type=int),
                           can_survey=current_user.role == Role.OPERATOR)


def contact_surveys(contact_id: int) -> list[CustomerSurvey]:
    """Every survey of the contact, newest first, with what the history table shows."""
    return list(db.session.scalars(
        select(CustomerSurvey).where(CustomerSurvey.contact_id == contact_id)
        .options(selectinload(CustomerSurvey.questionnaire), selectinload(CustomerSurvey.campaign),
                 selectinload(CustomerSurvey.operator))
        .order_by(CustomerSurvey.started_at.desc(), CustomerSurvey.id.desc())))
