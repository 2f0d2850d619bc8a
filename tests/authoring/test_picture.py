"""The picture of a question graph the marketer sees: boxes linking to the questions' forms,
arrows with the answers on them, marks and findings, laid out by the real Graphviz.

Without `dot` the tests that draw fail, never skip, as for the other servers and tools the
suite needs: `make test` installs them.
"""
import random
import shutil
import sys
import time
import xml.etree.ElementTree as ET

import pytest

from survey_app.authoring import picture
from survey_app.authoring.picture import PictureUnavailable, Words, dot_source, render_svg
from survey_app.scripts.checks import Problem, check
from survey_app.scripts.resolver import CHOICE, NUMBER, TEXT, Graph, Option, Question, Transition
from tests.scripts.survey_one import Q1, Q2, Q3, Q3_YES, Q4, Q5, Q6, QUESTIONS, survey_one

S, XLINK = "{http://www.w3.org/2000/svg}", "{http://www.w3.org/1999/xlink}"
NASTY = ['He said "yes"', "C:\\temp\\new", "ends with \\", "\\N \\G \\E \\L \\n", "a ] b [ c",
         "<script>alert(1)</script>", "{first_name} or {x", "Tom & Jerry &amp; &#0; &lt;",
         "it's <b>bold</b> -->", "one\ntwo\r\nthree\tfour", "nul\x00 and \x1b[31m"]


def link(question_id: int) -> str:
    return f"/authoring/questions/{question_id}?tab=form&x=1"


@pytest.fixture(scope="module")
def dot():
    """Debian's Graphviz: `make system-packages` installs it."""
    if shutil.which("dot") is None:
        pytest.fail("Graphviz's dot is missing: `make test` installs Debian's package "
                    "'graphviz'", pytrace=False)


def draw(graph: Graph, findings=(), words: Words = picture.ENGLISH, **options) -> ET.Element:
    svg = render_svg(dot_source(graph, list(findings), link, words, **options))
    assert not svg.startswith("<?xml") and "<!DOCTYPE" not in svg
    return ET.fromstring(svg)  # inlined in HTML, so it must be well-formed on its own


def groups(root: ET.Element, kind: str) -> dict[str, ET.Element]:
    return {g.get("id"): g for g in root.iter(S + "g") if kind in g.get("class", "").split()}


def texts(group: ET.Element) -> list[str]:
    return [t.text or "" for t in group.iter(S + "text")]


def anchor(group: ET.Element) -> ET.Element:
    return next(group.iter(S + "a"))


def test_every_question_is_a_box_linking_to_its_form_with_its_full_text_as_tooltip(dot):
    boxes = groups(draw(survey_one()), "question")
    assert set(boxes) == {f"q{q.id}" for q in QUESTIONS}
    for q in QUESTIONS:
        box = anchor(boxes[f"q{q.id}"])
        assert box.get(XLINK + "href") == link(q.id)
        assert box.get(XLINK + "title") == q.text
        assert texts(boxes[f"q{q.id}"])[0].startswith(str(q.number))


class Lazy:
    """Like Flask-Babel's lazy_gettext: a word that becomes a str only when shown."""

    def __init__(self, word: str):
        self.word = word

    def __str__(self) -> str:
        return self.word


def test_the_first_and_the_last_questions_are_marked_in_the_readers_words(dot):
    words = Words(any_other=Lazy("будь-яка інша відповідь"), first=Lazy("перше"),
                  last=Lazy("останнє"))
    boxes = groups(draw(survey_one(), words=words), "question")
    assert boxes[f"q{Q1}"].get("class") == "node question first"
    assert texts(boxes[f"q{Q1}"])[0] == "1 · перше"
    assert boxes[f"q{Q4}"].get("class") == "node question last"
    assert texts(boxes[f"q{Q4}"])[0] == "4 · останнє"
    assert texts(boxes[f"q{Q2}"])[0] == "2"


def test_questions_with_findings_are_highlighted_errors_apart_from_warnings(dot):
    findings = [Problem("cycle", Q2), Problem("unreachable", Q2), Problem("unreachable", Q5),
                Problem("no_first")]  # a finding about the whole graph is no box's
    boxes = groups(draw(survey_one(), findings, warnings={"unreachable"}), "question")
    assert "finding-error" in boxes[f"q{Q2}"].get("class").split()
    assert "finding-warning" not in boxes[f"q{Q2}"].get("class").split()
    assert "finding-warning" in boxes[f"q{Q5}"].get("class").split()
    assert all("finding" not in boxes[f"q{q}"].get("class") for q in (Q1, Q3, Q4, Q6))


def test_the_checks_findings_are_errors_by_default(dot):
    graph = survey_one(changes={Q1: {"is_first": False}, Q2: {"is_first": True}})
    boxes = groups(draw(graph, check(graph)), "question")
    assert "finding-error" in boxes[f"q{Q1}"].get("class")  # now unreachable


def test_an_arrow_per_transition_with_the_answer_it_is_taken_on(dot):
    graph = survey_one(add=[Transition(Q2, Q6), Transition(Q3, Q6, option_id=Q3_YES)])
    arrows = groups(draw(graph), "transition")
    assert len(arrows) == len(graph.transitions)
    shown = {(a.get("class"), tuple(texts(a))) for a in arrows.values()}
    assert shown == {("edge transition any", ()),  # Q1's only way on needs no words
                     ("edge transition range", ("1–3",)), ("edge transition range", ("4–6",)),
                     ("edge transition range", ("7–10",)),
                     ("edge transition any", ("any other answer",)),
                     ("edge transition option", ("Так",)), ("edge transition option", ("Так",))}


@pytest.mark.parametrize(("low", "high", "shown"), [(1, 3, "1–3"), (None, 3, "up to 3"),
                                                     (7, None, "from 7"), (5, 5, "5")])
def test_a_number_range_reads_as_a_range_not_a_minus(low, high, shown):
    graph = Graph([Question(1, 1, "How many?", NUMBER, is_first=True),
                   Question(2, 2, "End", TEXT, is_last=True)],
                  [Transition(1, 2, low=low, high=high)])
    assert f'label="{shown}"' in dot_source(graph, [], link)


def test_the_range_and_other_words_come_from_the_caller():
    words = Words(any_other="інше", span=lambda bounds: f"від {bounds[0]} до {bounds[1]}")
    graph = Graph([Question(1, 1, "How many?", NUMBER, is_first=True),
                   Question(2, 2, "End", TEXT, is_last=True)],
                  [Transition(1, 2, low=1, high=2), Transition(1, 2)])
    source = dot_source(graph, [], link, words)
    assert 'label="від 1 до 2"' in source and 'label="інше"' in source


def test_an_arrow_to_a_question_that_does_not_exist_is_not_drawn():
    graph = Graph([Question(1, 1, "Only", TEXT, is_first=True)], [Transition(1, 99)])
    source = dot_source(graph, [Problem("unknown_question", 1)], link)
    assert "q99" not in source and "->" not in source


def test_a_long_question_is_cut_to_two_lines_with_an_ellipsis(dot):
    text = "How satisfied were you with the way our operator handled your call today, " * 3
    graph = Graph([Question(1, 1, text, TEXT, is_first=True, is_last=True)], [])
    box = groups(draw(graph), "question")["q1"]
    lines = texts(box)[1:]
    assert len(lines) == 2 and all(len(line) <= 40 for line in lines)
    assert lines[1].endswith("…")
    assert anchor(box).get(XLINK + "title") == text.strip()


def nasty_graph(text: str) -> Graph:
    return Graph([Question(1, 1, text, CHOICE, is_first=True, options=(Option(7, text),)),
                  Question(2, 2, text, TEXT, is_last=True)],
                 [Transition(1, 2, option_id=7), Transition(1, 2)])


@pytest.mark.parametrize("text", NASTY)
def test_a_marketers_text_never_breaks_the_picture_nor_injects_markup(dot, text):
    root = draw(nasty_graph(text))
    shown = " ".join(text.replace("\x00", " ").replace("\x1b", " ").split())
    assert [e for e in root.iter() if e.tag in {S + "script", S + "foreignObject"}] == []
    assert [n for e in root.iter() for n in e.attrib if n.lower().startswith("on")] == []
    boxes, arrows = groups(root, "question"), groups(root, "transition")
    assert texts(boxes["q1"])[1:] == [shown] and texts(boxes["q2"])[1:] == [shown]
    assert anchor(boxes["q1"]).get(XLINK + "title") == shown
    option = next(a for a in arrows.values() if "option" in a.get("class"))
    assert texts(option) == [shown]  # each of NASTY fits on an arrow
    assert anchor(option).get(XLINK + "title") == shown


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:x", " /q/1", "//evil.test/",
                                 "data:text/html,<script>", "/\\evil.test", "q/1"])
def test_a_link_that_is_not_a_page_of_the_app_or_the_web_is_refused(url):
    with pytest.raises(ValueError):
        dot_source(survey_one(), [], lambda _: url)


def test_the_svg_inlines_under_the_csp_and_scales(dot):
    svg = render_svg(dot_source(survey_one(), [], link))
    root = ET.fromstring(svg)
    assert "style=" not in svg and "<style" not in svg
    assert root.get("viewBox") and root.get("height") is None
    assert root.get("class") == "question-graph"
    assert 'xlink:href="/authoring/questions/' in svg and "&amp;x=1" in svg


def typical(n: int, seed: int = 1) -> Graph:
    """A branching survey: mostly straight on, some answers skip ahead, numbers split."""
    rnd, words = random.Random(seed), "how satisfied were you with our call today would".split()
    questions, transitions = [], []
    for i in range(n):
        kind = rnd.choices([CHOICE, NUMBER, TEXT], [70, 15, 15])[0]
        options = tuple(Option(10 * i + k, rnd.choice(words)) for k in range(4 * (kind == CHOICE)))
        text = f"Question {i + 1}: " + " ".join(rnd.choices(words, k=rnd.randint(4, 18)))
        questions.append(Question(i, i + 1, text, kind, is_first=i == 0, is_last=i == n - 1,
                                  options=options, min_value=0, max_value=10))
        later = [min(n - 1, i + k) for k in (1, 2, rnd.randint(2, 4))]
        if i == n - 1:
            continue
        if options and rnd.random() < 0.3:
            transitions.append(Transition(i, later[2], option_id=options[-1].id))
        if kind == NUMBER:
            transitions += [Transition(i, later[1], low=0, high=6),
                            Transition(i, later[0], low=7, high=10)]
        else:
            transitions.append(Transition(i, later[0]))
    return Graph(questions, transitions)


def test_sixty_questions_are_drawn_quickly_and_narrow_enough_to_read(dot):
    source = dot_source(typical(60), [], link)
    started = time.perf_counter()
    svg = render_svg(source)
    took = time.perf_counter() - started
    root = ET.fromstring(svg)
    assert len(groups(root, "question")) == 60
    assert took < 3, f"60 questions took {took:.2f} s"
    # at most a page's width (about 1,100 px = 825 pt): 10 pt text stays 10 pt
    assert float(root.get("width").removesuffix("pt")) < 825
    started = time.perf_counter()
    assert render_svg(source) == svg
    assert time.perf_counter() - started < 0.01  # drawn once: the cache answers


def test_a_picture_drawn_before_is_not_drawn_again(dot):
    source = dot_source(survey_one(changes={Q6: {"text": "Cached?"}}), [], link)
    assert render_svg(source) == render_svg(source, binary="/nonexistent/dot")


def test_the_cache_keeps_the_pictures_used_last():
    cache = picture._Cache(2)
    cache.put("a", "A")
    cache.put("b", "B")
    cache.get("a")  # "a" used last: "b" goes first
    cache.put("c", "C")
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == ("A", None, "C")


def unique_dot() -> str:
    return f"digraph {{ n{time.perf_counter_ns()} }}"  # never in the cache


def test_without_graphviz_the_picture_is_unavailable(monkeypatch, tmp_path):
    with pytest.raises(PictureUnavailable, match="not installed"):
        render_svg(unique_dot(), binary=str(tmp_path / "dot"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(PictureUnavailable, match="not installed"):
        render_svg(unique_dot())


def fake_dot(tmp_path, name: str, body: str) -> str:
    script = tmp_path / name
    script.write_text(f"#!{sys.executable}\nimport sys, time\n{body}\n")
    script.chmod(0o755)
    return str(script)


def test_a_graphviz_that_hangs_or_fails_makes_the_picture_unavailable(tmp_path):
    slow = fake_dot(tmp_path, "slow", "time.sleep(10)")
    with pytest.raises(PictureUnavailable, match="more than 0.3 s"):
        render_svg(unique_dot(), binary=slow, timeout=0.3)
    failing = fake_dot(tmp_path, "failing", "print('Error: out of memory', file=sys.stderr)\n"
                                            "sys.exit(3)")
    with pytest.raises(PictureUnavailable, match=r"failed \(3\): Error: out of memory"):
        render_svg(unique_dot(), binary=failing)


def test_dot_text_graphviz_refuses_makes_the_picture_unavailable(dot):
    with pytest.raises(PictureUnavailable, match="failed"):
        render_svg("digraph { a -> }")


def test_survey_one_draws_every_question_of_its_six(dot):
    assert set(groups(draw(survey_one()), "question")) == {
        f"q{q}" for q in (Q1, Q2, Q3, Q4, Q5, Q6)}
