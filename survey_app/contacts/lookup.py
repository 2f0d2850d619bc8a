"""Who is calling: contacts by phone number, through the E.164 index (never a table scan)."""
from collections.abc import Iterable

from sqlalchemy import bindparam, select

from survey_app.extensions import db
from survey_app.models import Contact, ContactPhone
from survey_app.phones import to_e164

MAX_MATCHES = 10


# Built once: the caller lookup runs on every call that rings.
_BY_E164 = (select(ContactPhone.e164, Contact)
            .join(Contact, Contact.id == ContactPhone.contact_id)
            .where(ContactPhone.e164.in_(bindparam("numbers", expanding=True)))
            .order_by(Contact.sort_name, Contact.id))


def contacts_with_number(number: str | None, region: str) -> list[Contact]:
    """Every contact with this number, however it is written; several are all returned."""
    e164 = to_e164(number, region)
    return contacts_by_e164([e164]).get(e164, []) if e164 else []


def contacts_by_e164(numbers: Iterable[str]) -> dict[str, list[Contact]]:
    """The contacts of several E.164 numbers in one query (the pops of an operator)."""
    wanted = {n for n in numbers if n}
    if not wanted:
        return {}
    found: dict[str, list[Contact]] = {}
    rows = db.session.execute(_BY_E164, {"numbers": list(wanted)})
    for e164, contact in rows:
        listed = found.setdefault(e164, [])
        if contact not in listed and len(listed) < MAX_MATCHES:
            listed.append(contact)
    return found
