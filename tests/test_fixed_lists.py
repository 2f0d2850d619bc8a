"""Fixed lists (call state, outcome, direction, contact type, phone kind, address and
anniversary type) are StrEnums stored as codes: the migration turns the old words into codes,
an unknown value is refused, and every code has a label in both languages."""
import pytest
from flask_babel import force_locale
from flask_migrate import downgrade, upgrade
from sqlalchemy import exc, inspect, text

from survey_app.extensions import db
from survey_app.language import words
from survey_app.models import (
    AddressType,
    AnniversaryType,
    AnswerKind,
    Contact,
    ContactType,
    PhoneKind,
    QuestionnaireStatus,
)
from survey_app.names import search_key, sort_key
from survey_app.telephony.calls.events import CallState, Direction, Outcome
from tests.helpers import empty_app_on

BEFORE = "b7e3c1a2d4f5"
LABELS = [(ContactType, words.CONTACT_TYPES), (PhoneKind, words.PHONE_KINDS),
          (AddressType, words.ADDRESS_TYPES), (AnniversaryType, words.ANNIVERSARY_TYPES),
          (CallState, words.CALL_STATES), (Outcome, words.OUTCOMES),
          (Direction, words.DIRECTIONS), (AnswerKind, words.ANSWER_KINDS),
          (QuestionnaireStatus, words.QUESTIONNAIRE_STATUSES)]


@pytest.mark.parametrize(("enum", "labels"), LABELS)
def test_every_code_has_a_label_in_both_languages(app, enum, labels):
    with app.test_request_context():
        shown = {}
        for language in ("en", "uk"):
            with force_locale(language):
                shown[language] = [words.label(labels, member) for member in enum]
    assert set(labels) - {None} == {member.value for member in enum}
    assert all(shown["en"]) and all(a != b for a, b in zip(shown["en"], shown["uk"],
                                                           strict=True))


def test_an_unknown_code_is_refused_and_nothing_is_stored(app):
    with app.app_context():
        before = db.session.scalar(db.select(db.func.count(Contact.id)))
        db.session.add(Contact(full_name="Нова Особа", contact_type="Client"))
        with pytest.raises(exc.StatementError):
            db.session.commit()
        db.session.rollback()
        assert db.session.scalar(db.select(db.func.count(Contact.id))) == before


def _filled_before_the_migration():
    for number, name, kind in ((1, "Коваль Олена", "Employee"), (2, "Бойко Іван", "Customer")):
        db.session.execute(text(
            "INSERT INTO contacts (id, full_name, name_key, sort_name, contact_type) "
            "VALUES (:id, :name, :key, :sort, :kind)"),
            {"id": number, "name": name, "key": search_key(name), "sort": sort_key(name),
             "kind": kind})
    statements = [
        "INSERT INTO contact_phones (contact_id, kind, number, e164) VALUES "
        "(1, 'Mobile', '+380501234567', '+380501234567'), (2, 'Fax', '044 123 45 67', NULL)",
        "INSERT INTO addresses (contact_id, kind, city) VALUES (1, 'Delivery', 'Kyiv')",
        "INSERT INTO anniversaries (contact_id, date, kind) VALUES (1, '1989-05-31', 'Birthday')",
        "INSERT INTO calls (call_id, extension, direction, state, started_at, dismissed) "
        "VALUES ('1795635395.0', '305', 'inbound', 'ended', '2026-12-01 10:00:00', false)",
    ]
    for statement in statements:
        db.session.execute(text(statement))
    db.session.commit()


def _rows(sql: str) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(text(sql))]


def test_the_migration_turns_words_into_codes_and_names_the_linkedid(tmp_path, request,
                                                                        database):
    app = empty_app_on(database, tmp_path, request)
    with app.app_context():
        upgrade(revision=BEFORE)
        _filled_before_the_migration()
        upgrade()
        assert _rows("SELECT contact_type FROM contacts ORDER BY id") == [("employee",),
                                                                          ("other",)]
        assert _rows("SELECT kind FROM contact_phones ORDER BY id") == [("mobile",), ("other",)]
        assert _rows("SELECT kind FROM addresses") == [("delivery",)]
        assert _rows("SELECT kind FROM anniversaries") == [("birthday",)]
        assert _rows("SELECT linkedid FROM calls") == [("1795635395.0",)]
        assert db.session.get(Contact, 1).contact_type is ContactType.EMPLOYEE
        db.session.commit()  # end the reading transaction: the downgrade alters the tables
        downgrade(revision=BEFORE)
        assert _rows("SELECT contact_type FROM contacts ORDER BY id") == [("Employee",),
                                                                          ("Other",)]
        assert "call_id" in {c["name"] for c in inspect(db.engine).get_columns("calls")}
        db.session.remove()
        db.engine.dispose()
