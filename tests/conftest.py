"""Fixtures: a real SQLite database per test (copied from a seeded template), app and client."""
import os
import shutil
import socket
import subprocess
import threading
import time

import pytest

from survey_app import create_app, demo
from survey_app.extensions import db
from tests.helpers import login, serve


def _config(path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
        "SERVER_NAME": None,
        # the tests that read English words; tests of the languages set their own
        "DEFAULT_LANGUAGE": "en",
    }


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory):
    """The demo data with 50 generated contacts, built once and copied for each test."""
    path = tmp_path_factory.mktemp("template") / "demo.db"
    app = create_app(_config(path))
    with app.app_context():
        db.create_all()
        demo.seed(volume=50)
        db.engine.dispose()
    return path


@pytest.fixture
def app(seeded_database, tmp_path):
    path = tmp_path / "app.db"
    shutil.copy(seeded_database, path)
    app = create_app(_config(path))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def app_on_both(request, app):
    """The app on its SQLite copy, then on a PostgreSQL database built by the migrations and
    seeded alike: a test that asks for it (as `app`) runs on both databases."""
    if request.param == "sqlite":
        yield app
        return
    from flask_migrate import upgrade
    url = request.getfixturevalue("postgres").database()
    on_postgres = create_app(_config(None) | {"SQLALCHEMY_DATABASE_URI": url})
    with on_postgres.app_context():
        upgrade()
        demo.seed(volume=50)
    yield on_postgres
    with on_postgres.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def operator(client):
    """A client logged in as the demo operator (extension 305)."""
    login(client, "operator")
    return client


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server of this test session (per xdist worker); .database() gives each
    test its own empty database."""
    from tests.postgres import Cluster
    cluster = Cluster()
    yield cluster
    cluster.stop()


@pytest.fixture
def supervisor(client):
    """A client logged in as the demo supervisor (sees every call)."""
    login(client, "supervisor")
    return client


@pytest.fixture
def live_server(app):
    """Serve `app` on 127.0.0.1 at a free port in a daemon thread; yields the base URL."""
    server, base_url = serve(app)
    try:
        yield base_url
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def pbx(app):
    """pbx(transcript, **AmiPeer options): a replaying Asterisk, and the app's bridge logged
    in to it; stopped after the test (held pauses are released so the peer can finish)."""
    from tests.telephony.ami_peer import AmiPeer, wait_until
    peers = []

    def start(transcript: str = "operator_registration.ami", **options) -> AmiPeer:
        peer = AmiPeer(transcript, **{"pace": 0.001, **options})  # events a ms apart
        peers.append(peer)
        peer.configure(app)
        app.extensions["telephony"].start_bridge()
        assert wait_until(lambda: app.extensions["telephony"].bridge.connected)
        return peer

    yield start
    for peer in peers:
        for pause in peer.pauses.values():
            if isinstance(pause, threading.Event):
                pause.set()
    app.extensions["telephony"].stop()
    for peer in peers:
        peer.close()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A throwaway redis-server on loopback; missing Redis fails the test (never a skip)."""
    binary = shutil.which("redis-server")
    if binary is None:
        where = "in CI" if os.environ.get("CI") == "true" else "on this machine"
        pytest.fail(f"redis-server is missing {where}: `make test` installs Debian's "
                    "redis-server.", pytrace=False)
    server, url = start_redis(binary, tmp_path_factory.mktemp("redis"))
    yield url
    server.terminate()
    server.wait(timeout=10)


def start_redis(binary: str, folder) -> tuple[subprocess.Popen, str]:
    """A redis-server on a free loopback port, answering; the process and its URL."""
    from tests.telephony.served import free_port
    port = free_port()
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1",
                               "--save", "", "--appendonly", "no", "--dir", str(folder)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, f"redis://127.0.0.1:{port}/0"
        except OSError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
