"""No template or static page holds code the Content-Security-Policy would refuse: inline
scripts, event-handler attributes, javascript: URLs, htmx attributes that need eval, and (so
that style-src stays 'self') inline styles."""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted([*ROOT.glob("templates/**/*.html"), *ROOT.glob("static/**/*.html")])
DATA_SCRIPTS = {"application/json"}  # read by our scripts, never run
EVAL_VALUES = {"hx-vals", "hx-headers", "hx-request"}  # "js:..." / "javascript:..." is eval'd


class InlineCode(HTMLParser):
    """Collects (line, what) for everything in one page that the policy would refuse."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.script: dict | None = None

    def note(self, what: str) -> None:
        self.found.append((self.getpos()[0], what))

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            self.check_attribute(name, (value or "").strip())
        if tag == "script":
            self.script = dict(attrs)
        elif tag == "style":
            self.note("a <style> element")

    def check_attribute(self, name: str, value: str) -> None:
        htmx = name.removeprefix("data-")
        if re.fullmatch(r"on[a-z]+", name):
            self.note(f"an event handler attribute {name}=")
        elif htmx.startswith("hx-on"):
            self.note(f"{name} (htmx runs it with eval)")
        elif htmx == "hx-vars":
            self.note("hx-vars (always eval)")
        elif htmx in EVAL_VALUES and re.match(r"(js|javascript):", value, re.I):
            self.note(f'{name}="{value[:20]}..." (eval)')
        elif htmx == "hx-trigger" and "[" in value:
            self.note(f'hx-trigger="{value}": an event filter is eval')
        elif name == "style":
            self.note("an inline style= attribute")
        elif re.match(r"javascript:", value, re.I):
            self.note(f"a javascript: URL in {name}=")

    def handle_data(self, data):
        if self.script is not None and data.strip():
            kind = (self.script.get("type") or "").strip().lower()
            if kind not in DATA_SCRIPTS:
                self.note("an inline <script> with code")

    def handle_endtag(self, tag):
        if tag == "script":
            self.script = None


def inline_code(html: str) -> list[tuple[int, str]]:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found


def test_every_template_and_static_page_is_read():
    assert ROOT / "templates" / "base.html" in PAGES and len(PAGES) > 20


@pytest.mark.parametrize("page", PAGES, ids=lambda path: str(path.relative_to(ROOT)))
def test_page_has_no_code_the_policy_would_refuse(page):
    assert inline_code(page.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("html", [
    "<script>alert(1)</script>",
    '<script type="module">import "x"</script>',
    '<button onclick="go()">Go</button>',
    "<body onload='start()'>",
    '<a href="javascript:void(0)">x</a>',
    '<form action=" JavaScript:go()">',
    '<button hx-on:click="go()">',
    '<button hx-on::after-request="go()">',
    '<button data-hx-on-click="go()">',
    '<div hx-vals="js:{a: 1}">',
    '<div hx-vals=\'javascript:{a: 1}\'>',
    '<div hx-vars="a: 1">',
    '<input hx-trigger="keyup[key==\'Enter\']">',
    '<p style="color: red">',
    "<style>p { color: red }</style>",
])
def test_inline_code_is_found(html):
    assert inline_code(html), html


@pytest.mark.parametrize("html", [
    '<script src="/static/js/app.js" defer></script>',
    '<script type="application/json" id="client-text">{"a": "b"}</script>',
    '<input hx-trigger="input changed delay:250ms, search">',
    """<body hx-headers='{"X-CSRFToken": "{{ csrf_token() }}"}'>""",
    '<div hx-vals=\'{"a": 1}\'>',
    '<button hx-confirm="Sure?">',
    '<p class="online">online: {{ n }}</p>',
])
def test_plain_markup_passes(html):
    assert inline_code(html) == []
