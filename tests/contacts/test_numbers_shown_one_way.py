"""Every number is stored as E.164 and shown one way (international: +380 50 123 4567) on
every screen, while search still takes any way of writing it."""
import re

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from survey_app.extensions import db
from survey_app.models import Contact, ContactPhone
from survey_app.phones import shown
from tests.helpers import csrf_from, empty_app_on

INTERNATIONAL = re.compile(r"^\+380 \d{2} \d{3} \d{4}$")


@pytest.mark.parametrize("typed", ["+380508886584", "380508886584", "050 888-65-84",
                                   "+380 50 888 65 84", "0508886584"])
def test_any_way_of_writing_a_number_is_shown_the_one_way(typed):
    assert shown(typed) == "+380 50 888 6584"


def test_what_is_not_a_phone_number_is_shown_as_it_came():
    assert (shown("305"), shown("anonymous"), shown(None)) == ("305", "anonymous", "")


def test_a_result_list_shows_every_number_the_same_way(app, operator):
    page = operator.get("/contacts?q=Ко", headers={"HX-Request": "true",
                                                   "HX-Target": "contact-results"}).text
    numbers = re.findall(r"<td>(\+?[\d][\d \-]+)</td>", page)
    assert len(numbers) > 5 and all(INTERNATIONAL.match(n) for n in numbers), numbers


def test_a_contact_created_with_a_spaced_number_stores_its_e164(app, operator):
    page = operator.get("/contacts/new?phone=%2B380%2067%20000%2000%2001").text
    response = operator.post("/contacts/new", data={
        "last_name": "Нова", "first_name": "Клієнтка", "phone": "+380 67 000 00 01",
        "contact_type": "client",
        "csrf_token": csrf_from(page)})
    assert response.status_code == 303
    with app.app_context():
        phone = db.session.scalar(select(ContactPhone).join(Contact)
                                  .where(Contact.full_name == "Нова Клієнтка"))
        assert (phone.number, phone.e164) == ("+380670000001", "+380670000001")
    card = operator.get(response.headers["Location"]).text
    assert "+380 67 000 0001" in card


def test_the_migration_stores_the_typed_numbers_as_e164(tmp_path, request, database):
    app = empty_app_on(database, tmp_path, request)
    with app.app_context():
        upgrade(revision="c3d9e2f1a7b8")
        db.session.execute(text(
            "INSERT INTO contacts (id, full_name, name_key, sort_name, contact_type) "
            "VALUES (1, 'Коваль Олена', 'коваль олена', :sort, 'client')"), {"sort": b"k"})
        db.session.execute(text(
            "INSERT INTO contact_phones (contact_id, kind, number, e164) VALUES "
            "(1, 'mobile', '068 302-08-45', '+380683020845'), (1, 'work', '12-34', NULL)"))
        db.session.commit()
        upgrade()
        numbers = db.session.scalars(text("SELECT number FROM contact_phones ORDER BY id"))
        assert list(numbers) == ["+380683020845", "12-34"]
        db.session.commit()
        downgrade(revision="c3d9e2f1a7b8")
        db.session.remove()
        db.engine.dispose()
