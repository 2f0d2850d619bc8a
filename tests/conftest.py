"""Fixtures: a real SQLite database per test (copied from a seeded template), app and client."""
import os
import shutil
import socket
import subprocess
import threading
import time
import weakref

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

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


# Every test that uses `app` runs on both databases, as test[sqlite] and test[postgresql];
# TEST_DATABASES=sqlite (or postgresql) narrows a local run to one. A test, module or folder
# marked database("postgresql") runs on that one only: the end-to-end tests (a browser, a
# served process), where a second database would double the time and find nothing new.
DATABASES = tuple(os.environ.get("TEST_DATABASES", "sqlite,postgresql").split(","))


def pytest_configure(config):
    config.addinivalue_line("markers", "database(*names): the databases the test runs on")


def pytest_generate_tests(metafunc):
    if "database" in metafunc.fixturenames:
        marker = metafunc.definition.get_closest_marker("database")
        chosen = [name for name in (marker.args if marker else DATABASES) if name in DATABASES]
        metafunc.parametrize("database", chosen or list(marker.args[:1]))


@pytest.fixture
def app(database, request, tmp_path):
    """The app on a copy of the seeded demo: a SQLite file, or a PostgreSQL database cloned
    from one built by the migrations."""
    if database == "sqlite":
        path = tmp_path / "app.db"
        shutil.copy(request.getfixturevalue("seeded_database"), path)
        config = _config(path)
    else:
        cluster = request.getfixturevalue("postgres")
        url = cluster.database(template=request.getfixturevalue("seeded_postgres"))
        config = _config(None) | {"SQLALCHEMY_DATABASE_URI": url}
    app = create_app(config)
    yield app
    with app.app_context():
        _all_connections_returned(db.engine)
    close_engines()
    if database == "postgresql":
        cluster.drop(url)


# Every engine that has connected: a test may build a second app on its database (another
# process's view) and not dispose of it; its pooled connections would then be closed only by
# the garbage collector, which on PostgreSQL warns in whatever test runs at that moment.
_ENGINES: weakref.WeakSet = weakref.WeakSet()


@event.listens_for(Engine, "engine_connect")
def _track(connection) -> None:
    _ENGINES.add(connection.engine)


def close_engines() -> None:
    """Close the pooled connections of every engine the test used."""
    for engine in list(_ENGINES):
        engine.dispose()
    _ENGINES.clear()


def _all_connections_returned(engine, timeout: float = 3.0) -> None:
    """A connection still out when the test ends is a leak: a thread of the app holding a
    session (on PostgreSQL its connection is never closed, only garbage-collected)."""
    deadline = time.monotonic() + timeout
    while engine.pool.checkedout() and time.monotonic() < deadline:
        time.sleep(0.02)
    held = [t.name for t in threading.enumerate() if t is not threading.current_thread()]
    assert not engine.pool.checkedout(), (
        f"{engine.pool.checkedout()} database connection(s) still out after the test; "
        f"threads: {held}")


@pytest.fixture(scope="session")
def seeded_postgres(postgres):
    """The demo data with 50 generated contacts on PostgreSQL, built once by the migrations
    (not create_all, so the migrations are what every PostgreSQL test runs on); its name, the
    template of each test's database."""
    from flask_migrate import upgrade
    url = postgres.database()
    seeded = create_app(_config(None) | {"SQLALCHEMY_DATABASE_URI": url})
    with seeded.app_context():
        upgrade()
        demo.seed(volume=50)
        db.engine.dispose()
    return url.rsplit("/", 1)[1]


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
        telephony = app.extensions["telephony"]
        resynced = telephony.resyncs
        telephony.start_bridge()
        assert wait_until(lambda: telephony.bridge.connected)
        # and resynced: a resync after the test set up a call would end it (no channel has it)
        assert wait_until(lambda: telephony.resyncs > resynced)
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


def start_redis(binary: str, folder, port: int | None = None) -> tuple[subprocess.Popen, str]:
    """A redis-server on loopback (a free port, or `port` to start one again), answering;
    the process and its URL."""
    from tests.telephony.served import free_port
    port = port or free_port()
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
