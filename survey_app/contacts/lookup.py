"""Who is calling: contacts by phone number, through the E.164 index (never a table scan)."""
from sqlalchemy import select

from survey_app.contacts.phones import to_e164
from survey_app.extensions import db
from survey_app.models import Contact, ContactPhone

MAX_MATCHES = 10


def contacts_with_number(number: str | None, region: str) -> list[Contact]:
    """Every contact with this number, however it is written; several are all returned."""
    e164 = to_e164(number, region)
    if e164 is None:
        return []
    return list(db.session.scalars(
        select(Contact).where(Contact.id.in_(
            select(ContactPhone.contact_id).where(ContactPhone.e164 == e164)))
        .order_by(Contact.name_key).limit(MAX_MATCHES)))
