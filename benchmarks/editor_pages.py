"""Benchmark: the marketer's editor on a large questionnaire, server time in-process.

Builds a fresh SQLite database (the demo seed) and stores, as a draft, the 300-question,
1,200-option script of benchmarks/graph_checks.py (the way marketers write them). Then,
logged in as the marketer through the Flask test client, times, interleaved:

* GET /questionnaires/<id>: the page with its questions, findings and picture. "cold" is
  the first view after an edit: the picture is not drawn yet, so the page asks for it in
  its own request ("picture drawn": Graphviz at work); "warm" is every later view, with
  the drawn picture inline;
* GET /questionnaires/<id>/graph: the findings and picture that refresh after a save;
* POST one option row (htmx): the save itself, a new text each time (the draft's revision
  goes up, so the page's next graph is read and checked anew);
* the checks alone (survey_app.scripts.checks.check) on the same graph.

Targets (issue 10): page p50 < 300 ms, checks < 20 ms, option row save < 30 ms.
Run: .venv/bin/python benchmarks/editor_pages.py   (--help for the sizes and the runs).
Results: a Markdown table on stdout and benchmarks/results/editor_pages.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import math
import os
import platform
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

from graph_checks import build  # noqa: E402
from sqlalchemy import select  # noqa: E402

from survey_app import create_app, demo  # noqa: E402
from survey_app.authoring import picture  # noqa: E402
from survey_app.extensions import db  # noqa: E402
from survey_app.models import (  # noqa: E402
    AnswerKind,
    AnswerOption,
    Campaign,
    Question,
    Questionnaire,
    QuestionnaireStatus,
    Transition,
)
from survey_app.scripts.checks import check  # noqa: E402
from survey_app.scripts.loading import load_graph  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
TARGETS_MS = {"page warm": 300.0, "page cold": 300.0, "checks": 20.0, "option save": 30.0}
HX = {"HX-Request": "true"}


def store(graph, campaign_id: int) -> int:
    """The benchmark graph as a draft questionnaire; its id."""
    draft = Questionnaire(campaign_id=campaign_id, name="Benchmark 300",
                          status=QuestionnaireStatus.DRAFT)
    db.session.add(draft)
    db.session.flush()
    ids, options = {}, {}
    for q in sorted(graph.questions.values(), key=lambda q: q.number):
        row = Question(questionnaire_id=draft.id, number=q.number, text=q.text,
                       kind=AnswerKind(q.kind), is_first=q.is_first, is_last=q.is_last,
                       min_value=q.min_value, max_value=q.max_value,
                       allows_refusal=q.allows_refusal,
                       branches=len(graph.outgoing.get(q.id, ())) > 1)
        row.options = [AnswerOption(position=k, text=o.text) for k, o in enumerate(q.options)]
        db.session.add(row)
        ids[q.id] = row
        options.update(zip((o.id for o in q.options), row.options, strict=True))
    db.session.flush()
    for t in graph.transitions:
        db.session.add(Transition(questionnaire_id=draft.id, source_id=ids[t.source].id,
                                  target_id=ids[t.target].id,
                                  option_id=options[t.option_id].id if t.option_id else None,
                                  range_low=t.low, range_high=t.high))
    db.session.commit()
    return draft.id


def login(client) -> str:
    page = client.get("/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post("/login", data={"username": "marketer", "password": "demo",
                                "csrf_token": token})
    page = client.get("/contacts").text
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def timed(call) -> int:
    started = time.perf_counter_ns()
    call()
    return time.perf_counter_ns() - started


def run(client, app, qid: int, token: str, runs: int) -> dict[str, list[int]]:
    with app.app_context():
        option = db.session.scalar(select(AnswerOption).join(Question).where(
            Question.questionnaire_id == qid).limit(1))
        option_url = (f"/questionnaires/{qid}/questions/{option.question_id}/options/"
                      f"{option.id}")
        was, graph = option.text, load_graph(qid)
    samples: dict[str, list[int]] = {name: [] for name in TARGETS_MS}
    samples["graph fragment"], samples["picture drawn"] = [], []

    def ok(response):
        assert response.status_code == 200, response.status_code

    for k in range(runs):
        text = f"Збережений варіант {k}"  # unlike the question's others
        data = {"csrf_token": token, f"o{option.id}-text": text, f"o{option.id}-was": was}
        samples["option save"].append(timed(
            lambda data=data: ok(client.post(option_url, headers=HX, data=data))))
        was = text
        picture._rendered.entries.clear()  # the edit changed the picture: drawn once
        samples["page cold"].append(timed(lambda: ok(client.get(f"/questionnaires/{qid}"))))
        samples["picture drawn"].append(timed(lambda: ok(client.get(
            f"/questionnaires/{qid}/picture", headers=HX))))
        samples["page warm"].append(timed(lambda: ok(client.get(f"/questionnaires/{qid}"))))
        samples["graph fragment"].append(timed(lambda: ok(client.get(
            f"/questionnaires/{qid}/graph", headers=HX))))
        samples["checks"].append(timed(lambda: check(graph)))
    return samples


def summary(values: list[int]) -> dict:
    ordered = sorted(values)

    def pct(p):
        return round(ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1] / 1e6, 2)
    return {"n": len(ordered), "p50_ms": pct(50), "p90_ms": pct(90), "max_ms": pct(100)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--options", type=int, default=1200)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv)
    logging.disable(logging.INFO)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SECRET_KEY": "bench", "RATELIMIT_ENABLED": False,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db"})
        with app.app_context():
            db.create_all()
            demo.seed()
            qid = store(build(args.questions, args.options, seed=7),
                        db.session.scalar(select(Campaign.id).limit(1)))
        client = app.test_client()
        token = login(client)
        for _ in range(3):  # warm up: templates compiled, caches filled
            client.get(f"/questionnaires/{qid}")
        samples = run(client, app, qid, token, args.runs)
    rows = {name: summary(values) for name, values in samples.items()}
    lines = ["| measured | runs | p50 ms | p90 ms | max ms | target p50 |",
             "|---|---:|---:|---:|---:|---:|"]
    for name, r in rows.items():
        target = TARGETS_MS.get(name)
        lines.append(f"| {name} | {r['n']} | {r['p50_ms']:.2f} | {r['p90_ms']:.2f} | "
                     f"{r['max_ms']:.2f} | {f'< {target:.0f} ms' if target else ''} |")
    print(f"{args.questions} questions, {args.options} options, SQLite, in-process")
    print("\n".join(lines))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "editor_pages.json").write_text(json.dumps({
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "questions": args.questions, "options": args.options, "results": rows},
        indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
