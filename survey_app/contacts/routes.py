"""The contact list with search, and the contact card with its history."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from survey_app.auth.roles import roles_required
from survey_app.contacts import bp, history
from survey_app.contacts.editors import EDITORS, EDITORS_ONLY
from survey_app.contacts.forms import EditContactForm, NewContactForm
from survey_app.contacts.registers import REGISTERS, forms_for
from survey_app.contacts.search import LIMIT as SEARCH_LIMIT
from survey_app.contacts.search import find_contacts
from survey_app.extensions import db
from survey_app.models import (
    Contact,
    ContactPhone,
    PhoneKind,
    Role,
)

# a pager's target: the section its htmx request redraws
HISTORY_SECTIONS = {"survey-history": "contacts/_survey_history.html",
                    "call-history": "contacts/_call_history.html"}



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
    """The client card: main data, phones, surveys in progress, the history of surveys and
    of calls (a page of each: ?surveys_page=, ?calls_page=), addresses, dates. A pager's
    htmx request gets its section alone."""
    contact = db.session.get(Contact, contact_id) or abort(404, _("There is no such contact."))
    pages = {"history": history.surveys(contact.id, request.args.get("surveys_page", 1, int)),
             "calls": history.calls(contact.id, request.args.get("calls_page", 1, int))}
    section = HISTORY_SECTIONS.get(request.headers.get("HX-Target", ""))
    if section and request.headers.get("HX-Request"):
        return render_template(section, contact=contact, **pages, highlight=None)
    return render_template("contacts/card.html", contact=contact, **pages,
                           open_surveys=history.in_progress(contact.id),
                           highlight=request.args.get("survey", type=int),
                           can_survey=current_user.has(Role.OPERATOR),
                           can_edit=current_user.has(*EDITORS),
                           can_merge=current_user.has(Role.SUPERVISOR, Role.ADMIN))


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
