"""Routes of the card's registers: add a row, save one, remove one (contacts/registers.py)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from survey_app.auth.roles import roles_required
from survey_app.contacts import bp
from survey_app.contacts.editors import EDITORS, EDITORS_ONLY
from survey_app.contacts.registers import REGISTERS, Register
from survey_app.extensions import db
from survey_app.models import Contact

ROWS = "/contacts/<int:contact_id>/<any(phones, addresses, anniversaries):register>"


@bp.post(ROWS)
@roles_required(*EDITORS, message=EDITORS_ONLY)
def add_row(contact_id: int, register: str):
    contact, kind = _card(contact_id), _register(register)
    form = kind.form(prefix=f"{kind.name}-new")
    if not form.validate_on_submit():
        return _answer(contact, kind, (None, form), 422)
    row = kind.model()
    form.apply(row)
    kind.rows(contact).append(row)
    db.session.commit()
    return _answer(contact, kind, notice=str(kind.added))


@bp.post(ROWS + "/<int:row_id>")
@roles_required(*EDITORS, message=EDITORS_ONLY)
def save_row(contact_id: int, register: str, row_id: int):
    contact, kind = _card(contact_id), _register(register)
    row = _row(contact, kind, row_id)
    form = kind.form(prefix=f"{kind.name}-{row.id}")
    if not form.validate_on_submit():
        return _answer(contact, kind, (row.id, form), 422)
    form.apply(row)
    db.session.commit()
    return _answer(contact, kind, notice=str(kind.saved))


@bp.post(ROWS + "/<int:row_id>/delete")
@roles_required(*EDITORS, message=EDITORS_ONLY)
def remove_row(contact_id: int, register: str, row_id: int):
    contact, kind = _card(contact_id), _register(register)
    kind.rows(contact).remove(_row(contact, kind, row_id))
    db.session.commit()
    return _answer(contact, kind, notice=str(kind.removed))


def _card(contact_id: int) -> Contact:
    return db.session.get(Contact, contact_id) or abort(404, _("There is no such contact."))


def _register(name: str) -> Register:
    return REGISTERS.get(name) or abort(404, _("The card has no such list."))


def _row(contact: Contact, kind: Register, row_id: int):
    """The row of this card: another card's row id is refused as unknown here."""
    row = next((r for r in kind.rows(contact) if r.id == row_id), None)
    return row if row is not None else abort(404, str(kind.missing))


def _answer(contact: Contact, kind: Register, failed=None, status: int = 200,
            notice: str | None = None):
    """The register again for htmx; the edit page (post/redirect/get) without JavaScript."""
    if request.headers.get("HX-Target") == kind.name:
        return render_template("contacts/_register.html", contact=contact, register=kind,
                               forms=kind.forms_for(contact, failed), notice=notice), status
    if failed is not None:
        flash(" ".join(str(e) for errors in failed[1].errors.values() for e in errors),
              "warning")
    elif notice:
        flash(notice, "success")
    return redirect(url_for("contacts.edit", contact_id=contact.id) + f"#{kind.name}",
                    code=303)
