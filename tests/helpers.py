"""Helpers that act as a user would: log in, read the CSRF token and the survey screen."""
import re
import threading
from dataclasses import dataclass, field
from html import unescape

from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler, make_server

from survey_app.extensions import db
from survey_app.models import Contact

HTMX_STEP = {"HX-Request": "true", "HX-Target": "question"}
SAMPLE_CONTACT = "Уляненко Олександра"


def login(client, username: str, password: str = "demo"):
    """Log in through the form, CSRF token and all."""
    page = client.get("/login")
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": csrf_from(page.text)})
    assert response.status_code == 303, response.text
    return response


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or \
        re.search(r'"X-CSRFToken": "([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def post_empty_login(client, headers: dict):
    """Submit the login form with nothing filled in, as a browser with these headers would."""
    token = csrf_from(client.get("/login", headers=headers).text)
    return client.post("/login", data={"username": "", "password": "", "csrf_token": token},
                       headers=headers)


def csrf(client) -> str:
    """The session's CSRF token, as a page shows it."""
    return csrf_from(client.get("/contacts").text)


@dataclass
class Screen:
    """What the runner shows: step, question, options by text, the error and notice."""

    step: int
    question_id: int
    text: str
    options: dict[str, int] = field(default_factory=dict)
    checked: int | None = None
    value: str | None = None
    error: str | None = None
    notice: str | None = None

    def form(self, **answer) -> dict:
        return {"step": self.step, "question_id": self.question_id, **answer}


def screen_of(html: str) -> Screen:
    """Read the question fragment the way an operator reads the screen."""
    step = int(re.search(r'name="step" value="(\d+)"', html).group(1))
    question_id = int(re.search(r'name="question_id" value="(\d+)"', html).group(1))
    text = unescape(re.search(r'id="question-text"[^>]*>([^<]*)<', html).group(1)).strip()
    options, checked = {}, None
    for attrs, label in re.findall(r'<input type="radio"([^>]*)>\s*<kbd[^>]*>\d</kbd>\s*([^<]*)<',
                                   html):
        numbered = re.search(r'value="(\d+)"', attrs)
        if numbered is None:  # "Refused / don't know": not one of the options
            continue
        option_id = int(numbered.group(1))
        options[unescape(label.strip())] = option_id
        if re.search(r"\bchecked\b", attrs):
            checked = option_id
    value = re.search(r'id="answer-value"[^>]*?value="([^"]*)"', html, re.S)
    textarea = re.search(r'<textarea id="answer-value"[^>]*>([^<]*)</textarea>', html)
    error = re.search(r'class="field-error"[^>]*>([^<]*)<', html)
    notice = re.search(r'class="notice"[^>]*>([^<]*)<', html)
    return Screen(step, question_id, text, options, checked,
                  unescape((value or textarea).group(1)) if (value or textarea) else None,
                  unescape(error.group(1)) if error else None,
                  unescape(notice.group(1)) if notice else None)


def sample_contact_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Contact.id).where(Contact.full_name == SAMPLE_CONTACT))


def start_survey(client, contact_id: int, campaign_id: int = 1, questionnaire_id: int = 1):
    """Start "Survey 1" from the card's chooser; returns the survey's URL."""
    page = client.get(f"/contacts/{contact_id}/surveys/new")
    response = client.post(f"/contacts/{contact_id}/surveys/new", data={
        "campaign_id": campaign_id, "questionnaire_id": questionnaire_id,
        "csrf_token": csrf_from(page.text)})
    assert response.status_code == 303, response.text
    return response.headers["Location"]


def step(client, url: str, action: str, data: dict, htmx: bool = True):
    """Post a step of the survey (answer, back, cancel) with the page's CSRF token."""
    headers = dict(HTMX_STEP) if htmx else {}
    headers["X-CSRFToken"] = csrf(client)
    return client.post(f"{url}/{action}", data=data, headers=headers)


BODY = "tests.response_body"  # the environ key under which _closable keeps a response body


class QuietHandler(WSGIRequestHandler):
    """No access log: a failing test's output shows the test, not every static file. And a
    response's body is closed when the browser drops the connection: Werkzeug's server reads
    the dropped socket before it closes the body, the read raises, and the open static file
    was left to the garbage collector (a ResourceWarning that failed browser tests now and
    then; 124 in 200 reset connections leaked one before this)."""

    def log_request(self, code="-", size="-"):
        pass

    def connection_dropped(self, error, environ=None):
        body = (environ or {}).get(BODY)
        if hasattr(body, "close"):
            body.close()


def _closable(app):
    """The app, keeping each response's body in the request's environ for QuietHandler."""
    def keeping_the_body(environ, start_response):
        environ[BODY] = body = app(environ, start_response)
        return body
    return keeping_the_body


def serve(app):
    """Serve `app` on 127.0.0.1 at a free port in a daemon thread: (server, base URL)."""
    server = make_server("127.0.0.1", 0, _closable(app), threaded=True,
                         request_handler=QuietHandler)
    # server_close() waits for the request threads (a socket's handler finishing after its
    # client closed), so none is still in the test's database when the database is dropped
    server.daemon_threads = False
    threading.Thread(target=server.serve_forever, name="live-server", daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def empty_app_on(database: str, tmp_path, request):
    """An app on an empty database for a migration test: SQLite in tmp_path, or a fresh
    database of the session's PostgreSQL cluster."""
    from survey_app import create_app
    url = (request.getfixturevalue("postgres").database() if database == "postgresql"
           else f"sqlite:///{tmp_path / 'm.db'}")
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "DEFAULT_LANGUAGE": "en",
                      "SQLALCHEMY_DATABASE_URI": url})

    def close():  # a connection left to the garbage collector warns on PostgreSQL
        from tests.conftest import close_engines
        close_engines()
        if database == "postgresql":
            request.getfixturevalue("postgres").drop(url)
    request.addfinalizer(close)
    return app
