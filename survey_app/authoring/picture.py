"""The picture of a questionnaire's question graph: DOT text built purely, laid out by
Graphviz's `dot` as SVG that a page inlines under a CSP without inline styles or scripts.

Graphviz reads labels as escString with HTML entities, and in 2.43 runs tooltips through
its `\\N`-style substitution twice; so labels are escaped for both, and the texts a label
does not need for layout (tooltips, links) travel base64-encoded and are put back after
the SVG is parsed, where the XML serializer escapes them for sure.
"""
import base64
import hashlib
import re
import subprocess
import textwrap
import threading
import xml.etree.ElementTree as ET
from collections import OrderedDict
from collections.abc import Callable, Collection
from dataclasses import dataclass

from survey_app.scripts.checks import Problem
from survey_app.scripts.resolver import Graph, Question, Transition

TEXT_WIDTH, TEXT_LINES = 40, 2  # boxes narrow enough for 60 questions to fit a page
ANSWER_WIDTH = 28
TIMEOUT = 5.0
SVG, XLINK = "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG)
ET.register_namespace("xlink", XLINK)  # an HTML parser knows xlink:href, not ns1:href
_CARRIED = "b64:"
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")  # not in XML 1.0
_SAFE_LINK = re.compile(r"(/(?![/\\])|https?://)[^\s\x00-\x1f]*", re.IGNORECASE)
_FORBIDDEN = {f"{{{SVG}}}{tag}" for tag in ("script", "foreignObject", "style", "iframe")}
# nslimit bounds the network simplex that places boxes across: with many labelled arrows it
# takes most of the time (300 questions x 4 arrows: 2-5 s unbounded, 1 s bounded) and, left
# unbounded, drifts a dense graph 4 times wider
_HEAD = ('digraph questionnaire {\n'
         'graph [rankdir=TB, nodesep=0.25, ranksep=0.3, splines=true, nslimit=2, '
         'fontname="sans-serif"];\n'
         'node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="#5f6368", '
         'fontname="sans-serif", fontsize=10, margin="0.1,0.04", width=0, height=0];\n'
         'edge [fontname="sans-serif", fontsize=9, fontcolor="#3c4043", color="#80868b", '
         'arrowsize=0.6];\n')
# presentation attributes, so the picture reads without the page's stylesheet too
_FINDING = {"error": 'fillcolor="#fce8e6", color="#c5221f", penwidth=2',
            "warning": 'fillcolor="#fef7e0", color="#b06000", style="rounded,filled,dashed"'}


class PictureUnavailable(Exception):
    """Graphviz could not draw the picture: not installed, too slow, or it failed."""


def _english_span(bounds: tuple[int | None, int | None]) -> str:
    low, high = bounds
    if low is None:
        return f"up to {high}"
    if high is None:
        return f"from {low}"
    return f"{low}–{high}" if low != high else str(low)


@dataclass(frozen=True)
class Words:
    """The picture's few words in the reader's language; the caller translates them."""

    any_other: str = "any other answer"
    first: str = "first"
    last: str = "last"
    span: Callable[[tuple[int | None, int | None]], str] = _english_span


ENGLISH = Words()


def dot_source(graph: Graph, findings: list[Problem], link: Callable[[int], str],
               words: Words = ENGLISH, *, warnings: Collection[str] = ()) -> str:
    """The graph as DOT text: a linked box per question, an arrow per transition."""
    severity = _severities(findings, warnings)
    questions = sorted(graph.questions.values(), key=lambda q: (q.number, q.id))
    lines = [_HEAD]
    lines += [_node(q, severity.get(q.id), link(q.id), words) for q in questions]
    for q in questions:
        outgoing = [t for t in graph.outgoing.get(q.id, ()) if t.target in graph.questions]
        lines += [_edge(q, t, k, len(outgoing) > 1, words) for k, t in enumerate(outgoing)]
    return "".join(lines) + "}\n"


def _severities(findings: list[Problem], warnings: Collection[str]) -> dict[int, str]:
    """Each question's worst finding: an error outweighs any number of warnings."""
    worst: dict[int, str] = {}
    for finding in findings:
        if finding.question_id is not None and worst.get(finding.question_id) != "error":
            warning = finding.code in warnings or not finding.blocks
            worst[finding.question_id] = "warning" if warning else "error"
    return worst


def _node(q: Question, severity: str | None, url: str, words: Words) -> str:
    marks = [name for name, on in (("first", q.is_first), ("last", q.is_last)) if on]
    head = " · ".join([str(q.number)] + [str(getattr(words, m)) for m in marks])
    lines = [head, *_lines(q.text, TEXT_WIDTH, TEXT_LINES)]
    label = "".join(_label(line) + "\\l" for line in lines)  # \l ends a left-aligned line
    classes = ["question", *marks] + ([f"finding-{severity}"] if severity else [])
    attributes = [f'id="q{q.id}"', f'class="{" ".join(classes)}"', f'label="{label}"',
                  f'tooltip="{_carry(_plain(q.text))}"', f'URL="{_carry(_checked(url))}"']
    if marks:
        attributes.append("penwidth=2")
    if severity:
        attributes.append(_FINDING[severity])
    return f"q{q.id} [{', '.join(attributes)}];\n"


def _edge(q: Question, t: Transition, k: int, alternatives: bool, words: Words) -> str:
    kind, answer = _answer(q, t, words)
    attributes = [f'id="t{q.id}-{k}"', f'class="transition {kind}"']
    # a lone "any answer" arrow needs no words: it has no other answer to tell apart from
    if kind != "any" or alternatives:
        shown = _lines(answer, ANSWER_WIDTH, 1)[0]
        attributes += [f'label="{_label(shown)}"', f'tooltip="{_carry(_plain(answer))}"']
    return f"q{t.source} -> q{t.target} [{', '.join(attributes)}];\n"


def _answer(q: Question, t: Transition, words: Words) -> tuple[str, str]:
    """The kind of a transition (its CSS class) and the answer it is taken on."""
    if t.option_id is not None:
        option = q.option(t.option_id)
        return "option", option.text if option else "?"
    if t.is_range:
        return "range", str(words.span((t.low, t.high)))
    return "any", str(words.any_other)


def _plain(text: str) -> str:
    """One line of showable characters: newlines and control characters become spaces."""
    return " ".join(_UNSHOWABLE.sub(" ", str(text)).split())


def _lines(text: str, width: int, count: int) -> list[str]:
    """At most `count` lines of `width`; the last ends with an ellipsis if text was cut."""
    lines = textwrap.wrap(_plain(text), width) or [""]
    if len(lines) > count:
        lines = lines[:count]
        lines[-1] = lines[-1][:width - 1].rstrip() + "…"
    return lines


def _label(text: str) -> str:
    """Text inside a quoted DOT label: `&` for Graphviz's entities, `\\` and `"` for DOT."""
    return text.replace("&", "&amp;").replace("\\", "\\\\").replace('"', '\\"')


def _carry(text: str) -> str:
    return _CARRIED + base64.urlsafe_b64encode(text.encode()).decode()


def _uncarry(value: str) -> str:
    if not value.startswith(_CARRIED):
        return value
    return base64.urlsafe_b64decode(value[len(_CARRIED):]).decode(errors="replace")


def _checked(url: str) -> str:
    """A link to a page of the app or to the web: never javascript: or data:."""
    if not _SAFE_LINK.fullmatch(url):
        raise ValueError(f"not a link for the picture: {url!r}")
    return url


class _Cache:
    """The last rendered pictures by their DOT text's hash, shared by the server's threads."""

    def __init__(self, size: int):
        self.size, self.entries, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key: str) -> str | None:
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
            return self.entries.get(key)

    def put(self, key: str, value: str) -> None:
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


_rendered = _Cache(64)


def drawn(dot: str) -> str | None:
    """The picture of this DOT text if it has been drawn already, else None (no Graphviz)."""
    return _rendered.get(hashlib.sha256(dot.encode()).hexdigest())


def render_svg(dot: str, *, binary: str = "dot", timeout: float = TIMEOUT) -> str:
    """The <svg> element Graphviz draws for this DOT text, ready to inline in a page."""
    key = hashlib.sha256(dot.encode()).hexdigest()
    svg = _rendered.get(key)
    if svg is None:
        svg = _inline(_run(dot, binary, timeout))
        _rendered.put(key, svg)
    return svg


def _run(dot: str, binary: str, timeout: float) -> str:
    try:
        # a list of arguments and the source on stdin: no shell, no file to clean up
        done = subprocess.run([binary, "-Tsvg"], input=dot, capture_output=True,
                              encoding="utf-8", timeout=timeout, check=False)
    except FileNotFoundError as error:
        raise PictureUnavailable(f"Graphviz is not installed ({binary!r} not found)") from error
    except subprocess.TimeoutExpired as error:
        raise PictureUnavailable(f"Graphviz took more than {timeout:g} s") from error
    except OSError as error:
        raise PictureUnavailable(f"Graphviz could not be started: {error}") from error
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no message"])[0]
        raise PictureUnavailable(f"Graphviz failed ({done.returncode}): {reason}")
    return done.stdout


def _inline(svg: str) -> str:
    """The SVG without prolog, DOCTYPE, comments, fixed height or inline styles."""
    try:
        root = ET.fromstring(svg)  # also drops the prolog, the DOCTYPE and the comments
    except ET.ParseError as error:
        raise PictureUnavailable(f"Graphviz's SVG does not parse: {error}") from error
    root.attrib.pop("height", None)  # the width stays: CSS max-width scales it, viewBox kept
    root.set("class", "question-graph")
    for parent in root.iter():
        for child in [c for c in parent if c.tag in _FORBIDDEN]:
            parent.remove(child)
        _clean(parent)
    return ET.tostring(root, encoding="unicode")


def _clean(element: ET.Element) -> None:
    """No inline style (the CSP refuses it), no handler, links and tooltips put back."""
    for name in [n for n in element.attrib if n == "style" or n.lower().startswith("on")]:
        del element.attrib[name]
    title, href = f"{{{XLINK}}}title", f"{{{XLINK}}}href"
    if title in element.attrib:
        element.set(title, _uncarry(element.get(title)))
    if href in element.attrib:
        url = _uncarry(element.get(href))
        if _SAFE_LINK.fullmatch(url):
            element.set(href, url)
        else:
            del element.attrib[href]
