"""Two cards of the same person merged by a supervisor: phones, addresses, anniversaries,
surveys and calls move to the kept card; the other is gone; nothing is lost."""
from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import Address, Contact, ContactPhone, CustomerSurvey, PhoneKind
from tests.helpers import csrf, login, sample_contact_id, start_survey


def _twin(app) -> int:
    """A second card of Уляненко Олександра: another phone, an address, the same phone too."""
    with app.app_context():
        twin = Contact(email="o.ulianenko@work.example")
        twin.name_as("Уляненко", "Олександра", "Петрівна")
        twin.phones = [ContactPhone(kind=PhoneKind.WORK, number="+380441112233",
                                    e164="+380441112233"),
                       ContactPhone(kind=PhoneKind.MOBILE, number="+380501234567",
                                    e164="+380501234567")]
        twin.addresses = [Address(kind="legal", city="Lviv", line="пл. Ринок, 1")]
        db.session.add(twin)
        db.session.commit()
        return twin.id


def test_a_supervisor_merges_the_twin_into_the_card_and_nothing_is_lost(app, client):
    kept_id, twin_id = sample_contact_id(app), _twin(app)
    login(client, "operator")
    survey_url = start_survey(client, twin_id)
    client.post("/logout", data={"csrf_token": csrf(client)})
    login(client, "supervisor")
    page = client.get(f"/contacts/{kept_id}/merge").text
    assert "Уляненко Олександра Петрівна" in page and f'value="{twin_id}"' in page
    response = client.post(f"/contacts/{kept_id}/merge",
                           data={"csrf_token": csrf(client), "other": str(twin_id)})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Contact, twin_id) is None
        kept = db.session.get(Contact, kept_id)
        assert sorted(p.e164 for p in kept.phones) == ["+380441112233", "+380501234567"]
        assert "Lviv" in [a.city for a in kept.addresses]
        assert kept.email == "aleksandra-ulianenko@gmail.com"  # the kept card's own value stays
        assert kept.middle_name == "Петрівна"  # an empty field filled from the other card
        survey = db.session.get(CustomerSurvey, int(survey_url.rsplit("/", 1)[1]))
        assert survey.contact_id == kept_id
        assert db.session.scalar(select(func.count()).select_from(ContactPhone).where(
            ContactPhone.contact_id == twin_id)) == 0
    assert client.get(f"/contacts/{twin_id}").status_code == 404


def test_only_supervisors_and_admins_merge(app, operator):
    kept_id, twin_id = sample_contact_id(app), _twin(app)
    assert operator.get(f"/contacts/{kept_id}/merge").status_code == 403
    response = operator.post(f"/contacts/{kept_id}/merge",
                             data={"csrf_token": csrf(operator), "other": str(twin_id)})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Contact, twin_id) is not None


def test_a_card_is_not_merged_with_itself_or_an_unknown_one(app, client):
    login(client, "supervisor")
    kept_id = sample_contact_id(app)
    for other, status in ((str(kept_id), 409), ("999999", 404), ("x", 404)):
        response = client.post(f"/contacts/{kept_id}/merge",
                               data={"csrf_token": csrf(client), "other": other})
        assert response.status_code == status
    with app.app_context():
        assert db.session.get(Contact, kept_id) is not None
