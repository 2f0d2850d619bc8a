"""Stopping a real gunicorn: the operator's socket is closed with 1012 (Service Restart), on
which the page reconnects at once, and the process ends without the whole graceful wait."""
import os
import runpy
import shutil
import signal
import time

import pytest
from simple_websocket import ConnectionClosed

from tests.telephony.served import ROOT, Browser, gunicorn, gunicorn_binary
from tests.telephony.sockets import open_socket

GRACEFUL_TIMEOUT = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["graceful_timeout"]


@pytest.fixture
def served_database(seeded_database, tmp_path):
    if gunicorn_binary() is None:  # a missing server fails the test, never a skip
        where = "in CI" if os.environ.get("CI") == "true" else "on this machine"
        pytest.fail(f"gunicorn is missing {where}: `make test` installs it "
                    "(pip install -e '.[test]').", pytrace=False)
    path = tmp_path / "served.db"
    shutil.copy(seeded_database, path)
    return path


def test_sigterm_closes_the_socket_with_1012_and_gunicorn_ends_soon(served_database, tmp_path):
    with gunicorn(served_database, tmp_path / "gunicorn.log") as served:
        ws = open_socket(served.base_url, Browser(served.base_url).log_in("operator"))
        try:
            assert 'id="call-pops"' in ws.receive(timeout=5)
            sent = time.monotonic()
            served.process.send_signal(signal.SIGTERM)
            with pytest.raises(ConnectionClosed):  # nothing else is sent before the close
                ws.receive(timeout=GRACEFUL_TIMEOUT)
            closed = time.monotonic() - sent
            # gunicorn serves the app as configured by the environment: DEFAULT_LANGUAGE is
            # uk, and this client sends no Accept-Language
            assert (ws.close_reason, ws.close_message) == (1012, "Сервер перезапускається")
            assert closed < 2.5, f"closed after {closed:.1f} s"
            assert served.process.wait(timeout=GRACEFUL_TIMEOUT - 2) == 0, served.log_text()
            ended = time.monotonic() - sent
        finally:
            if ws.connected:
                ws.close()
    assert ended < 5, f"gunicorn ended {ended:.1f} s after SIGTERM"
