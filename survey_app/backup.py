"""flask backup [FILE]: a consistent copy of the SQLite database while the app runs, by
SQLite's online backup (readers and the writer go on; the copy is one committed state),
checked with PRAGMA integrity_check. PostgreSQL is backed up with pg_dump (docs/deploy.md)."""
import datetime as dt
import sqlite3
from pathlib import Path

import click
from flask import current_app
from flask_babel import gettext as _

from survey_app.cli import speaking
from survey_app.extensions import db


def backup_sqlite(target: Path) -> int:
    """Copy the app's SQLite database to `target` (a new file); its size in bytes."""
    if target.exists():
        raise FileExistsError(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    source = db.engine.raw_connection()
    try:
        copy = sqlite3.connect(target)
        try:
            source.driver_connection.backup(copy, pages=1024)  # a step at a time: writers go on
            verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            copy.close()
    finally:
        source.close()
    if verdict != "ok":
        target.unlink()
        raise RuntimeError(f"the copy failed its integrity check: {verdict}")
    return target.stat().st_size


@click.command("backup")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@speaking
def backup(file: Path | None) -> None:
    """Write a consistent copy of the SQLite database to FILE (default: instance/backups/)."""
    if db.engine.dialect.name != "sqlite":
        raise click.ClickException(_("The database is PostgreSQL: back it up with pg_dump "
                                     "(see docs/deploy.md)."))
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = file or Path(current_app.instance_path) / "backups" / f"survey-{stamp}.db"
    try:
        size = backup_sqlite(target)
    except FileExistsError:
        raise click.ClickException(_("%(file)s exists already: choose another file.",
                                     file=target)) from None
    click.echo(_("Backup written: %(file)s (%(size)s KB), checked.", file=target,
                 size=size // 1024))
