"""A throwaway PostgreSQL cluster on loopback, for the tests that run on both databases.

Debian's server binaries are used as they are (`make test` installs the postgresql package);
as root the server runs as the postgres user, since PostgreSQL refuses to run as root.
"""
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.telephony.served import free_port

# random_page_cost as docs/deploy.md sets it on SSD: the planner's choices are production's
SETTINGS = ("-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=50 -c random_page_cost=1.1")
# as a centre runs it: every commit on disk before it is acknowledged (the load benchmark)
DURABLE = "-c listen_addresses=127.0.0.1 -c max_connections=100 -c random_page_cost=1.1"


def _binaries() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else None


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class Cluster:
    """One server; each test that asks gets a database of its own."""

    def __init__(self, settings: str = SETTINGS):
        binaries = _binaries()
        if binaries is None:
            where = "in CI" if os.environ.get("CI") == "true" else "on this machine"
            pytest.fail(f"PostgreSQL is missing {where}: `make test` installs Debian's "
                        "postgresql.", pytrace=False)
        # its own folder in the system's temp dir: pytest's are private to root, and the
        # server runs as postgres
        folder = Path(tempfile.mkdtemp(prefix="survey-postgres-"))
        self.bin, self.port, self.folder = binaries, free_port(), folder
        self.settings = settings
        self._names = itertools.count(1)
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres")
        self._run("initdb", "-D", str(folder / "data"), "-U", "postgres", "--auth=trust",
                  "-E", "UTF8", "--no-locale")
        self._pg_ctl("start")

    def _pg_ctl(self, *action: str) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-l", str(self.folder / "log"),
                  "-w", "-o", f"-p {self.port} -k {self.folder} {self.settings}", *action)

    def restart(self) -> None:
        """Restart the server the way an operator's upgrade does: every connection is cut."""
        self._pg_ctl("-m", "fast", "restart")

    def pause(self) -> None:
        """Stop the server, keeping its data, as an outage does; resume() starts it again."""
        self._pg_ctl("-m", "fast", "stop")

    def resume(self) -> None:
        self._pg_ctl("start")

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run(_as_postgres([str(self.bin / tool), *args]), cwd=self.folder,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        assert done.returncode == 0, f"{tool} failed: {done.stderr}"

    def database(self, template: str = "template0") -> str:
        """A new database (empty, or a copy of `template`); its SQLAlchemy URL."""
        name = f"test_{next(self._names)}"
        self._sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return self.url(name)

    def url(self, name: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def drop(self, url: str) -> None:
        """Drop a test's database, even while a thread of its live server is still in it."""
        self._sql(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')

    def _sql(self, statement: str) -> None:
        import psycopg
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres",
                             dbname="postgres", autocommit=True) as connection:
            connection.execute(statement)

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)
