"""Search by the beginnings of a name's words and by a phone's last digits, through the keys
kept beside each contact (contact_words, digits_reversed), on SQLite and PostgreSQL alike."""
import pytest
from sqlalchemy import func, select, text

from survey_app.contacts import search
from survey_app.contacts.search import find_contacts
from survey_app.extensions import db
from survey_app.models import (
    Account,
    Contact,
    ContactPhone,
    ContactType,
    ContactWord,
    PhoneKind,
)


def _add(name: str, number: str | None = None) -> int:
    contact = Contact(full_name=name, contact_type=ContactType.CLIENT)
    if number:
        contact.phones.append(ContactPhone(kind=PhoneKind.MOBILE, number=number, e164=number))
    db.session.add(contact)
    db.session.commit()
    return contact.id


def _found(query: str) -> set[str]:
    return {contact.full_name for contact in find_contacts(query, "UA")}


@pytest.fixture
def people(app):
    with app.app_context():
        for name, number in [("Коваль Ганна", "+380671112233"), ("Коваленко Олег", None),
                             ("Дем’яненко Ілля", None), ("Іванова-Петренко Ольга", None),
                             ("Шевальє Жан", "+380449998877")]:
            _add(name, number)
        yield


@pytest.mark.parametrize("query, names", [
    ("Кова", {"Коваль Ганна", "Коваленко Олег"}),  # any word by its beginning
    ("кОВАЛЬ", {"Коваль Ганна"}),  # any case; Коваль is not the beginning of Коваленко's...
    ("оле кова", {"Коваленко Олег"}),  # every word, in any order
    ("Ганна", {"Коваль Ганна"}),  # the first name too
    ("вал", set()),  # the middle of a word is not its beginning
    ("дем'я", {"Дем’яненко Ілля"}), ("ДЕМʼЯНЕНКО", {"Дем’яненко Ілля"}),  # apostrophes equal
    ("Демяненко", {"Дем’яненко Ілля"}),  # or left out
    ("Петр", {"Іванова-Петренко Ольга"}), ("іванова-петренко", {"Іванова-Петренко Ольга"}),
    ("шевальє", {"Шевальє Жан"}),
])
def test_a_name_is_found_by_the_beginning_of_any_of_its_words(people, query, names):
    assert _found(query) & {"Коваль Ганна", "Коваленко Олег", "Дем’яненко Ілля",
                            "Іванова-Петренко Ольга", "Шевальє Жан"} == names


@pytest.mark.parametrize("query", ["+380 67 111 22 33", "067-111-22-33", "380671112233",
                                   "(067) 111 2233", "1112233", "111-22-33", "67 111 22 33"])
def test_a_phone_is_found_by_the_whole_number_or_its_last_digits(people, query):
    assert "Коваль Ганна" in _found(query) and "Шевальє Жан" not in _found(query)


def test_the_keys_follow_a_renamed_contact_and_a_changed_number(app):
    with app.app_context():
        contact_id = _add("Ткачук Марія", "+380501110000")
        contact = db.session.get(Contact, contact_id)
        contact.name_as("Ткаченко", "Марія", None)
        contact.phones[0].number = contact.phones[0].e164 = "+380672220000"
        db.session.commit()
        assert "Ткаченко Марія" in _found("ткаченко") and not _found("ткачук")
        assert "Ткаченко Марія" in _found("2220000") and not _found("1110000")


def test_a_deleted_contact_takes_its_words_along(app):
    with app.app_context():
        contact_id = _add("Прибуток Остап")
        db.session.delete(db.session.get(Contact, contact_id))
        db.session.commit()
        left = db.session.scalar(select(func.count()).select_from(ContactWord)
                                 .where(ContactWord.contact_id == contact_id))
        assert left == 0 and not _found("Прибуток")


@pytest.mark.parametrize("query", ["Коваль", "Коваленко Олег", "+380671112233", "1112233"])
def test_every_search_is_served_by_an_index_not_a_scan(people, app, query):
    """The plan of each search names an index for the contacts, their words and phones: with
    a million contacts a scan of any of them is far over the 50 ms a search may take."""
    with app.app_context():
        statements = []
        connection = db.session.connection()
        from sqlalchemy import event
        listen = lambda *args: statements.append((args[2], args[3]))  # noqa: E731
        event.listen(connection, "before_cursor_execute", listen)
        find_contacts(query, "UA")
        event.remove(connection, "before_cursor_execute", listen)
        if connection.dialect.name == "postgresql":
            # with sequential scans priced out, a plan keeps one only where no index serves
            connection.execute(text("SET LOCAL enable_seqscan = off"))
        queries = [(s, p) for s, p in statements if s.startswith("SELECT")]
        assert len(queries) >= 2  # the contacts, then their phones
        for statement, parameters in queries:
            plan = _plan(connection, statement, parameters)
            scans = [step for step in plan if ("Seq Scan" in step or step.startswith("SCAN "))
                     and "accounts" not in step  # accounts are few: read as they are
                     and "SCAN anon_" not in step]  # the rows a subquery found, counted
            assert plan and not scans, "\n".join([statement, *plan])


def _plan(connection, statement: str, parameters) -> list[str]:
    if connection.dialect.name == "sqlite":
        return [row[-1] for row in connection.exec_driver_sql(
            f"EXPLAIN QUERY PLAN {statement}", parameters)]
    return [row[0] for row in connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)]


def test_one_word_lists_the_names_it_begins_first_then_the_other_matches(app):
    """A surname typed (names are written surname first) is listed before a first name that
    begins the same way, each group in alphabetical order, on both databases."""
    with app.app_context():
        for name in ("Коваленко Олег", "Олешко Ярема", "Олексієнко Іван", "Бондар Олесь"):
            _add(name)
        found = [c.full_name for c in find_contacts("оле", "UA")]
        assert found[:2] == ["Олексієнко Іван", "Олешко Ярема"]  # the surnames, in order
        assert found.index("Бондар Олесь") < found.index("Коваленко Олег")
        assert len(found) == len(set(found))


def test_several_words_list_the_names_that_begin_with_one_of_them_first(app):
    """"Зоз Яри" is a surname and a first name begun: Зозуля Ярина comes before Андрієнко
    Ярина Зозулівна (whose patronymic begins Зоз), though А sorts first."""
    with app.app_context():
        for name in ("Андрієнко Ярина Зозулівна", "Зозуля Ярина", "Ярисько Богдан Зозуленко",
                     "Бабич Ярема"):
            _add(name)
        assert [c.full_name for c in find_contacts("Зоз Яри", "UA")] == [
            "Зозуля Ярина", "Ярисько Богдан Зозуленко", "Андрієнко Ярина Зозулівна"]


@pytest.fixture
def crowd(app):
    """Namesakes enough that every path of the search has something to order: first names
    shared, surnames begun alike, patronymics, and accounts whose names share a word."""
    with app.app_context():
        accounts = [Account.named(f"ТОВ «Партнер {n}»") for n in range(4)]
        surnames = ("Зозуля", "Зозуленко", "Яриш", "Бабич", "Дем'янчук", "Ящук")
        firsts = ("Ярина", "Ярема", "Ганна", "Остап")
        for n, (surname, first) in enumerate(
                (s, f) for s in surnames for f in firsts for _ in range(2)):
            contact = Contact(full_name=f"{surname} {first} Зозулович" if n % 5 == 0
                              else f"{surname} {first}", contact_type=ContactType.CLIENT)
            contact.account = accounts[n % 4] if n % 3 == 0 else None
            db.session.add(contact)
        db.session.commit()
        yield


QUERIES = ["яри", "Ярина", "зоз", "зоз яри", "яри зоз", "ярема зозуля", "партнер", "тов",
           "партнер 1", "Дем'я", "остап ящ", "зозулович", "зоз яри зозулович"]


@pytest.mark.parametrize("limit", [5, 50])
def test_a_common_word_finds_the_same_by_walking_the_names_in_order(crowd, monkeypatch,
                                                                    limit):
    """A word shared by many contacts is answered by walking the names in alphabetical order
    (searched below as if every word were that common), a rare one by listing its matches:
    the same contacts, in the same order, either way."""
    listed = {query: [c.id for c in find_contacts(query, "UA", limit)] for query in QUERIES}
    monkeypatch.setattr(search, "DENSE", 1)
    monkeypatch.setattr(search, "MANY_ACCOUNTS", 1)
    walked = {query: [c.id for c in find_contacts(query, "UA", limit)] for query in QUERIES}
    assert walked == listed
    assert all(listed.values())
    assert len(listed["яри"]) == 5 if limit == 5 else len(listed["яри"]) > 5  # cut, or all
    assert all(len(ids) == len(set(ids)) for ids in listed.values())
