"""The migration splits the names that exist into their parts and keys the accounts, on
SQLite and PostgreSQL, and comes back down."""
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from survey_app.extensions import db
from survey_app.names import sort_key
from tests.helpers import empty_app_on

BEFORE = "d4e0f3a2b9c1"


def test_names_are_split_and_accounts_keyed(tmp_path, request, database):
    app = empty_app_on(database, tmp_path, request)
    with app.app_context():
        upgrade(revision=BEFORE)
        db.session.execute(text("INSERT INTO accounts (id, name) VALUES (1, 'ТОВ  «Ромашка»')"))
        for number, name in ((1, "Коваль Олена Петрівна"), (2, "Уляненко Олександра"),
                             (3, "Бойко")):
            db.session.execute(text(
                "INSERT INTO contacts (id, full_name, name_key, sort_name, contact_type, "
                "account_id) VALUES (:id, :name, :name, :sort, 'client', 1)"),
                {"id": number, "name": name, "sort": sort_key(name)})
        db.session.commit()
        upgrade()
        rows = db.session.execute(text(
            "SELECT last_name, first_name, middle_name, version FROM contacts ORDER BY id"))
        assert [tuple(r) for r in rows] == [("Коваль", "Олена", "Петрівна", 1),
                                            ("Уляненко", "Олександра", None, 1),
                                            ("Бойко", None, None, 1)]
        assert db.session.scalar(text("SELECT name_key FROM accounts")) == "тов «ромашка»"
        db.session.commit()
        downgrade(revision=BEFORE)
        assert "last_name" not in {c["name"] for c in inspect(db.engine).get_columns("contacts")}
        db.session.remove()
        db.engine.dispose()
