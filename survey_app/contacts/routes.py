"""The contact list with search, and the contact card with its history."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from survey_app.auth.roles import roles_required
from survey_app.contacts import bp
from survey_app.contacts.editors import EDITORS, EDITORS_ONLY
from survey_app.contacts.forms import EditContactForm, NewContactForm
from survey_app.contacts.registers import REGISTERS, forms_for
from survey_app.contacts.search import LIMIT as SEARCH_LIMIT
from survey_app.contacts.search import find_contacts
from survey_app.extensions import db
from survey_app.models import (
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
    return render_template(template, contacts=contacts, query=query, limit=SEARCH_LIMIT,
                           can_create=current_user.has(*EDITORS))


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
                           can_survey=current_user.has(Role.OPERATOR),
                           can_edit=current_user.has(*EDITORS),
                           can_merge=current_user.has(Role.SUPERVISOR, Role.ADMIN))


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
@roles_required(*EDITORS, message=EDITORS_ONLY)
def new():
    """Create a contact, e.g. from the pop of an unknown caller (the number comes filled in)."""
    form = NewContactForm(phone=request.args.get("phone", ""))
    if form.validate_on_submit():
        contact = Contact()
        form.fill(contact)
        contact.phones = [ContactPhone(kind=PhoneKind(form.phone_kind.data), number=form.e164,
                                       e164=form.e164)]
        db.session.add(contact)
        db.session.commit()
        flash(_("Contact created."), "success")
        return redirect(url_for("contacts.card", contact_id=contact.id), code=303)
    return render_template("contacts/form.html", form=form, contact=None,
                           accounts=form.account_names()), 422 if form.errors else 200


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS, message=EDITORS_ONLY)
def edit(contact_id: int):
    """Edit the card; a form opened before someone else saved it is refused, showing the
    values as they are now."""
    contact = db.session.get(Contact, contact_id) or abort(404, _("There is no such contact."))
    form = EditContactForm(obj=contact, account_name=_account_of(contact))
    if form.validate_on_submit():
        if form.version.data != str(contact.version):
            return _stale(contact)
        form.fill(contact)
        try:
            db.session.commit()
        except StaleDataError:  # saved by someone else between the check and the commit
            db.session.rollback()
            return _stale(db.session.get(Contact, contact_id))
        flash(_("Contact saved."), "success")
        return redirect(url_for("contacts.card", contact_id=contact.id), code=303)
    return render_template("contacts/form.html", form=form, contact=contact,
                           accounts=form.account_names(), registers=REGISTERS,
                           register_forms=forms_for(contact)), \
        422 if form.errors else 200


def _account_of(contact: Contact) -> str:
    return contact.account.name if contact.account else ""


def _stale(contact: Contact):
    """Refuse a stale form: nothing is stored, the form shows the card as it is now."""
    fresh = EditContactForm(formdata=None, obj=contact, account_name=_account_of(contact))
    flash(_("Someone else saved this card while you were editing it. These are its values "
            "now: make your change again."), "warning")
    return render_template("contacts/form.html", form=fresh, contact=contact,
                           accounts=fresh.account_names(), registers=REGISTERS,
                           register_forms=forms_for(contact)), 409
