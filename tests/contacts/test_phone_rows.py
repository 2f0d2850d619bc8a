"""The card's phones as rows edited in place: add, change and remove, each checked, with the
list answered again for htmx and the edit page without JavaScript."""
import re

from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import ContactPhone
from tests.helpers import csrf, login, sample_contact_id

HTMX = {"HX-Request": "true", "HX-Target": "phones"}


def _phones(app, contact_id):
    with app.app_context():
        return [(p.kind.value, p.number) for p in db.session.scalars(
            select(ContactPhone).where(ContactPhone.contact_id == contact_id)
            .order_by(ContactPhone.id))]


def _post(client, url, **data):
    return client.post(url, data={"csrf_token": csrf(client), **data}, headers=HTMX)


def test_a_phone_is_added_changed_and_removed_in_place(app, operator):
    contact_id = sample_contact_id(app)
    edit = operator.get(f"/contacts/{contact_id}/edit").text
    assert 'id="phones"' in edit and "Add phone" in edit
    added = _post(operator, f"/contacts/{contact_id}/phones",
                  **{"phones-new-kind": "work", "phones-new-number": "044 123 45 67"})
    assert added.status_code == 200 and "<html" not in added.text and "Phone added." in added.text
    assert _phones(app, contact_id)[-1] == ("work", "+380441234567")
    [new_id] = [p for p in re.findall(r"/phones/(\d+)/delete", added.text)][-1:]
    saved = _post(operator, f"/contacts/{contact_id}/phones/{new_id}",
                  **{f"phones-{new_id}-kind": "home", f"phones-{new_id}-number": "0441234568"})
    assert saved.status_code == 200 and _phones(app, contact_id)[-1] == ("home", "+380441234568")
    removed = _post(operator, f"/contacts/{contact_id}/phones/{new_id}/delete")
    assert removed.status_code == 200 and "Phone removed." in removed.text
    assert _phones(app, contact_id) == [("mobile", "+380501234567")]


def test_an_invalid_number_is_named_at_its_field_and_stores_nothing(app, operator):
    contact_id = sample_contact_id(app)
    operator.get(f"/contacts/{contact_id}/edit")
    refused = _post(operator, f"/contacts/{contact_id}/phones",
                    **{"phones-new-kind": "work", "phones-new-number": "12-ab"})
    assert refused.status_code == 422
    assert re.search(r'id="phones-new-number-error">This is not a valid phone number\.<',
                     refused.text)
    assert 'value="12-ab"' in refused.text  # what was typed stays to be corrected
    assert _phones(app, contact_id) == [("mobile", "+380501234567")]


def test_another_cards_phone_id_is_refused(app, operator):
    contact_id = sample_contact_id(app)
    with app.app_context():
        other = db.session.scalar(select(ContactPhone.id).where(
            ContactPhone.contact_id != contact_id))
    operator.get(f"/contacts/{contact_id}/edit")
    for url in (f"/contacts/{contact_id}/phones/{other}",
                f"/contacts/{contact_id}/phones/{other}/delete"):
        response = _post(operator, url, **{f"phones-{other}-kind": "work",
                                           f"phones-{other}-number": "0441234567"})
        assert response.status_code == 404 and "This card has no such phone." in response.text
    with app.app_context():
        assert db.session.get(ContactPhone, other) is not None


def test_without_javascript_the_edit_page_comes_back(app, operator):
    contact_id = sample_contact_id(app)
    operator.get(f"/contacts/{contact_id}/edit")
    response = operator.post(f"/contacts/{contact_id}/phones", data={
        "csrf_token": csrf(operator), "phones-new-kind": "work",
        "phones-new-number": "044 123 45 67"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/contacts/{contact_id}/edit#phones")
    assert "Phone added." in operator.get(response.headers["Location"]).text


def test_marketers_cannot_change_phones(app, client):
    login(client, "marketer")
    contact_id = sample_contact_id(app)
    client.get("/contacts")
    response = client.post(f"/contacts/{contact_id}/phones", data={
        "csrf_token": csrf(client), "phones-new-kind": "work", "phones-new-number": "0441234567"})
    assert response.status_code == 403


def test_an_address_and_an_anniversary_are_added_and_changed_in_place(app, operator):
    from survey_app.models import Address, Anniversary
    contact_id = sample_contact_id(app)
    edit = operator.get(f"/contacts/{contact_id}/edit").text
    assert 'id="addresses"' in edit and 'id="anniversaries"' in edit
    headers = {"HX-Request": "true", "HX-Target": "addresses"}
    added = operator.post(f"/contacts/{contact_id}/addresses", headers=headers, data={
        "csrf_token": csrf(operator), "addresses-new-kind": "legal",
        "addresses-new-country": "Ukraine", "addresses-new-city": "Lviv",
        "addresses-new-line": "пл. Ринок, 1"})
    assert added.status_code == 200 and "Address added." in added.text
    headers["HX-Target"] = "anniversaries"
    refused = operator.post(f"/contacts/{contact_id}/anniversaries", headers=headers, data={
        "csrf_token": csrf(operator), "anniversaries-new-kind": "wedding",
        "anniversaries-new-date": "31/02/2020"})
    assert refused.status_code == 422 and "is not a date" in refused.text.replace("&#34;", "")
    added = operator.post(f"/contacts/{contact_id}/anniversaries", headers=headers, data={
        "csrf_token": csrf(operator), "anniversaries-new-kind": "wedding",
        "anniversaries-new-date": "14/02/2015"})
    assert added.status_code == 200 and "Anniversary added." in added.text
    with app.app_context():
        cities = db.session.scalars(select(Address.city).where(Address.contact_id == contact_id))
        assert "Lviv" in list(cities)
        dates = db.session.scalars(select(Anniversary.date).where(
            Anniversary.contact_id == contact_id))
        assert "2015-02-14" in [str(d) for d in dates]
    card = operator.get(f"/contacts/{contact_id}").text
    assert "Legal: Ukraine, Lviv, пл. Ринок, 1" in card
    assert "14/02/2015 · Wedding anniversary" in card


def test_a_list_the_card_does_not_have_is_refused(app, operator):
    operator.get("/contacts")
    response = operator.post(f"/contacts/{sample_contact_id(app)}/orders",
                             data={"csrf_token": csrf(operator)})
    assert response.status_code in (404, 405)
