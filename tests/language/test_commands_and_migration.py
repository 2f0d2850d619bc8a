"""The CLI speaks the terminal's language; `flask translations update` merges new strings;
the migration gives existing names their keys."""
import shutil

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from survey_app import create_app
from survey_app.extensions import db
from survey_app.language import catalogs
from survey_app.names import search_key, sort_key
from tests.helpers import empty_app_on


def _empty_app(tmp_path, **settings):
    return create_app({"TESTING": True, "SECRET_KEY": "t", "DEFAULT_LANGUAGE": "en",
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.db'}", **settings})


@pytest.mark.parametrize(("environment", "words"), [
    ({"LANG": "uk_UA.UTF-8"}, ["Додано демонстраційні дані", "operator (оператор, внутр. 305)",
                               "(пароль «demo»)"]),
    ({"LANG": "en_US.UTF-8"}, ["Demo data added", "operator (operator, ext 305)"]),
    ({"LANGUAGE": "uk:en", "LANG": "en_US.UTF-8"}, ["Додано демонстраційні дані"]),
    ({"LANG": "C.UTF-8"}, ["Demo data added"]),  # no language in it: DEFAULT_LANGUAGE
])
def test_seed_demo_speaks_the_terminals_language(tmp_path, monkeypatch, environment, words):
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    app = _empty_app(tmp_path)
    with app.app_context():
        db.create_all()
    result = app.test_cli_runner().invoke(args=["seed-demo", "--contacts", "3"], env=environment)
    for word in words:
        assert word in result.output
    with app.app_context():
        db.engine.dispose()


def test_translations_update_adds_a_new_string_for_translation(tmp_path):
    copy = tmp_path / "uk" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    po = catalogs.DIRECTORY / "uk" / "LC_MESSAGES" / "messages.po"
    shutil.copy(po, copy / "messages.po")
    catalog = catalogs.read(copy / "messages.po")
    del catalog["Survey completed"]
    catalog.add("An old string", "Старий рядок")
    from babel.messages.pofile import write_po
    with (copy / "messages.po").open("wb") as target:
        write_po(target, catalog)
    assert catalogs.update(tmp_path) == {"uk": 1}
    merged = catalogs.read(copy / "messages.po")
    assert merged["Survey completed"].string == ""
    assert merged.get("An old string") is None  # gone from the code: gone from the catalog
    assert (tmp_path / "messages.pot").exists()


def test_the_migration_keys_the_names_that_exist(tmp_path, request, database):
    app = empty_app_on(database, tmp_path, request)
    with app.app_context():
        upgrade(revision="8d2695374519")
        db.session.execute(text(
            "INSERT INTO users (username, full_name, password_hash, role, active, "
            "telephony_enabled, telephony_debug, agent_state) "
            "VALUES ('ґ', 'Ґудзь Олег', 'x', 'operator', true, true, false, 'ready')"))
        db.session.execute(text(
            "INSERT INTO contacts (full_name, name_key, contact_type) "
            "VALUES ('Дем’яненко Ілля', 'дем’яненко ілля', 'Client')"))
        db.session.commit()
        upgrade()
        user = db.session.execute(text("SELECT sort_name, language FROM users")).one()
        contact = db.session.execute(text("SELECT sort_name, name_key FROM contacts")).one()
        assert (bytes(user.sort_name), user.language) == (sort_key("Ґудзь Олег"), None)
        assert bytes(contact.sort_name) == sort_key("Дем’яненко Ілля")
        assert contact.name_key == search_key("Дем’яненко Ілля") == "дем'яненко ілля"
        db.session.commit()  # end the reading transaction: the downgrade alters the tables
        downgrade(revision="8d2695374519")
        columns = {c["name"] for c in inspect(db.engine).get_columns("users")}
        assert "sort_name" not in columns and "language" not in columns
        db.engine.dispose()
