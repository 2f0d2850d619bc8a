"""The database out of reach or refusing to write, mid-shift: a clear 503 in the user's
language (never a traceback), nothing of the refused request stored, and the app back by
itself when the database is."""
import errno
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import CustomerAnswer, CustomerSurvey, User
from tests.helpers import HTMX_STEP, csrf, login, sample_contact_id, screen_of, start_survey

DOWN_UK = "База даних зараз недоступна; нічого не змінено."
FULL_UK = "База даних зараз не може нічого зберегти"


def _in_ukrainian(client) -> None:
    response = client.post("/language", data={"language": "uk", "next": "/contacts",
                                              "csrf_token": csrf(client)})
    assert response.status_code == 303


def _stored(app, survey_url: str) -> tuple[int, int]:
    """(answers stored, the survey's step) of the survey at `survey_url`."""
    survey_id = int(survey_url.rsplit("/", 1)[1])
    with app.app_context():
        answers = db.session.scalar(select(func.count()).select_from(CustomerAnswer)
                                    .where(CustomerAnswer.survey_id == survey_id))
        return answers, db.session.get(CustomerSurvey, survey_id).step


def _first_answer(operator, url: str):
    """The first question's form with its first option chosen, and the step's headers."""
    screen = screen_of(operator.get(url).text)
    return screen.form(option_id=next(iter(screen.options.values()))), \
        {**HTMX_STEP, "X-CSRFToken": csrf(operator)}


def _saved_language(app, username: str, language: str) -> None:
    with app.app_context():
        db.session.scalar(select(User).where(User.username == username)).language = language
        db.session.commit()


@pytest.mark.database("postgresql")
def test_while_postgresql_is_down_every_request_says_so_and_nothing_is_stored(
        app, client, postgres):
    """The operator's saved language is Ukrainian, this browser asks for none: the login
    keeps it in the browser, where the page of the outage finds it."""
    _saved_language(app, "operator", "uk")
    login(client, "operator")
    operator = client
    url = start_survey(operator, sample_contact_id(app))
    answer, headers = _first_answer(operator, url)
    before = _stored(app, url)
    postgres.pause()
    try:
        page = operator.get("/contacts")
        fragment = operator.get("/contacts", query_string={"q": "Кова"},
                                headers={"HX-Request": "true", "HX-Target": "contact-results"})
        step = operator.post(f"{url}/answer", data=answer, headers=headers)
    finally:
        postgres.resume()
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    assert DOWN_UK in page.text and "Traceback" not in page.text
    assert 'href="/contacts"' in page.text  # "Try again"
    assert fragment.status_code == 503 and DOWN_UK in fragment.text
    assert "<html" not in fragment.text  # a fragment for the toast, not a page
    assert step.status_code == 503 and DOWN_UK in step.text
    assert _stored(app, url) == before
    assert operator.get("/contacts").status_code == 200  # back by itself
    assert operator.post(f"{url}/answer", data=answer, headers=headers).status_code == 200
    assert _stored(app, url) == (before[0] + 1, before[1] + 1)


@pytest.mark.database("sqlite")
@pytest.mark.parametrize("refusing", ["full", "read-only"])
def test_a_step_sqlite_cannot_write_is_refused_with_a_message_and_nothing_half_stored(
        app, operator, tmp_path, refusing):
    """The database on a disk of its own (a small tmpfs), filled up or remounted read-only
    mid-shift: SQLite refuses the write, the operator is told, the survey is as it was; once
    there is room again, the same step is stored, once."""
    _in_ukrainian(operator)
    url = start_survey(operator, sample_contact_id(app))
    answer, headers = _first_answer(operator, url)
    before = _stored(app, url)
    with app.app_context():
        engine = db.engine
        path = Path(engine.url.database)
    with SmallDisk(tmp_path / "disk", engine, path) as disk:
        disk.fill() if refusing == "full" else disk.read_only()
        step = operator.post(f"{url}/answer", data=answer, headers=headers)
        assert step.status_code == 503 and FULL_UK in step.text, step.text
        disk.free()
        assert _stored(app, url) == before
        assert operator.post(f"{url}/answer", data=answer, headers=headers).status_code == 200
        assert _stored(app, url) == (before[0] + 1, before[1] + 1)


class SmallDisk:
    """A tmpfs just larger than the database, the database moved onto it (a symlink left in
    its place, which SQLite follows, its WAL beside the real file)."""

    def __init__(self, folder: Path, engine, database: Path):
        self.folder, self.engine, self.database = folder, engine, database

    def __enter__(self):
        self.engine.dispose()  # the last connection closed: the WAL is folded in and gone
        self.folder.mkdir()
        size = self.database.stat().st_size + 2 * 2**20
        _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(self.folder))
        moved = self.folder / self.database.name
        shutil.move(self.database, moved)
        self.database.symlink_to(moved)
        return self

    def fill(self) -> None:
        with open(self.folder / "filler", "wb") as filler:
            try:
                while True:
                    filler.write(b"\0" * 65536)
                    filler.flush()
            except OSError as full:
                assert full.errno == errno.ENOSPC

    def read_only(self) -> None:
        _mount("-o", "remount,ro", str(self.folder))

    def free(self) -> None:
        _mount("-o", "remount,rw", str(self.folder))
        (self.folder / "filler").unlink(missing_ok=True)

    def __exit__(self, *_exc):
        self.engine.dispose()
        _mount("-o", "remount,rw", str(self.folder))
        self.database.unlink()
        shutil.move(self.folder / self.database.name, self.database)
        subprocess.run(["umount", "-l", str(self.folder)], check=True)


def _mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    assert done.returncode == 0, (
        f"mount {' '.join(args)} failed ({done.stderr.strip()}): this test needs root, as "
        "`make test` runs, to give the database a small disk of its own")
