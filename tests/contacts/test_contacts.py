"""Contact search by name or phone, and the contact card."""
import pytest

from survey_app.phones import to_e164
from tests.helpers import SAMPLE_CONTACT, sample_contact_id


@pytest.mark.parametrize("raw", ["+380501234567", "380501234567", "0501234567",
                                 "050 123-45-67", "(050) 123 45 67", "+38 050 123 45 67"])
def test_every_common_way_of_writing_the_number_is_one_e164(raw):
    assert to_e164(raw, "UA") == "+380501234567"


@pytest.mark.parametrize("raw", ["", "   ", "abc", "12", "0000000000000000"])
def test_text_that_is_no_phone_number_gives_none(raw):
    assert to_e164(raw, "UA") is None


@pytest.mark.parametrize("query", ["+380501234567", "380501234567", "0501234567",
                                   "050 123-45-67", "Уляненко", "уляненко олекс",
                                   "ОЛЕКСАНДРА уляненко", "1234567"])
def test_search_finds_the_sample_contact_by_name_or_phone(operator, query):
    page = operator.get("/contacts", query_string={"q": query})
    assert page.status_code == 200
    assert SAMPLE_CONTACT in page.text


def test_live_search_answers_with_the_results_fragment_only(operator):
    page = operator.get("/contacts", query_string={"q": "Уляненко"},
                        headers={"HX-Request": "true", "HX-Target": "contact-results"})
    assert "<html" not in page.text and page.text.lstrip().startswith('<div id="contact-results">')
    assert SAMPLE_CONTACT in page.text


def test_search_with_no_match_says_so(operator):
    page = operator.get("/contacts", query_string={"q": "Неіснуючий"})
    assert "No contact matches “Неіснуючий”." in page.text


@pytest.mark.parametrize("query", ["%", "_", "\\", "' OR 1=1 --", "<script>alert(1)</script>"])
def test_search_treats_special_characters_as_text(operator, query):
    page = operator.get("/contacts", query_string={"q": query})
    assert page.status_code == 200
    assert SAMPLE_CONTACT not in page.text
    assert "<script>alert(1)</script>" not in page.text


def test_card_shows_main_data_phones_addresses_and_anniversaries(app, operator):
    page = operator.get(f"/contacts/{sample_contact_id(app)}").text
    for fact in (SAMPLE_CONTACT, "Our company", "Молниста Наталья", "Employee", "Ukraine",
                 "aleksandra-ulianenko@gmail.com", "Mobile: +380 50 123 4567",
                 "Delivery: Ukraine, Kyiv, Moskovskyi ave. 16", "31/05/1989 · Birthday",
                 "No surveys yet.", "Start survey"):
        assert fact in page


def test_unknown_contact_is_404(operator):
    response = operator.get("/contacts/999999")
    assert response.status_code == 404 and "There is no such contact." in response.text


def test_home_goes_to_contacts(operator):
    assert operator.get("/").headers["Location"] == "/contacts"


def test_start_form_lists_only_published_questionnaires_of_the_campaign(operator, app):
    page = operator.get(f"/contacts/{sample_contact_id(app)}/surveys/new").text
    assert "Choose the campaign" in page and 'Conference &#34;CRM Days&#34;' in page
    options = operator.get("/surveys/questionnaires", query_string={"campaign_id": 1}).text
    assert "Survey 1" in options and "Webinar invitation" not in options
    none = operator.get("/surveys/questionnaires", query_string={"campaign_id": 999}).text
    assert "No published questionnaire" in none


def test_start_form_preselects_the_operators_last_campaign_and_questionnaire(operator, app):
    from tests.helpers import start_survey
    contact = sample_contact_id(app)
    first = operator.get(f"/contacts/{contact}/surveys/new").text
    assert '<option selected value="2">Attracting an audience' in first
    start_survey(operator, contact, campaign_id=1, questionnaire_id=1)
    again = operator.get(f"/contacts/{contact}/surveys/new").text
    assert '<option selected value="1">Conference' in again
    assert '<option selected value="1">Survey 1</option>' in again


@pytest.mark.parametrize("number", ["+380501234567", "380501234567", "0501234567",
                                    "050 123-45-67"])
def test_caller_lookup_finds_the_contact_for_every_way_of_writing_the_number(app, number):
    from survey_app.contacts.lookup import contacts_with_number
    with app.app_context():
        assert [c.full_name for c in contacts_with_number(number, "UA")] == [SAMPLE_CONTACT]


def test_caller_lookup_returns_every_contact_sharing_a_number(app):
    from survey_app.contacts.lookup import contacts_with_number
    from survey_app.extensions import db
    from survey_app.models import Contact, ContactPhone
    with app.app_context():
        twin = Contact(full_name="Уляненко Петро")
        twin.phones = [ContactPhone(number="050 123 45 67", e164="+380501234567")]
        db.session.add(twin)
        db.session.commit()
        names = [c.full_name for c in contacts_with_number("0501234567", "UA")]
    assert names == ["Уляненко Олександра", "Уляненко Петро"]


@pytest.mark.parametrize("number", [None, "", "anonymous", "<unknown>", "5551000"])
def test_caller_lookup_of_no_number_or_an_internal_one_finds_nobody(app, number):
    from survey_app.contacts.lookup import contacts_with_number
    with app.app_context():
        assert contacts_with_number(number, "UA") == []


def test_a_long_result_list_says_it_shows_only_the_first_ones(app, operator, monkeypatch):
    from survey_app.contacts import routes
    monkeypatch.setattr(routes, "SEARCH_LIMIT", 3)
    page = operator.get("/contacts?q=Ко", headers={"HX-Request": "true",
                                                   "HX-Target": "contact-results"}).text
    assert page.count("<tr") - 1 == 3  # the header's row and three contacts
    assert "Showing the first 3; type more to narrow the search." in page
