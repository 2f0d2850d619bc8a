"""Contacts created and edited like a CRM card: the name in parts, the account chosen or
created (a name typed twice is one account), owner, type, language, role, country, email; a
stale form is refused with the current values; bad input is named at its field."""
import re

import pytest
from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import Account, Contact, ContactPhone, User
from tests.helpers import csrf_from, login, sample_contact_id


def _form(page: str) -> dict:
    """The edit form's fields as the browser would post them back."""
    fields = dict(re.findall(r'<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"', page))
    fields.update(re.findall(r'<select[^>]*name="([a-z_]+)".*?<option selected value="([^"]*)"',
                             page, re.S))
    return fields


def _edit(client, contact_id: int, **changes):
    page = client.get(f"/contacts/{contact_id}/edit").text
    return client.post(f"/contacts/{contact_id}/edit", data=_form(page) | changes)


def test_new_contact_from_the_contacts_page_with_the_name_in_parts(app, operator):
    assert 'href="/contacts/new"' in operator.get("/contacts").text
    page = operator.get("/contacts/new").text
    for label in ("Last name", "First name", "Middle name", "Account", "Owner", "Type",
                  "Language", "Role", "Country", "Email", "Phone", "Phone kind"):
        assert f">{label}</label>" in page
    response = operator.post("/contacts/new", data={
        "csrf_token": csrf_from(page), "last_name": "Коваль", "first_name": "Олена",
        "middle_name": "Петрівна", "account_name": "  ТОВ  «Ромашка» ", "phone": "067 000 00 02",
        "phone_kind": "work",
        "contact_type": "partner", "language": "Українська", "job_role": "Бухгалтер",
        "country": "Ukraine", "email": "olena@example.com", "owner_id": ""})
    assert response.status_code == 303
    card = operator.get(response.headers["Location"]).text
    assert "<h1>Коваль Олена Петрівна</h1>" in card and "ТОВ «Ромашка»" in card
    assert "Partner" in card and "Бухгалтер" in card and "+380 67 000 0002" in card
    with app.app_context():
        stored = db.session.scalars(select(ContactPhone.kind).where(
            ContactPhone.e164 == "+380670000002")).all()
    assert stored == ["work"]  # the kind chosen, not always Mobile


def test_the_same_account_name_typed_twice_is_one_account(app, operator):
    for last, typed in (("Перша", "ТОВ «Ромашка»"), ("Друга", "тов  «РОМАШКА»")):
        page = operator.get("/contacts/new").text
        operator.post("/contacts/new", data={"csrf_token": csrf_from(page), "last_name": last,
                                             "account_name": typed, "phone": "0670000003",
                                             "contact_type": "client"})
    with app.app_context():
        assert db.session.scalar(select(func.count(Account.id)).where(
            Account.name_key == "тов «ромашка»")) == 1
        ids = db.session.scalars(select(Contact.account_id).where(
            Contact.last_name.in_(["Перша", "Друга"]))).all()
        assert len(ids) == 2 and len(set(ids)) == 1


def test_editing_the_card_keeps_the_search_keys_and_the_parts(app, operator):
    contact_id = sample_contact_id(app)
    with app.app_context():
        owner = db.session.scalar(select(User.id).where(User.username == "supervisor"))
    response = _edit(operator, contact_id, last_name="Уляненко-Бойко", middle_name="Іванівна",
                     owner_id=str(owner), contact_type="client", account_name="Our company")
    assert response.status_code == 303
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert contact.full_name == "Уляненко-Бойко Олександра Іванівна"
        assert (contact.owner_id, contact.contact_type, contact.version) == (owner, "client", 2)
    found = operator.get("/contacts?q=бойко").text
    assert "Уляненко-Бойко Олександра Іванівна" in found
    assert "Уляненко-Бойко" in operator.get("/contacts?q=Our comp").text  # by its account


def test_a_stale_form_is_refused_with_the_current_values(app, operator):
    contact_id = sample_contact_id(app)
    stale = operator.get(f"/contacts/{contact_id}/edit").text
    colleague = app.test_client()
    login(colleague, "operator2")
    assert _edit(colleague, contact_id, job_role="Директор").status_code == 303
    refused = operator.post(f"/contacts/{contact_id}/edit",
                            data=_form(stale) | {"job_role": "Стажер"})
    assert refused.status_code == 409
    assert "Someone else saved this card while you were editing it." in refused.text
    assert 'value="Директор"' in refused.text  # the values as they are now
    with app.app_context():
        assert db.session.get(Contact, contact_id).job_role == "Директор"


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"email": "olena.example.com"}, "email", "This is not an email address."),
    ({"last_name": ""}, "last_name", "This field is required."),
    ({"owner_id": "99999"}, "owner_id", "Not a valid choice."),
    ({"contact_type": "boss"}, "contact_type", "Not a valid choice."),
])
def test_bad_input_is_named_at_its_field_and_stores_nothing(app, operator, changes, field,
                                                           message):
    contact_id = sample_contact_id(app)
    response = _edit(operator, contact_id, **changes)
    assert response.status_code == 422
    assert re.search(rf'id="{field}-error">{re.escape(message)}<', response.text)
    with app.app_context():
        assert db.session.get(Contact, contact_id).version == 1


def test_marketers_cannot_edit_contacts(app, client):
    login(client, "marketer")
    assert client.get(f"/contacts/{sample_contact_id(app)}/edit").status_code == 403
    assert client.get("/contacts/new").status_code == 403


def test_an_owner_who_no_longer_logs_in_stays_the_cards_owner_on_a_save(app, operator):
    contact_id = sample_contact_id(app)
    with app.app_context():
        owner = db.session.get(Contact, contact_id).owner
        assert owner is not None and not owner.active  # the demo's Молниста Наталья
        owner_id = owner.id
    assert _edit(operator, contact_id, job_role="Директор").status_code == 303
    with app.app_context():
        assert db.session.get(Contact, contact_id).owner_id == owner_id
