"""Lists sorted by name follow the Ukrainian alphabet, in the database's ORDER BY, on SQLite
and on PostgreSQL; search treats the apostrophes ' ’ ʼ as one."""
import pytest
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Campaign, Contact, User
from survey_app.names import search_key, sort_key
from tests.helpers import csrf_from

# in the order of the Ukrainian alphabet (Ґ after Г, Є after Е, І and Ї after И)
ALPHABETICAL = ["Абрамович Ян", "Гнатюк Ігор", "Ґава Олег", "Демченко Ян", "Дем’яненко Ілля",
                "Ерднеєв Тарас", "Єременко Ян", "Иванів Олег", "Іваненко Ян", "Ївженко Олег",
                "Йовенко Ян", "Яковенко Ян"]


def test_the_key_orders_names_in_the_ukrainian_alphabet():
    assert sorted(reversed(ALPHABETICAL), key=sort_key) == ALPHABETICAL


@pytest.mark.parametrize(("first", "second"), [
    ("гнатюк", "Ґава"),          # letter case aside
    ("Олена", "Олена Коваль"),   # a shorter name first
    ("Олена Коваль", "Оленка"),  # a space before letters
    ("9 Травня", "Абрамович"),   # digits before letters
    ("Яковенко", "Adams"),       # Cyrillic before Latin
])
def test_the_key_puts_the_first_name_before_the_second(first, second):
    assert sort_key(first) < sort_key(second)


def test_apostrophes_are_one_for_search_and_ignored_for_order():
    assert search_key("Дем'яненко") == search_key("Дем’яненко") == search_key("Демʼяненко")
    for name in ("Дем’яненко", "Дем'яненко", "Демʼяненко"):  # sorted as Демяненко
        assert sort_key("Демяненк") < sort_key(name) < sort_key("Демяненкоа")


@pytest.fixture
def ukrainian_names(app):
    with app.app_context():
        for name in reversed(ALPHABETICAL):
            db.session.add(Contact(full_name=f"{name} Тестовий"))
        db.session.commit()


def test_the_contact_search_lists_in_alphabetical_order(operator, ukrainian_names):
    page = operator.get("/contacts?q=Тестовий").text
    positions = [page.index(f"{name} Тестовий") for name in ALPHABETICAL]
    assert positions == sorted(positions)


@pytest.mark.parametrize("typed", ["дем'яненко", "ДЕМ’ЯНЕНКО", "демʼяненко ілля"])
def test_search_finds_a_name_whatever_apostrophe_is_typed(operator, ukrainian_names, typed):
    assert "Дем’яненко Ілля Тестовий" in operator.get(f"/contacts?q={typed}").text


def test_a_renamed_contact_is_found_and_sorted_by_its_new_name(app, operator, ukrainian_names):
    with app.app_context():
        contact = db.session.scalar(select(Contact).where(
            Contact.full_name == "Яковенко Ян Тестовий"))
        contact.full_name = "Аабрамова Ґалина Тестовий"
        db.session.commit()
    page = operator.get("/contacts?q=ґалина").text
    assert "Аабрамова Ґалина Тестовий" in page
    page = operator.get("/contacts?q=Тестовий").text
    assert page.index("Аабрамова") < page.index("Абрамович")


def test_the_operators_filter_and_the_campaigns_are_in_alphabetical_order(app, client):
    with app.app_context():
        for name in ("Ярема Ян", "Ґудзь Олег", "Гуменюк Іра"):
            db.session.add(User(username=name.split()[0], full_name=name, roles=["operator"],
                                password_hash="x"))
        for name in ("Ювілей", "Ґалерея", "Гала"):
            db.session.add(Campaign(name=name))
        db.session.commit()
        campaigns = db.session.scalars(select(Campaign.name).order_by(Campaign.sort_name)).all()
    assert campaigns.index("Гала") < campaigns.index("Ґалерея") < campaigns.index("Ювілей")
    token = csrf_from(client.get("/login").text)
    client.post("/login", data={"username": "supervisor", "password": "demo",
                                "csrf_token": token})
    page = client.get("/calls").text
    assert page.index("Гуменюк Іра") < page.index("Ґудзь Олег") < page.index("Ярема Ян")
