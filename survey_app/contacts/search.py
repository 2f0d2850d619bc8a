"""Find contacts by name or by phone number written in any common way.

Every search is answered by an index, so it stays fast on a base of a million contacts: a
name by the beginnings of its words (contact_words), a number as a whole (its E.164) or by
its last digits (digits_reversed). Both are plain keys compared by code point, so SQLite and
PostgreSQL find exactly the same contacts.
"""
import functools
import heapq

from sqlalchemy import and_, any_, exists, func, select, text, true
from sqlalchemy.orm import selectinload

from survey_app.extensions import db
from survey_app.models import Account, Contact, ContactPhone, ContactWord
from survey_app.names import name_words, prefix_range, search_key, sort_prefix
from survey_app.phones import digits, to_e164

LIMIT = 50
LEAST_DIGITS = 4  # fewer digits than this are not a phone search (too many numbers end so)
# From this many matches a list is found sooner by walking the names in order than by ordering
# the matches. On 1M contacts a match ordered costs 2 µs (SQLite) or 3.5 µs (PostgreSQL), a
# name walked 3.5 or 5.5 µs, and a word on one name in d takes a walk of 50·d names: the two
# cost alike near 10,000 matches (the root of 100 times the base).
DENSE = 10_000
MANY_ACCOUNTS = 1_000  # more accounts than this matching a word are not listed by their ids


def find_contacts(query: str, region: str, limit: int = LIMIT) -> list[Contact]:
    """Contacts whose name has a word beginning with each word of the query (or whose
    account's name holds every word), or whose phone is the number or ends with its digits;
    in alphabetical order, for one word the names that begin with it first."""
    query = query.strip()[:100]
    if not query:
        return []
    _planned_for_this_search()
    e164 = to_e164(query, region)
    if e164:
        return _listed(_among(select(ContactPhone.contact_id)
                              .where(ContactPhone.e164 == e164)), limit)
    number = digits(query)
    if len(number) >= LEAST_DIGITS and len(number) * 2 >= len(query.replace(" ", "")):
        low, high = prefix_range(number[::-1])
        return _listed(_among(select(ContactPhone.contact_id).where(
            ContactPhone.digits_reversed >= low, ContactPhone.digits_reversed < high)), limit)
    return _by_name(query, limit)


def _planned_for_this_search() -> None:
    """PostgreSQL plans each statement for its own words: a plan kept for the statement's
    shape assumes an average word, and a first name is on hundreds of times more names
    than most surnames. And without parallel workers: for a search that reads a few thousand index
    entries, starting them costs more than they save (1M contacts, "Олена Ко": 100 ms with
    two workers, 30 without). For this transaction only."""
    if _on_postgresql():
        db.session.execute(text(  # SET LOCAL, both in one round trip
            "SELECT set_config('max_parallel_workers_per_gather', '0', true), "
            "set_config('plan_cache_mode', 'force_custom_plan', true)"))


def _on_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _by_name(query: str, limit: int) -> list[Contact]:
    """First the names that begin with a word of the query and have the others (a surname,
    as names are written here: "Ков Оле" lists Ковальчук Олена first), then the rest: the
    names with the words further on, and the contacts of accounts so named."""
    words = name_words(query)
    if not words:
        return []
    common = functools.cache(lambda word: _count_at_most(_having(word)) >= DENSE)
    first = _merged([and_(_begins(word), _named([other for other in words if other != word],
                                                 common, walk=True))
                     for word in words], limit)
    if len(first) == limit:
        return _loaded(first)
    shown = Contact.id.not_in([contact_id for _, contact_id in first])
    rest = [_named(words, common, walk=len(words) == 1),
            _in_accounts(search_key(query).split())]
    return _loaded(first + _merged([and_(match, shown) for match in rest if match is not None],
                                   limit - len(first)))


def _merged(conditions: list, limit: int) -> list[tuple]:
    """The first `limit` contacts meeting any of `conditions`: each condition's own first
    ones, read by the plan that suits it, merged in alphabetical order. One query with OR
    would leave the database one plan for both, the wrong one for one of them."""
    merged = heapq.merge(*[_keys(condition, limit) for condition in conditions])
    return list(dict.fromkeys(merged))[:limit]  # a contact found both ways comes once


def _begins(word: str):
    low, high = sort_prefix(word)
    return and_(Contact.sort_name >= low, Contact.sort_name < high)


def _named(words: list[str], common, walk: bool):
    """Contacts with a word beginning with each of `words`. Few matches are listed by their
    ids and put in order. When every word is common (a first name: 3% of a base each),
    walking the names in alphabetical order and asking each contact whether it has the words
    finds the first 50 sooner than ordering tens of thousands: for one word, whose later
    matches are spread over the alphabet, or within the names that begin with another word.
    (Two common words together may all lie in one part of the alphabet: Ков and Оле.)"""
    if not words:
        return true()
    if walk and all(common(word) for word in words):
        return and_(*[exists(_having(word).where(ContactWord.contact_id == Contact.id))
                      for word in words])
    return _among(_having_each(sorted(words, key=lambda w: (common(w), -len(w)))))


def _having(word: str):
    low, high = prefix_range(word)
    return select(ContactWord.contact_id).where(ContactWord.word >= low,
                                                ContactWord.word < high)


def _having_each(words: list[str]):
    """Ids of the contacts with a word beginning with each of `words`, the first innermost:
    nested IN, not INTERSECT, which SQLite will not put inside a UNION."""
    ids = None
    for word in words:
        having = _having(word)
        ids = having if ids is None else having.where(ContactWord.contact_id.in_(ids))
    return ids


def _in_accounts(words: list[str]):
    """Contacts of the accounts whose name holds every word ("Our comp"), None if no account
    does: accounts are few beside contacts, so their names are read as they are, once. When
    many contacts belong to them (every "ТОВ"), each contact is asked about its account, as
    in _named."""
    named = [Account.name_key.like(f"%{_escape(word)}%", escape="\\") for word in words]
    accounts = db.session.scalars(select(Account.id).where(*named).limit(MANY_ACCOUNTS)).all()
    if not accounts:
        return None
    of_accounts = Contact.account_id.in_(accounts)
    if len(accounts) < MANY_ACCOUNTS and (
            _count_at_most(select(Contact.id).where(of_accounts)) < DENSE):
        return of_accounts
    return exists(select(Account.id).where(Account.id == Contact.account_id, *named))


def _among(ids):
    """Contacts whose ids `ids` selects: read by their ids, then put in order. PostgreSQL
    gets them as an array made first: given a subquery, its planner may walk the names in
    order hoping to meet the matches early, and a surname's matches lie together (1M
    contacts, the 5,600 Романенко: 2.7 s instead of 20 ms)."""
    if _on_postgresql():
        return Contact.id == any_(func.array(ids.scalar_subquery()))
    return Contact.id.in_(ids)


def _count_at_most(ids) -> int:
    """How many rows `ids` has, counting no further than DENSE."""
    return db.session.scalar(select(func.count()).select_from(ids.limit(DENSE).subquery()))


def _listed(condition, limit: int) -> list[Contact]:
    return _loaded(_keys(condition, limit))


def _keys(condition, limit: int) -> list[tuple]:
    """(sort key, id) of the first `limit` contacts in alphabetical order (the id parts
    namesakes alike on both databases): read from the sort key's index alone where it can."""
    return [tuple(row) for row in db.session.execute(
        select(Contact.sort_name, Contact.id).where(condition)
        .order_by(Contact.sort_name, Contact.id).limit(limit))]


def _loaded(keys: list[tuple]) -> list[Contact]:
    """The contacts of `keys` in that order, with the phones the list shows read in one
    query, not one per row."""
    ids = [contact_id for _, contact_id in keys]
    contacts = {contact.id: contact for contact in db.session.scalars(
        select(Contact).where(Contact.id.in_(ids)).options(selectinload(Contact.phones)))}
    return [contacts[contact_id] for contact_id in ids]


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
