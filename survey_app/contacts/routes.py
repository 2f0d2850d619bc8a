"""The contact list with search, and the contact card with its history."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from survey_app.contacts import bp
from survey_app.contacts.forms import ContactForm
from survey_app.contacts.search import LIMIT as SEARCH_LIMIT
from survey_app.contacts.search import find_contacts
from survey_app.extensions import db
from survey_app.models import (
    Account,
    Call,
    Contact,
    ContactPhone,
    CustomerSurvey,
    PhoneKind,
    Role,
    SurveyStatus,
)

CARD_CALLS = 20  # the latest on the card; the Calls section has them all


@bp.get("/")
@login_required
def home():
    return redirect(url_for("contacts.search"))


@bp.get("/contacts")
@login_required
def search():
    """Search by name or phone; the results list alone for an htmx live search."""
    query = request.args.get("q", "")
    contacts = find_contacts(query, current_app.config["PHONE_REGION"], limit=SEARCH_LIMIT)
    template = ("contacts/_results.html" if request.headers.get("HX-Target") == "contact-results"
                else "contacts/search.html")
    return render_template(template, contacts=contacts, query=query, limit=SEARCH_LIMIT)


@bp.get("/contacts/<int:contact_id>")
@login_required
def card(contact_id: int):
    """The client card: main data, phones, surveys in progress, history, addresses, dates."""
    contact = db.session.get(Contact, contact_id) or abort(404, _("There is no such contact."))
    surveys = contact_surveys(contact.id)
    open_surveys = [s for s in surveys if s.status == SurveyStatus.IN_PROGRESS]
    calls, calls_total = contact_calls(contact.id, CARD_CALLS)
    return render_template("contacts/card.html", contact=contact, surveys=surveys,
                           open_surveys=open_surveys, calls=calls, calls_total=calls_total,
                           highlight=request.args.get("survey", type=int),
                           can_survey=current_user.role == Role.OPERATOR)


def contact_surveys(contact_id: int) -> list[CustomerSurvey]:
    """Every survey of the contact, newest first, with what the history table shows."""
    return list(db.session.scalars(
        select(CustomerSurvey).where(CustomerSurvey.contact_id == contact_id)
        .options(selectinload(CustomerSurvey.questionnaire), selectinload(CustomerSurvey.campaign),
                 selectinload(CustomerSurvey.operator))
        .order_by(CustomerSurvey.started_at.desc(), CustomerSurvey.id.desc())))


def contact_calls(contact_id: int, limit: int) -> tuple[list[Call], int]:
    """The contact's latest calls with their operator and surveys, and how many there are."""
    calls = db.session.scalars(
        select(Call).where(Call.contact_id == contact_id)
        .options(selectinload(Call.operator), selectinload(Call.surveys))
        .order_by(Call.started_at.desc(), Call.id.desc()).limit(limit)).all()
    total = db.session.scalar(select(func.count()).select_from(Call)
                              .where(Call.contact_id == contact_id))
    return list(calls), total


@bp.route("/contacts/new", methods=["GET", "POST"])
@login_required
def new():
    """Create a contact, e.g. from the pop of an unknown caller (the number comes filled in)."""
    form = ContactForm(phone=request.args.get("phone", ""))
    if form.validate_on_submit():
        contact = Contact(full_name=form.full_name.data.strip(),
                          contact_type=form.contact_type.data, email=form.email.data or None)
        if form.account.data:
            contact.account = Account(name=form.account.data.strip())
        contact.phones = [ContactPhone(kind=PhoneKind.MOBILE, number=form.e164,
                                       e164=form.e164)]
        db.session.add(contact)
        db.session.commit()
        flash(_("Contact created."), "success")
        return redirect(url_for("contacts.card", contact_id=contact.id), code=303)
    return render_template("contacts/new.html", form=form), 422 if form.errors else 200
