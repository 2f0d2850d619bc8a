"""Find contacts by name or by phone number written in any common way."""
from sqlalchemy import and_, or_, select

from survey_app.extensions import db
from survey_app.models import Account, Contact, ContactPhone
from survey_app.names import search_key
from survey_app.phones import digits, to_e164

LIMIT = 50


def find_contacts(query: str, region: str, limit: int = LIMIT) -> list[Contact]:
    """Contacts whose name (or account's name) holds every word of the query, or whose
    phone matches it."""
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
    # every word in the name, or every word in the account's name ("Our comp")
    accounts = select(Account.id).where(*[_like(Account.name_key, w) for w in words])
    statement = select(Contact).where(or_(and_(*[_like(Contact.name_key, w) for w in words]),
                                          Contact.account_id.in_(accounts)))
    return list(db.session.scalars(statement.order_by(Contact.sort_name).limit(limit)))


def _by_phone(condition, limit: int) -> list[Contact]:
    ids = select(ContactPhone.contact_id).where(condition)
    return list(db.session.scalars(
        select(Contact).where(Contact.id.in_(ids)).order_by(Contact.sort_name).limit(limit)))


def _like(column, word: str):
    return column.like(f"%{_escape(word)}%", escape="\\")


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


