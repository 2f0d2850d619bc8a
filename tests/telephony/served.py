"""The app served by a real gunicorn (gunicorn.conf.py) in its own process, and a real login
over HTTP to it. Used by the shutdown test and by benchmarks/sockets_held.py."""
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from tests.helpers import csrf_from

ROOT = Path(__file__).resolve().parents[2]


def gunicorn_binary() -> str | None:
    """gunicorn of this virtual environment (the `serve` and `test` extras), else on PATH."""
    beside = Path(sys.executable).with_name("gunicorn")
    return str(beside) if beside.exists() else shutil.which("gunicorn")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Served:
    process: subprocess.Popen
    base_url: str
    log: Path

    def worker_pid(self) -> int:
        """The worker: the master's child (WEB_CONCURRENCY=1)."""
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines()
                              if ":\t" in line)
            except OSError:  # that process has just ended
                continue
            if fields.get("PPid", "").strip() == str(self.process.pid):
                return int(fields["Pid"])
        raise AssertionError("gunicorn has no worker")

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def gunicorn(database_path: Path, log: Path, **env: str):
    """Serve the app with gunicorn.conf.py on a free port until the block ends (then SIGTERM,
    unless the block has stopped it already). Extra settings come as environment variables."""
    binary = gunicorn_binary()
    assert binary, "gunicorn is not installed: pip install -e '.[serve]'"
    port = free_port()
    outside = ("AMI_", "REDIS_URL", "GUNICORN_", "WEB_CONCURRENCY", "TRAINING_MODE")
    environment = {k: v for k, v in os.environ.items() if not k.startswith(outside)}
    environment |= {"HOST": "127.0.0.1", "PORT": str(port), "SECRET_KEY": "served-test",
                    "DATABASE_URL": f"sqlite:///{database_path}"} | env
    with open(log, "wb") as output:
        process = subprocess.Popen([binary, "-c", str(ROOT / "gunicorn.conf.py")], cwd=ROOT,
                                   env=environment, stdout=output, stderr=subprocess.STDOUT)
    served = Served(process, f"http://127.0.0.1:{port}", log)
    try:
        _wait_until_served(served, port)
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_served(served: Served, port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while True:
        assert served.process.poll() is None, f"gunicorn ended:\n{served.log_text()}"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            assert time.monotonic() < deadline, f"gunicorn did not listen:\n{served.log_text()}"
            time.sleep(0.05)


class Browser:
    """HTTP as a browser does it: one session cookie, forms with the page's CSRF token."""

    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.cookie = ""
        self.location = None  # of the last redirect

    def request(self, method: str, path: str, form: dict | None = None):
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        self.location = response.headers.get("Location")
        for header in response.headers.get_all("Set-Cookie") or []:
            morsel = SimpleCookie(header).get("session")
            if morsel is not None:
                self.cookie = f"session={morsel.value}"
        return response.status, text

    def post_form(self, page: str, path: str, **form) -> int:
        """Post `form` to `path` with the CSRF token of the page at `page`."""
        status, html = self.request("GET", page)
        assert status == 200, (page, status)
        return self.request("POST", path, {**form, "csrf_token": csrf_from(html)})[0]

    def log_in(self, username: str, password: str = "demo") -> str:
        """Log in through the form; returns the session cookie for a WebSocket's headers."""
        status = self.post_form("/login", "/login", username=username, password=password)
        assert status == 303, f"login of {username} answered {status}"
        return self.cookie
