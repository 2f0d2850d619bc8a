"""Find contacts by name or by phone number written in any common way.

Every search is answered by an index, so it stays fast on a base of a million contacts: a
name by the beginnings of its words (contact_words), a number as a whole (its E.164) or by
its last digits (digits_reversed). Both are plain keys compared by code point, so SQLite and
PostgreSQL find exactly the same contacts.
"""
from sqlalchemy import and_, select, union
from sqlalchemy.orm import selectinload

from survey_app.extensions import db
from survey_app.models import Account, Contact, ContactPhone, ContactWord
from survey_app.names import name_words, prefix_range, search_key, sort_prefix
from survey_app.phones import digits, to_e164

LIMIT = 50
LEAST_DIGITS = 4  # fewer digits than this are not a phone search (too many numbers end so)


def find_contacts(query: str, region: str, limit: int = LIMIT) -> list[Contact]:
    """Contacts whose name has a word beginning with each word of the query (or whose
    account's name holds every word), or whose phone is the number or ends with its digits;
    in alphabetical order, for one word the names that begin with it first."""
    query = query.strip()[:100]
    if not query:
        return []
    e164 = to_e164(query, region)
    if e164:
        return _listed(Contact.id.in_(select(ContactPhone.contact_id)
                                      .where(ContactPhone.e164 == e164)), limit)
    number = digits(query)
    if len(number) >= LEAST_DIGITS and len(number) * 2 >= len(query.replace(" ", "")):
        low, high = prefix_range(number[::-1])
        return _listed(Contact.id.in_(select(ContactPhone.contact_id).where(
            ContactPhone.digits_reversed >= low, ContactPhone.digits_reversed < high)), limit)
    return _by_name(query, limit)


def _by_name(query: str, limit: int) -> list[Contact]:
    """One word: first the names that begin with it (a surname, as names are written here),
    read in order from the sort key's index, then the names with a later word or an account
    that matches. Several words: every name with a word beginning with each."""
    words = name_words(query)
    if not words:
        return []
    anyone = union(_by_words(words), _by_account(search_key(query).split()))
    if len(words) > 1:
        return _listed(Contact.id.in_(anyone), limit)
    low, high = sort_prefix(words[0])
    first = _listed(and_(Contact.sort_name >= low, Contact.sort_name < high), limit)
    if len(first) == limit:
        return first
    shown = [contact.id for contact in first]
    return first + _listed(and_(Contact.id.in_(anyone), Contact.id.not_in(shown)),
                           limit - len(first))


def _by_words(words: list[str]):
    """Ids of the contacts with a word beginning with each of `words`: nested IN, not
    INTERSECT, which SQLite will not put inside a UNION. The longest word, likely the rarest,
    is the innermost."""
    ids = None
    for word in sorted(words, key=len, reverse=True):
        low, high = prefix_range(word)
        having = select(ContactWord.contact_id).where(ContactWord.word >= low,
                                                      ContactWord.word < high)
        ids = having if ids is None else having.where(ContactWord.contact_id.in_(ids))
    return ids


def _by_account(words: list[str]):
    """Ids of the contacts of the accounts whose name holds every word ("Our comp"): accounts
    are few beside contacts, so their names are read as they are."""
    accounts = select(Account.id).where(*[
        Account.name_key.like(f"%{_escape(word)}%", escape="\\") for word in words])
    return select(Contact.id).where(Contact.account_id.in_(accounts))


def _listed(condition, limit: int) -> list[Contact]:
    """The contacts in alphabetical order (the id parts namesakes alike on both databases),
    with the phones the list shows read in one query, not one per row."""
    return list(db.session.scalars(select(Contact).where(condition)
                                   .options(selectinload(Contact.phones))
                                   .order_by(Contact.sort_name, Contact.id).limit(limit)))


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
