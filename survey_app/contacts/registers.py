"""The card's registers (phones, addresses, anniversaries) as rows edited in place, as the
thesis's editable registers: add, change, remove, each row its own small form, answered with
the register again (htmx) or the edit page (post/redirect/get without JavaScript)."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from survey_app.forms import DayField, Form, PhoneNumber
from survey_app.language.words import ADDRESS_TYPES, ANNIVERSARY_TYPES, PHONE_KINDS
from survey_app.models import (
    Address,
    AddressType,
    Anniversary,
    AnniversaryType,
    ContactPhone,
    PhoneKind,
)


def _kinds(enum, words):
    return lambda: [(member.value, words[member.value]) for member in enum]


class PhoneForm(Form):
    kind = SelectField(_l("Kind"), choices=_kinds(PhoneKind, PHONE_KINDS))
    number = StringField(_l("Number"), validators=[
        DataRequired(), Length(max=60), PhoneNumber(_l("This is not a valid phone number."))])
    e164: str | None = None

    def apply(self, phone: ContactPhone) -> None:
        phone.kind, phone.number, phone.e164 = PhoneKind(self.kind.data), self.e164, self.e164


class AddressForm(Form):
    kind = SelectField(_l("Type"), choices=_kinds(AddressType, ADDRESS_TYPES))
    country = StringField(_l("Country"), validators=[Optional(), Length(max=80)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=80)])
    line = StringField(_l("Address"), validators=[DataRequired(), Length(max=200)])

    def apply(self, address: Address) -> None:
        address.kind = AddressType(self.kind.data)
        address.country, address.city = self.country.data or None, self.city.data or None
        address.line = self.line.data.strip()


class AnniversaryForm(Form):
    date = DayField(_l("Date"), validators=[InputRequired()])  # keeps "not a date"
    kind = SelectField(_l("Type"), choices=_kinds(AnniversaryType, ANNIVERSARY_TYPES))

    def apply(self, anniversary: Anniversary) -> None:
        anniversary.date, anniversary.kind = self.date.data, AnniversaryType(self.kind.data)


@dataclass(frozen=True)
class Register:
    """One of the card's registers: its rows, the form of a row, and the words it says."""

    name: str           # in URLs, ids and form prefixes: phones, addresses, anniversaries
    model: type
    form: type
    heading: object
    add: object
    empty: object
    added: object
    saved: object
    removed: object
    missing: object

    def rows(self, contact) -> list:
        return getattr(contact, self.name)

    def forms_for(self, contact, failed=None) -> dict:
        """A form per row (prefix <name>-<id>) and one to add (<name>-new); a refused one
        keeps what was typed and its errors."""
        forms = {row.id: self.form(formdata=None, prefix=f"{self.name}-{row.id}", obj=row)
                 for row in self.rows(contact)}
        forms[None] = self.form(formdata=None, prefix=f"{self.name}-new")
        if failed is not None:
            forms[failed[0]] = failed[1]
        return forms


REGISTERS = {r.name: r for r in (
    Register("phones", ContactPhone, PhoneForm, _l("Phones"), _l("Add phone"),
             _l("No phones yet."), _l("Phone added."), _l("Phone saved."), _l("Phone removed."),
             _l("This card has no such phone.")),
    Register("addresses", Address, AddressForm, _l("Addresses"), _l("Add address"),
             _l("No addresses."), _l("Address added."), _l("Address saved."),
             _l("Address removed."), _l("This card has no such address.")),
    Register("anniversaries", Anniversary, AnniversaryForm, _l("Anniversaries"),
             _l("Add anniversary"), _l("No anniversaries."), _l("Anniversary added."),
             _l("Anniversary saved."), _l("Anniversary removed."),
             _l("This card has no such anniversary.")),
)}


def forms_for(contact) -> dict:
    """Every register's row forms, for the edit page."""
    return {name: register.forms_for(contact) for name, register in REGISTERS.items()}
