"""`make run` serves what is deployed: gunicorn with gunicorn.conf.py; Ctrl+C stops it."""
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from tests.telephony.served import free_port

ROOT = Path(__file__).resolve().parents[1]


def test_make_run_serves_with_gunicorn_and_stops_on_ctrl_c(tmp_path):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/run.db"}
    env.pop("MAKEFLAGS", None)
    served = subprocess.Popen(["make", "-s", "run", "HOST=127.0.0.1", f"PORT={port}",
                               "SEED_CONTACTS=20"], cwd=ROOT, env=env, start_new_session=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline, response = time.monotonic() + 120, None
        while response is None:
            assert served.poll() is None, served.stdout.read()
            assert time.monotonic() < deadline, "make run did not serve in 120 s"
            try:
                response = urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2)
            except OSError:
                time.sleep(0.2)
        with response:
            assert response.status == 200 and "gunicorn" in response.headers.get("Server", "")
        os.killpg(served.pid, signal.SIGINT)  # what Ctrl+C sends to the terminal's group
        served.wait(timeout=30)
        output = served.stdout.read()
        assert f"Survey app: http://127.0.0.1:{port}/" in output
        assert "operator" in output  # the demo logins are printed
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0  # nothing listens any more
    finally:
        if served.poll() is None:
            os.killpg(served.pid, signal.SIGKILL)
            served.wait()
        served.stdout.close()
