"""The card's phones as rows edited in place (the thesis's editable register): add, change,
remove, each row its own small form, answered with the list again (htmx) or the edit page."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from survey_app.auth.roles import roles_required
from survey_app.contacts import bp
from survey_app.contacts.editors import EDITORS, EDITORS_ONLY
from survey_app.extensions import db
from survey_app.forms import PhoneNumber
from survey_app.language.words import PHONE_KINDS
from survey_app.models import Contact, ContactPhone, PhoneKind


class PhoneForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=lambda: [(k.value, PHONE_KINDS[k.value])
                                                    for k in PhoneKind])
    number = StringField(_l("Number"), validators=[
        DataRequired(), Length(max=60), PhoneNumber(_l("This is not a valid phone number."))])

    e164: str | None = None


def forms_for(contact: Contact, failed: tuple[int | None, PhoneForm] | None = None) -> dict:
    """A form per phone (prefix phone-<id>) and one to add (new-phone); a refused one keeps
    what was typed and its errors."""
    forms = {phone.id: PhoneForm(formdata=None, prefix=f"phone-{phone.id}", obj=phone)
             for phone in contact.phones}
    forms[None] = PhoneForm(formdata=None, prefix="new-phone")
    if failed is not None:
        forms[failed[0]] = failed[1]
    return forms


@bp.post("/contacts/<int:contact_id>/phones")
@roles_required(*EDITORS, message=EDITORS_ONLY)
def add_phone(contact_id: int):
    contact = _card(contact_id)
    form = PhoneForm(prefix="new-phone")
    if not form.validate_on_submit():
        return _phones(contact, (None, form), 422)
    contact.phones.append(ContactPhone(kind=PhoneKind(form.kind.data), number=form.e164,
                                       e164=form.e164))
    db.session.commit()
    return _phones(contact, notice=_("Phone added."))


@bp.post("/contacts/<int:contact_id>/phones/<int:phone_id>")
@roles_required(*EDITORS, message=EDITORS_ONLY)
def save_phone(contact_id: int, phone_id: int):
    contact, phone = _card_and_phone(contact_id, phone_id)
    form = PhoneForm(prefix=f"phone-{phone.id}")
    if not form.validate_on_submit():
        return _phones(contact, (phone.id, form), 422)
    phone.kind, phone.number, phone.e164 = PhoneKind(form.kind.data), form.e164, form.e164
    db.session.commit()
    return _phones(contact, notice=_("Phone saved."))


@bp.post("/contacts/<int:contact_id>/phones/<int:phone_id>/delete")
@roles_required(*EDITORS, message=EDITORS_ONLY)
def remove_phone(contact_id: int, phone_id: int):
    contact, phone = _card_and_phone(contact_id, phone_id)
    contact.phones.remove(phone)
    db.session.commit()
    return _phones(contact, notice=_("Phone removed."))


def _card(contact_id: int) -> Contact:
    return db.session.get(Contact, contact_id) or abort(404, _("There is no such contact."))


def _card_and_phone(contact_id: int, phone_id: int) -> tuple[Contact, ContactPhone]:
    """The phone of this card: another card's phone id is refused as unknown here."""
    contact = _card(contact_id)
    phone = next((p for p in contact.phones if p.id == phone_id), None)
    if phone is None:
        abort(404, _("This card has no such phone."))
    return contact, phone


def _phones(contact: Contact, failed=None, status: int = 200, notice: str | None = None):
    """The rows again for htmx; the edit page (post/redirect/get) without JavaScript."""
    if request.headers.get("HX-Target") == "phones":
        return render_template("contacts/_phones.html", contact=contact,
                               phone_forms=forms_for(contact, failed), notice=notice), status
    if failed is not None:
        flash(" ".join(str(e) for errors in failed[1].errors.values() for e in errors),
              "warning")
    elif notice:
        flash(notice, "success")
    return redirect(url_for("contacts.edit", contact_id=contact.id) + "#phones", code=303)
