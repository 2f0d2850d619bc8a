"""Two cards of the same person made one by a supervisor: the other card's phones (those the
kept card does not have), addresses, anniversaries, surveys and calls move to the kept card,
its empty fields are filled from the other, and the other card is gone. Nothing is lost."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import or_, select, update

from survey_app import audit
from survey_app.auth.roles import roles_required
from survey_app.contacts import bp
from survey_app.extensions import db
from survey_app.models import (
    Address,
    Anniversary,
    AuditAction,
    Call,
    Contact,
    ContactPhone,
    CustomerSurvey,
    Role,
)
from survey_app.names import search_key

FILLED = ("account_id", "owner_id", "language", "job_role", "country", "email", "middle_name")
SUPERVISORS_ONLY = _l("Cards are merged by supervisors and admins.")


def candidates(contact: Contact) -> list[Contact]:
    """Cards that may be the same person: the same name, or a phone in common."""
    numbers = [p.e164 for p in contact.phones if p.e164]
    sharing = select(ContactPhone.contact_id).where(ContactPhone.e164.in_(numbers))
    return list(db.session.scalars(
        select(Contact).where(Contact.id != contact.id, or_(
            Contact.name_key == search_key(contact.full_name), Contact.id.in_(sharing)))
        .order_by(Contact.sort_name).limit(20)))


def merge(kept: Contact, other: Contact) -> None:
    """Move everything of `other` to `kept` and delete `other` (not committed)."""
    for name in FILLED:
        if getattr(kept, name) is None:
            setattr(kept, name, getattr(other, name))
    have = {p.e164 for p in kept.phones if p.e164}
    moving = [p.id for p in other.phones if p.e164 not in have]  # a shared number once
    db.session.flush()
    quietly = {"synchronize_session": False}  # both cards are re-read below
    db.session.execute(update(ContactPhone).where(ContactPhone.id.in_(moving))
                       .values(contact_id=kept.id), execution_options=quietly)
    for model in (Address, Anniversary, CustomerSurvey, Call):
        db.session.execute(update(model).where(model.contact_id == other.id)
                           .values(contact_id=kept.id), execution_options=quietly)
    db.session.expire(kept)
    db.session.expire(other)  # its rows are re-read: only the duplicate phones are left on it
    db.session.delete(other)


@bp.route("/contacts/<int:contact_id>/merge", methods=["GET", "POST"])
@roles_required(Role.SUPERVISOR, Role.ADMIN, message=SUPERVISORS_ONLY)
def merge_cards(contact_id: int):
    """Choose the card to merge into this one; this card is kept."""
    kept = db.session.get(Contact, contact_id) or abort(404, _("There is no such contact."))
    if request.method == "POST":
        other = _other(kept, request.form.get("other", ""))
        audit.record(current_user, AuditAction.CONTACTS_MERGED, kept.full_name,
                     kept_id=kept.id, merged_id=other.id, merged_name=other.full_name)
        merge(kept, other)
        db.session.commit()
        flash(_("The two cards are one now: everything of the other card is on this one."),
              "success")
        return redirect(url_for("contacts.card", contact_id=kept.id), code=303)
    return render_template("contacts/merge.html", contact=kept, candidates=candidates(kept))


def _other(kept: Contact, typed: str) -> Contact:
    other = db.session.get(Contact, int(typed)) if typed.isdigit() else None
    if other is None:
        abort(404, _("There is no such contact to merge."))
    if other.id == kept.id:
        abort(409, _("A card cannot be merged with itself."))
    return other
