"""Telephony fixtures: a real Redis server when a test needs one."""
import os
import shutil
import socket
import subprocess
import time

import pytest

from tests.telephony.served import free_port


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A throwaway redis-server on loopback; missing Redis fails the test (never a skip)."""
    binary = shutil.which("redis-server")
    if binary is None:
        where = "in CI" if os.environ.get("CI") == "true" else "on this machine"
        pytest.fail(f"redis-server is missing {where}: `make test` installs Debian's "
                    "redis-server.", pytrace=False)
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1",
                               "--save", "", "--appendonly", "no", "--dir", str(folder)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)
