"""Security headers on every response: the Content-Security-Policy and its companions.

One after_request hook of our own rather than flask-talisman: README, "Security headers".
Flask runs it for pages, htmx fragments, JSON, redirects, error pages (4xx and 5xx) and
static files alike.
"""
import re

from flask import Flask, Response, request

# Every script and style is a file under static/: no inline code, no eval (htmx runs with
# allowEval off, see base.html's htmx-config), so neither 'unsafe-inline' nor 'unsafe-eval'.
POLICY = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("connect-src", "'self'"),  # and this host's ws: and wss:, see connect_src()
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
)
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # the URLs carry names and numbers searched for (/contacts?q=...): none leaves the app
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate CSP 2
}
# A Host header that is a plain name or address with an optional port; anything else (an
# empty host: Werkzeug empties one it finds invalid) is left out of the header.
PLAIN_HOST = re.compile(r"(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?")


def init_app(app: Flask) -> None:
    """Send the headers with every response the app gives."""
    app.after_request(add_headers)


def add_headers(response: Response) -> Response:
    """The policy and its companions; a header a view set itself is kept."""
    response.headers.setdefault("Content-Security-Policy", content_security_policy())
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def content_security_policy() -> str:
    """The policy for this request: its host is named for the socket."""
    directives = dict(POLICY) | {"connect-src": connect_src()}
    return "; ".join(f"{name} {sources}" for name, sources in directives.items())


def connect_src() -> str:
    """'self', plus ws:// and wss:// of this host for the live socket (/ws/calls): CSP 3
    lets 'self' cover them, browsers that predate it do not."""
    host = request.host
    if not PLAIN_HOST.fullmatch(host):
        return "'self'"
    return f"'self' ws://{host} wss://{host}"
