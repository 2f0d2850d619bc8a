"""The card lists the contact's calls, as the thesis's card does: direction, operator, start,
talk time, outcome and the survey taken in the call."""
import re

from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Call, CustomerSurvey
from tests.helpers import sample_contact_id, start_survey
from tests.telephony.test_calls_section import _call, ev


def _rows(page: str) -> list[str]:
    table = re.search(r'<table class="list stacked" id="contact-calls">(.*?)</table>', page, re.S)
    return re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)[1:] if table else []


def test_the_card_lists_the_contacts_calls_with_their_survey(app, operator):
    _call(app, "1.0", "305", ev.RINGING, ev.ANSWERED, ev.ENDED, outcome="answered")
    _call(app, "2.0", "306", ev.RINGING, ev.ENDED, outcome="no_answer")
    _call(app, "3.0", "305", ev.RINGING, ev.ENDED, outcome="no_answer", number="0441234567")
    contact_id = sample_contact_id(app)
    url = start_survey(operator, contact_id)
    with app.app_context():  # the survey was taken in the answered call
        answered = db.session.scalar(select(Call).where(Call.linkedid == "1.0"))
        survey = db.session.get(CustomerSurvey, int(url.rsplit("/", 1)[1]))
        survey.call_id = answered.id
        db.session.commit()
        name = survey.questionnaire.name
    page = operator.get(f"/contacts/{contact_id}").text
    rows = _rows(page)
    assert len(rows) == 2  # the third call was another number's
    texts = [re.sub(r"<[^>]+>", " ", row) for row in rows]
    assert "Inbound" in texts[0] and "No answer" in texts[0] and "Андрій Мельник" in texts[0]
    assert "Answered" in texts[1] and "10 s" in texts[1] and name in texts[1]
    assert f'href="/surveys/{survey.id}"' in rows[1]


def test_the_card_shows_the_latest_calls_a_page_at_a_time(app, operator, monkeypatch):
    from survey_app.contacts import history
    monkeypatch.setattr(history, "PER_PAGE", 2)
    for n in range(3):
        _call(app, f"{n}.5", "305", ev.RINGING, ev.ENDED, outcome="busy")
    card = f"/contacts/{sample_contact_id(app)}"
    page = operator.get(card).text
    assert len(_rows(page)) == 2 and "Page 1 of 2 (3 in all)" in page
    assert f'href="{card}?calls_page=2"' in page
    older = operator.get(f"{card}?calls_page=2").text
    assert len(_rows(older)) == 1 and "Page 2 of 2 (3 in all)" in older


def test_a_contact_without_calls_says_so(app, operator):
    page = operator.get(f"/contacts/{sample_contact_id(app)}").text
    assert "No calls yet." in page and _rows(page) == []
