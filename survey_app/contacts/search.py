"""Find contacts by name or by phone number written in any common way."""
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Contact, ContactPhone
from survey_app.names import search_key
from survey_app.phones import digits, to_e164

LIMIT = 50


def find_contacts(query: str, region: str, limit: int = LIMIT) -> list[Contact]:
    """Contacts whose name holds every word of the query, or whose phone matches it."""
    query = query.strip()[:100]
    if not query:
        return []
    e164 = to_e164(query, region)
    if e164:
        return _by_phone(ContactPhone.e164 == e164, limit)
    number = digits(query)
    if len(number) >= 4 and len(number) * 2 >= len(query.replace(" ", "")):
        return _by_phone(ContactPhone.e164.like(f"%{number}%"), limit)
    words = search_key(query).split()
    statement = select(Contact).where(*[
        Contact.name_key.like(f"%{_escape(w)}%", escape="\\") for w in words])
    return list(db.session.scalars(statement.order_by(Contact.sort_name).limit(limit)))


def _by_phone(condition, limit: int) -> list[Contact]:
    ids = select(ContactPhone.contact_id).where(condition)
    return list(db.session.scalars(
        select(Contact).where(Contact.id.in_(ids)).order_by(Contact.sort_name).limit(limit)))


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


