"""flask backup: a consistent, checked copy of the SQLite database while it is in use; and
PostgreSQL's pg_dump and pg_restore, as docs/deploy.md tells an administrator to use them."""
import sqlite3
import subprocess

import pytest
from sqlalchemy import func, select

from survey_app import create_app
from survey_app.extensions import db
from survey_app.models import Contact, ContactType
from tests.conftest import _config
from tests.helpers import login


def contacts_in(path) -> int:
    with sqlite3.connect(path) as copy:
        return copy.execute("SELECT count(*) FROM contacts").fetchone()[0]


@pytest.mark.database("sqlite")
def test_the_copy_has_what_is_committed_while_a_write_is_open(app, runner, tmp_path):
    with app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(Contact))
        path = db.engine.url.database
    writer = sqlite3.connect(path)  # another process's write, not committed yet
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM contacts")
    try:
        target = tmp_path / "copy.db"
        result = runner.invoke(args=["backup", str(target)])
        assert result.exit_code == 0, result.output
        assert "checked" in result.output
    finally:
        writer.rollback()
        writer.close()
    assert contacts_in(target) == stored > 0
    again = runner.invoke(args=["backup", str(target)])  # never over an earlier backup
    assert again.exit_code != 0 and "exists already" in again.output


@pytest.mark.database("sqlite")
def test_without_a_file_the_copy_goes_to_the_instance_folder(app, runner, tmp_path):
    app.instance_path = str(tmp_path)  # not the checkout's own instance/
    result = runner.invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    written = result.output.split("Backup written: ")[1].split(" (")[0]
    assert written.startswith(f"{tmp_path}/backups/survey-") and contacts_in(written) > 0


@pytest.mark.database("postgresql")
def test_on_postgresql_it_points_to_pg_dump(app, runner):
    result = runner.invoke(args=["backup"])
    assert result.exit_code != 0 and "pg_dump" in result.output


@pytest.mark.database("postgresql")
def test_a_pg_dump_restored_into_an_empty_database_is_the_same_and_takes_new_rows(
        app, postgres, tmp_path):
    """The commands of docs/deploy.md: pg_dump -Fc, then pg_restore into a new database."""
    dump, source = tmp_path / "survey.dump", app.config["SQLALCHEMY_DATABASE_URI"]
    subprocess.run([postgres.bin / "pg_dump", "-Fc", "-f", dump, libpq(source)], check=True)
    restored_url = postgres.database()
    subprocess.run([postgres.bin / "pg_restore", "--no-owner", "-d", libpq(restored_url), dump],
                   check=True)
    restored = create_app(_config(None) | {"SQLALCHEMY_DATABASE_URI": restored_url})
    try:
        assert rows_of(restored) == rows_of(app) and sum(rows_of(app).values()) > 100
        with restored.app_context():  # the sequences came along: a new contact gets a new id
            db.session.add(Contact(full_name="Нова Людина", contact_type=ContactType.CLIENT))
            db.session.commit()
        client = restored.test_client()
        login(client, "supervisor")
        assert "Нова Людина" in client.get("/contacts?q=Нова").get_data(as_text=True)
    finally:
        with restored.app_context():
            db.engine.dispose()


def libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def rows_of(app) -> dict[str, int]:
    with app.app_context():
        return {table.name: db.session.scalar(select(func.count()).select_from(table))
                for table in db.metadata.sorted_tables}
