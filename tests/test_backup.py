"""flask backup: a consistent, checked copy of the SQLite database while it is in use."""
import sqlite3

from sqlalchemy import func, select

from survey_app import create_app
from survey_app.extensions import db
from survey_app.models import Contact
from tests.conftest import _config


def contacts_in(path) -> int:
    with sqlite3.connect(path) as copy:
        return copy.execute("SELECT count(*) FROM contacts").fetchone()[0]


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


def test_without_a_file_the_copy_goes_to_the_instance_folder(app, runner, tmp_path):
    app.instance_path = str(tmp_path)  # not the checkout's own instance/
    result = runner.invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    written = result.output.split("Backup written: ")[1].split(" (")[0]
    assert written.startswith(f"{tmp_path}/backups/survey-") and contacts_in(written) > 0


def test_on_postgresql_it_points_to_pg_dump(postgres):
    on_postgres = create_app(_config(None) | {"SQLALCHEMY_DATABASE_URI": postgres.database()})
    result = on_postgres.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code != 0 and "pg_dump" in result.output
    with on_postgres.app_context():
        db.engine.dispose()
