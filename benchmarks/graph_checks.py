"""Benchmark: the graph checks (survey_app.scripts.checks.check) on large questionnaires.

The editor runs the checks live on every change, so they must stay well under a frame's
worth of a request. Builds, with a fixed seed, scripts the way marketers write them: mostly
single-choice questions of 2 to 6 answers, number questions (0-10 ratings split into ranges),
some free-text ones; each answer leads one to four questions on, some questions take "any
other answer" or "Refused / don't know", some texts use {first_name} or an earlier answer.
Then times check() on each (the same graph every run: check never changes it) and prints a
Markdown table: wall-clock p50/p90/p99 and the process's CPU time p50 (which a busy machine
disturbs less). The target: p50 under 20 ms for 300 questions and 1,200 options.

Run: .venv/bin/python benchmarks/graph_checks.py   (--help for the sizes and the runs).
Results: a Markdown table on stdout and benchmarks/results/graph_checks.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import math
import os
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

from survey_app.scripts.checks import check  # noqa: E402
from survey_app.scripts.resolver import (  # noqa: E402
    CHOICE,
    NUMBER,
    TEXT,
    Graph,
    Option,
    Question,
    Transition,
)

RESULTS = Path(__file__).resolve().parent / "results"
TARGET_P50_MS = 20.0
TEXTS = ("Добрий день, {first_name}! Чи зручно вам говорити?", "Чи сподобався вам вебінар?",
         "Ви відповіли «{answer:1}». Чому саме так?", "Як ви оцінюєте роботу {operator}?",
         "Чи користуєтеся ви послугами {account} далі?")


def build(questions: int, options: int, seed: int) -> Graph:
    """A valid script of `questions` questions with `options` answer options in all."""
    rng = random.Random(seed)
    kinds = [CHOICE if i == 0 or rng.random() < 0.8 else rng.choice([NUMBER, NUMBER, TEXT])
             for i in range(questions)]  # four in five questions are single choice
    counts = iter(_option_counts(rng, kinds.count(CHOICE), options))
    option_ids = iter(range(1, options + 1))
    qs, ts = [], []
    for i, kind in enumerate(kinds):
        q = _question(rng, i, kind, questions, next(counts) if kind == CHOICE else 0,
                      option_ids)
        qs.append(q)
        if not q.is_last:
            ts += _ways(rng, q, i, questions)
    return Graph(qs, ts)


def _option_counts(rng: random.Random, choices: int, options: int) -> list[int]:
    """2 to 8 options a question, `options` in all."""
    counts = [rng.randint(3, 7) for _ in range(choices)]
    while sum(counts) != options:
        k = rng.randrange(choices)
        step = 1 if sum(counts) < options else -1
        if 2 <= counts[k] + step <= 8:
            counts[k] += step
    return counts


def _question(rng: random.Random, i: int, kind: str, n: int, count: int,
              option_ids) -> Question:
    text = rng.choice(TEXTS) if i else TEXTS[0]
    if i > 3 and rng.random() < 0.05:  # an answer a few questions back, not always asked
        text = f"Ви сказали «{{answer:{i - rng.randint(0, 2)}}}». Чому?"
    base = {"id": 10_000 + i, "number": i + 1, "kind": kind, "is_first": i == 0,
            "is_last": i == n - 1, "text": text, "allows_refusal": rng.random() < 0.2}
    if kind == CHOICE:
        return Question(**base, options=tuple(Option(next(option_ids), f"Варіант {k}")
                                              for k in range(1, count + 1)))
    if kind == NUMBER:
        return Question(**base, min_value=0, max_value=10)
    return Question(**base)


def _ways(rng: random.Random, q: Question, i: int, n: int) -> list[Transition]:
    """Each answer one to four questions on; the first always to the next one, so every
    question is reached; "any other answer" where a refusal or an uncovered answer needs it."""
    def later() -> int:
        return 10_000 + min(n - 1, i + rng.randint(1, 4))

    nearest = 10_000 + i + 1
    if q.kind == TEXT:
        return [Transition(q.id, nearest)]
    fallback = q.allows_refusal or rng.random() < 0.3
    if q.kind == CHOICE:
        chosen = [o for k, o in enumerate(q.options) if k == 0 or not fallback
                  or rng.random() < 0.7]
        ways = [Transition(q.id, nearest if k == 0 else later(), option_id=o.id)
                for k, o in enumerate(chosen)]
    else:
        cuts = sorted(rng.sample(range(1, 11), rng.randint(1, 3)))
        bounds = list(zip([0, *cuts], [c - 1 for c in cuts] + [10], strict=True))
        ways = [Transition(q.id, nearest if k == 0 else later(), low=lo, high=hi)
                for k, (lo, hi) in enumerate(bounds)]
    return ways + ([Transition(q.id, later())] if fallback else [])


def with_cycle(graph: Graph) -> Graph:
    """The same graph with the last question leading back to the middle one."""
    ordered = sorted(graph.questions.values(), key=lambda q: q.number)
    last, middle = ordered[-1], ordered[len(ordered) // 2]
    return Graph(graph.questions.values(), [*graph.transitions, Transition(last.id, middle.id)])


def time_checks(graph: Graph, runs: int, warmup: int) -> dict:
    """check() timed `runs` times after `warmup` untimed ones, collection paused."""
    for _ in range(warmup):
        findings = check(graph)
    samples, cpu = [], []
    gc.disable()  # a collection landing in one run says nothing about the checks
    try:
        for _ in range(runs):
            started, cpu_started = time.perf_counter_ns(), time.process_time_ns()
            findings = check(graph)
            cpu.append(time.process_time_ns() - cpu_started)
            samples.append(time.perf_counter_ns() - started)
    finally:
        gc.enable()
    samples.sort()
    cpu.sort()
    codes: dict[str, int] = {}
    for p in findings:
        codes[p.code] = codes.get(p.code, 0) + 1
    return {"n": runs, "p50_ms": _ms(samples, 50), "p90_ms": _ms(samples, 90),
            "p99_ms": _ms(samples, 99), "max_ms": round(samples[-1] / 1e6, 3),
            "cpu_p50_ms": _ms(cpu, 50),
            "findings": codes, "errors": sum(p.blocks for p in findings)}


def _ms(ordered: list[int], p: float) -> float:
    """Nearest-rank percentile of sorted nanoseconds, in ms."""
    return round(ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1] / 1e6, 3)


def describe(graph: Graph) -> dict:
    qs = graph.questions.values()
    return {"questions": len(qs), "options": sum(len(q.options) for q in qs),
            "transitions": len(graph.transitions),
            "number_questions": sum(q.kind == NUMBER for q in qs),
            "text_questions": sum(q.kind == TEXT for q in qs)}


def markdown_table(rows: list[dict]) -> str:
    lines = ["| graph | questions | options | transitions | runs | p50 ms | p90 ms | p99 ms "
             "| max ms | CPU p50 ms | findings |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        found = ", ".join(f"{code} {n}" for code, n in sorted(r["findings"].items())) or "none"
        lines.append(f"| {r['name']} | {r['questions']:,} | {r['options']:,} | "
                     f"{r['transitions']:,} | {r['n']} | {r['p50_ms']:.2f} | {r['p90_ms']:.2f} | "
                     f"{r['p99_ms']:.2f} | {r['max_ms']:.2f} | {r['cpu_p50_ms']:.2f} | {found} |")
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="timed runs per graph")
    parser.add_argument("--warmup", type=int, default=10, help="untimed runs first")
    parser.add_argument("--big", type=int, default=2000, help="questions of the large graph")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    medium = build(300, 1200, args.seed)
    big = build(args.big, 4 * args.big, args.seed)
    graphs = [("300 questions", medium), (f"{args.big:,} questions", big),
              (f"{args.big:,} questions, a cycle", with_cycle(big))]
    rows = []
    for name, graph in graphs:
        rows.append({"name": name, **describe(graph),
                     **time_checks(graph, args.runs, args.warmup)})
        print(f"timed {name}", file=sys.stderr, flush=True)
    table = markdown_table(rows)
    print(table)
    p50 = rows[0]["p50_ms"]
    verdict = "meets" if p50 < TARGET_P50_MS else "MISSES"
    print(f"\n300 questions: p50 {p50:.2f} ms {verdict} the target (under {TARGET_P50_MS} ms); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs.")
    result = {"benchmark": "graph_checks", "created": dt.datetime.now(dt.UTC).isoformat(),
              "machine": {"nproc": os.cpu_count(), "python": sys.version.split()[0],
                          "platform": platform.platform(), "loadavg": list(os.getloadavg())},
              "args": vars(args), "target_p50_ms": TARGET_P50_MS, "rows": rows,
              "markdown": table}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "graph_checks.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
