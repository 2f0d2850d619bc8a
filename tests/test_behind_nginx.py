"""The app as deployed: gunicorn (gunicorn.conf.py) behind Debian's nginx with the shipped site
deploy/nginx-survey.conf, over HTTPS with a self-signed certificate, as a browser uses it.

The site is used as shipped except for what differs on a test machine, each rewritten in
place: the listen ports (free loopback ports), the upstream (this test's gunicorn), the
certificate paths and the checkout the static files come from."""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from tests.helpers import SAMPLE_CONTACT, csrf_from
from tests.telephony.ami_peer import wait_until
from tests.telephony.served import ROOT, free_port, gunicorn, gunicorn_binary
from tests.telephony.sockets import Client, receive_until

SITE = ROOT / "deploy" / "nginx-survey.conf"
ENV_FILE = ROOT / "deploy" / "env.example"
ADDRESS_LIMIT = 3  # failed logins that lock a client's address, in this test


def _missing(what: str, how: str):
    """A missing server fails the test, in CI and on a user's machine alike, as every other
    missing part of the suite does (never a skip)."""
    where = "in CI" if os.environ.get("CI") == "true" else "on this machine"
    pytest.fail(f"{what} is missing {where}: {how}.", pytrace=False)


def nginx_binary() -> str | None:
    """Debian installs nginx in /usr/sbin, which a user's PATH may leave out."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (the name the client checks) and its key."""
    openssl = shutil.which("openssl")
    if openssl is None:
        _missing("openssl", "apt-get install openssl")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj",
                    "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


def rewritten_site(http_port: int, https_port: int, upstream: str, cert: Path,
                   key: Path) -> str:
    """The shipped site with this machine's ports, upstream, certificate and checkout."""
    text = SITE.read_text()
    for pattern, value in (
            (r"^\s*listen \[::\]:.*\n", ""),  # the loopback test needs no IPv6
            (r"^(\s*)listen 80;", rf"\g<1>listen 127.0.0.1:{http_port};"),
            (r"^(\s*)listen 443 ssl;", rf"\g<1>listen 127.0.0.1:{https_port} ssl;"),
            (r"^(\s*)server 127\.0\.0\.1:5000;", rf"\g<1>server {upstream};"),
            (r"^(\s*)ssl_certificate\s+\S+;", rf"\g<1>ssl_certificate {cert};"),
            (r"^(\s*)ssl_certificate_key\s+\S+;", rf"\g<1>ssl_certificate_key {key};"),
            (r"^(\s*)root /opt/survey-app;", rf"\g<1>root {ROOT};")):
        text, count = re.subn(pattern, value, text, flags=re.M)
        assert count, f"deploy/nginx-survey.conf has no line matching {pattern!r}"
    return text


def shipped_settings(*names: str) -> dict[str, str]:
    """These settings as deploy/env.example gives them to a deployment."""
    found = dict(re.findall(r"^([A-Z_]+)=(.*)$", ENV_FILE.read_text(), flags=re.M))
    return {name: found[name] for name in names}


def nginx_conf(folder: Path, site: Path) -> str:
    """What /etc/nginx/nginx.conf gives a site on Debian, with every path in `folder`.
    Run as root, the workers stay root so that they can read the test's files (they would
    be nobody, and pytest's folders are private); the access log names nginx's request id."""
    temp = "\n".join(f"    {name}_temp_path {folder / name};"
                     for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""{'user root;' if os.geteuid() == 0 else ''}
worker_processes 1;
pid {folder / 'nginx.pid'};
error_log {folder / 'error.log'} warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format with_id '$request_id $status "$request"';
    access_log {folder / 'access.log'} with_id;
{temp}
    include {site};
}}
"""


def _wait_for_ports(process: subprocess.Popen, ports, log: Path, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    for port in ports:
        while True:
            assert process.poll() is None, f"nginx ended:\n{log.read_text(errors='replace')}"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, f"nginx did not listen on {port}"
                time.sleep(0.02)


@dataclass
class Stack:
    http_port: int
    https_port: int
    tls: ssl.SSLContext  # trusts the self-signed certificate only
    access_log: Path

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"


@pytest.fixture(scope="module")
def stack(seeded_database, tmp_path_factory):
    """gunicorn on a copy of the demo, nginx with the site in front of it; both stopped after
    the module's tests."""
    binary = nginx_binary()
    if binary is None:
        _missing("nginx", "`make system-packages` installs Debian's nginx")
    if gunicorn_binary() is None:
        _missing("gunicorn", "pip install -e '.[test]'")
    folder = tmp_path_factory.mktemp("nginx")
    database = folder / "served.db"
    shutil.copy(seeded_database, database)
    cert, key = self_signed_certificate(folder)
    tls = ssl.create_default_context(cafile=str(cert))
    # behind nginx as deploy/env.example sets it up; training mode rings a phone, and a
    # client's address is locked after 3 failed logins instead of 100
    with gunicorn(database, folder / "gunicorn.log", **shipped_settings("HTTPS", "PROXY_COUNT"),
                  TRAINING_MODE="1", DEFAULT_LANGUAGE="en",
                  LOGIN_FAILURES_PER_ADDRESS=str(ADDRESS_LIMIT)) as served:
        http_port, https_port = free_port(), free_port()
        site = folder / "survey-app.conf"
        site.write_text(rewritten_site(http_port, https_port, served.base_url.split("//")[1],
                                       cert, key))
        (folder / "nginx.conf").write_text(nginx_conf(folder, site))
        error_log = folder / "error.log"
        nginx = subprocess.Popen([binary, "-p", str(folder), "-e", str(error_log),
                                  "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        try:
            _wait_for_ports(nginx, (http_port, https_port), error_log)
            yield Stack(http_port, https_port, tls, folder / "access.log")
        finally:
            nginx.send_signal(signal.SIGTERM)  # fast shutdown: workers end with the master
            try:
                nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                nginx.kill()
                nginx.wait()


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()


class Browser:
    """HTTPS to nginx as a browser: the session cookie, and the Referer of the page a form is
    posted from (Referrer-Policy same-origin sends it). `address`: the loopback address it
    connects from (any of 127.0.0.0/8), so that nginx sees clients apart."""

    def __init__(self, stack: Stack, address: str = "127.0.0.1"):
        self.stack, self.address = stack, address
        self.cookie = ""

    def get(self, path: str, **headers: str) -> Response:
        return self.request("GET", path, headers=headers)

    def request(self, method: str, path: str, form: dict | None = None,
                headers: dict | None = None) -> Response:
        headers = dict(headers or {}) | ({"Cookie": self.cookie} if self.cookie else {})
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPSConnection("127.0.0.1", self.stack.https_port,
                                                 timeout=15, context=self.stack.tls,
                                                 source_address=(self.address, 0))
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            result = Response(response.status, response.headers, response.read())
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            morsel = SimpleCookie(header).get("session")
            if morsel is not None:
                assert morsel["secure"], f"the session cookie is sent over plain HTTP: {header}"
                self.cookie = f"session={morsel.value}"
        return result

    def post_form(self, page: str, path: str, referer: str | None = None, **form) -> Response:
        """Post `form` to `path` from the page at `page`, with its CSRF token."""
        shown = self.get(page)
        assert shown.status == 200, (page, shown.status)
        referer = referer or self.stack.origin + page
        return self.request("POST", path, {**form, "csrf_token": csrf_from(shown.text)},
                            {"Referer": referer})

    def log_in(self, username: str) -> "Browser":
        response = self.post_form("/login", "/login", username=username, password="demo")
        assert response.status == 303, f"login of {username} answered {response.status}"
        return self


def _plain_http(port: int, path: str) -> Response:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read())
    finally:
        connection.close()


def test_plain_http_is_sent_to_https_except_the_health_check(stack):
    path = "/contacts?q=" + quote(SAMPLE_CONTACT)
    moved = _plain_http(stack.http_port, path)
    # to the standard HTTPS port of the name asked for (443: only the test's port differs)
    assert (moved.status, moved.headers["Location"]) == (301, f"https://127.0.0.1{path}")
    health = _plain_http(stack.http_port, "/healthz")
    assert health.status == 200 and json.loads(health.body)["status"] == "ok"


def test_login_over_https_sets_a_secure_cookie_and_the_app_knows_it_is_https(stack):
    browser = Browser(stack)
    page = browser.get("/login")
    assert page.status == 200 and 'name="password"' in page.text
    assert page.headers["Strict-Transport-Security"] == "max-age=63072000"
    assert "gunicorn" not in page.headers["Server"]  # nginx answers the browser
    # the Host the browser sent reaches the app, port included (the policy names the socket)
    assert f"wss://127.0.0.1:{stack.https_port}" in page.headers["Content-Security-Policy"]
    # one request id in nginx's access log and the app's (logs.py keeps the one sent); nginx
    # writes the line once the response has gone
    assert wait_until(lambda: page.headers["X-Request-ID"] in stack.access_log.read_text()
                      .split(), timeout=5), "the app did not keep nginx's request id"
    # The app sees HTTPS (X-Forwarded-Proto): Flask-WTF then refuses a form posted from a
    # page of another origin, a check it makes on HTTPS requests only.
    foreign = browser.post_form("/login", "/login", referer="https://elsewhere.example/login",
                                username="operator", password="demo")
    assert foreign.status == 400, "a form posted from another origin was taken"
    refused = browser.get("/contacts")  # still not logged in: sent to the login page
    assert refused.status == 302 and refused.headers["Location"].startswith("/login")
    browser.log_in("operator")
    contacts = browser.get("/contacts")
    assert contacts.status == 200 and "Log out" in contacts.text


def test_failed_logins_lock_that_clients_address_not_everyone_behind_nginx(stack):
    """The app names the client from X-Forwarded-For (PROXY_COUNT=1), else every client
    would be nginx and one person's typos would lock the whole centre out."""
    typing = Browser(stack, "127.0.0.2")
    for _ in range(ADDRESS_LIMIT):
        wrong = typing.post_form("/login", "/login", username="operator2", password="typo")
        assert wrong.status == 422
    locked = typing.post_form("/login", "/login", username="operator2", password="demo")
    assert locked.status == 429 and "Too many failed login attempts" in locked.text
    Browser(stack, "127.0.0.3").log_in("operator2")  # another client: not locked


def test_an_htmx_live_search_gets_the_results_fragment(stack):
    browser = Browser(stack).log_in("operator")
    path = "/contacts?q=" + quote("Уляненко")
    fragment = browser.get(path, **{"HX-Request": "true", "HX-Target": "contact-results"})
    assert fragment.status == 200
    assert fragment.text.lstrip().startswith('<div id="contact-results">')
    assert "<html" not in fragment.text and SAMPLE_CONTACT in fragment.text
    whole = browser.get(path)
    assert "<html" in whole.text and SAMPLE_CONTACT in whole.text


def test_static_files_come_from_nginx_with_their_cache_headers(stack):
    page = Browser(stack).get("/login").text
    scripts = re.findall(r'<script src="(/static/[^"]+)"', page)
    [vendored] = [s for s in scripts if re.search(r"/htmx-\d+\.\d+\.\d+\.min\.js$", s)]
    response = Browser(stack).get(vendored)
    assert response.status == 200
    assert response.body == (ROOT / vendored.lstrip("/")).read_bytes()
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "javascript" in response.headers["Content-Type"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "X-Request-ID" not in response.headers  # nginx served it; the app sets one on all
    # the app's own files keep their names across releases: kept, but asked for again
    [stylesheet] = re.findall(r'<link rel="stylesheet" href="(/static/[^"]+)"', page)
    first = Browser(stack).get(stylesheet)
    assert first.status == 200 and first.headers["Cache-Control"] == "no-cache"
    again = Browser(stack).get(stylesheet, **{"If-None-Match": first.headers["ETag"]})
    assert again.status == 304


def test_the_operators_socket_over_wss_carries_a_pop(stack):
    operator = Browser(stack).log_in("operator")
    ws = Client.connect(f"wss://127.0.0.1:{stack.https_port}/ws/calls",
                        headers={"Cookie": operator.cookie}, ssl_context=stack.tls)
    try:
        assert 'id="call-pops"' in ws.receive(timeout=10)  # the state on connect
        # an admin rings the operator's phone from the training page (TRAINING_MODE=1)
        admin = Browser(stack).log_in("admin")
        rung = admin.post_form("/training", "/training/calls", extension="305",
                               number="+380501234567")
        assert rung.status == 303
        pop = receive_until(ws, lambda frame: "pop-" in frame, timeout=10)
        assert SAMPLE_CONTACT in pop and "+380 50 123 4567" in pop
    finally:
        ws.close()
        # its reader thread, still reading TLS, made the next test's handshake fail now and
        # then (WRONG_VERSION_NUMBER, 1 run in 4 with the export test after it)
        ws.thread.join(timeout=5)


def test_an_export_streams_through_nginx_unbuffered(stack):
    """Exports have their own location: nginx passes each chunk on as written and waits up
    to 10 minutes for an XLSX being written (its default is 60 s)."""
    operator = Browser(stack).log_in("operator")
    start = "/contacts/1/surveys/new"
    assert operator.post_form(start, start, campaign_id="1", questionnaire_id="1").status == 303
    browser = Browser(stack).log_in("supervisor")
    for path in ("/surveys/export.csv", "/surveys/export.xlsx?shape=long"):
        export = browser.get(path)
        assert export.status == 200, path
        assert "attachment" in export.headers["Content-Disposition"]
        assert export.headers["Transfer-Encoding"] == "chunked"  # streamed, no length first
    assert export.body.startswith(b"PK")  # the XLSX, whole (a zip)
    refused = browser.get("/surveys/export.csv?status=lost")  # the app's answer, not nginx's
    assert refused.status == 303 and refused.headers["Location"] == "/surveys?status=lost"
