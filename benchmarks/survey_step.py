"""Benchmark: server time of one survey step against a bare Flask route.

Builds a fresh SQLite database (the demo data with 10,000 contacts plus about 100,000 stored
customer answers), then times, interleaved so both see the same machine conditions:

* GET /bare, a route that returns a short string (the floor: Flask + WSGI + test client);
* POST /surveys/<id>/answer for Q1 (the answer is written, Q2's fragment comes back);
* POST /surveys/<id>/back (the step is moved back, Q1's fragment comes back).

Both in-process (Flask test client, no network) and over real HTTP (werkzeug's threaded
server on 127.0.0.1, one keep-alive http.client connection). Then profiles the step with
cProfile and lists the SQL one answer and one back run.

Run: .venv/bin/python benchmarks/survey_step.py   (or `make bench`); --help for the sizes.
Results: a Markdown table on stdout and benchmarks/results/survey_step.json.
"""
from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import http.client
import io
import json
import logging
import math
import os
import platform
import pstats
import random
import re
import sqlite3
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy
from sqlalchemy import event, func, insert, select
from werkzeug.serving import WSGIRequestHandler, make_server

from survey_app import create_app, demo
from survey_app.extensions import db
from survey_app.models import (
    Contact,
    CustomerAnswer,
    CustomerSurvey,
    SurveyEvent,
    SurveyStatus,
    User,
)
from survey_app.scripts import resolver
from survey_app.scripts.loading import load_graph

RESULTS = Path(__file__).resolve().parent / "results"
SAMPLE_CONTACT = "Уляненко Олександра"
OPERATORS = ("operator", "operator2")
HTMX_STEP = {"HX-Request": "true", "HX-Target": "question"}
TARGET_RATIO, TARGET_P99_MS = 3.0, 25.0
COMMENTS = ("Мало практичних прикладів", "Погано чути доповідача", "Занадто довго",
            "Хотілося б більше про інтеграції", "Незручний час")


# --------------------------------------------------------------------------- data


def build_database(app, answers_wanted: int, volume: int, seed: int) -> dict:
    """Schema, the demo seed, then completed surveys until `answers_wanted` answers exist."""
    started = time.perf_counter()
    with app.app_context():
        db.create_all()
        demo.seed(volume=volume)
        seeded = time.perf_counter()
        _add_history(answers_wanted, random.Random(seed))
        counts = {name: db.session.scalar(select(func.count()).select_from(model))
                  for name, model in (("users", User), ("contacts", Contact),
                                      ("customer_surveys", CustomerSurvey),
                                      ("customer_answers", CustomerAnswer),
                                      ("survey_events", SurveyEvent))}
    done = time.perf_counter()
    return {"counts": counts, "seed_s": round(seeded - started, 2),
            "history_s": round(done - seeded, 2), "total_s": round(done - started, 2)}


def _add_history(answers_wanted: int, rng: random.Random) -> None:
    """Completed runs of "Survey 1" by the two operators, bulk inserted along real paths.

    A path through "Survey 1" has 3 or 4 questions, so reaching `answers_wanted` answers
    takes about 31,000 surveys for 100,000 answers (not 20,000 surveys of 5 answers: no
    path has 5 questions, and an impossible path would not be realistic data).
    """
    graph = load_graph(1)
    contact_ids = db.session.scalars(select(Contact.id)).all()
    operator_ids = db.session.scalars(select(User.id).where(User.username.in_(OPERATORS))).all()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    surveys, answers, events = [], [], []
    survey_id = (db.session.scalar(select(func.max(CustomerSurvey.id))) or 0) + 1
    while len(answers) < answers_wanted:
        begin = now - dt.timedelta(seconds=rng.randint(3_600, 365 * 86_400))
        path = _random_path(graph, rng, begin)
        finished = path[-1]["answered_at"]
        surveys.append({"id": survey_id, "contact_id": rng.choice(contact_ids),
                        "questionnaire_id": 1, "campaign_id": 1,
                        "operator_id": rng.choice(operator_ids),
                        "status": SurveyStatus.COMPLETED, "step": len(path),
                        "current_shown_at": finished, "started_at": begin,
                        "finished_at": finished})
        events.append(_event_row(survey_id, "started", 0, None, None, begin))
        for row in path:
            answers.append({"survey_id": survey_id, **row})
            events.append(_event_row(survey_id, "answered", row["position"], row["question_id"],
                                     row["answer_text"], row["answered_at"]))
        events.append(_event_row(survey_id, "completed", len(path), None, None, finished))
        survey_id += 1
    for model, rows in ((CustomerSurvey, surveys), (CustomerAnswer, answers),
                        (SurveyEvent, events)):
        # the ORM bulk insert batches consecutive rows with the same None columns together:
        # rows in walk order (choice, number, text...) would cost thousands of executes
        rows.sort(key=lambda row: tuple(value is None for value in row.values()))
        db.session.execute(insert(model), rows)
    db.session.commit()


def _random_path(graph: resolver.Graph, rng: random.Random, begin: dt.datetime) -> list[dict]:
    """One walk through the questionnaire with plausible answers and timings."""
    rows, question, shown = [], graph.first(), begin
    while question is not None:
        given = _random_answer(question, rng)
        answered = shown + dt.timedelta(seconds=rng.randint(3, 45))
        rows.append({"position": len(rows) + 1, "question_id": question.id,
                     "option_id": given.option_id, "number_value": given.number,
                     "text_value": given.text, "question_number": question.number,
                     "question_text": question.text,
                     "answer_text": resolver.answer_text(question, given),
                     "shown_at": shown, "answered_at": answered})
        question, shown = resolver.next_question(graph, given), answered
    return rows


def _random_answer(question: resolver.Question, rng: random.Random) -> resolver.Answer:
    if question.kind == resolver.CHOICE:
        return resolver.Answer(question.id, option_id=rng.choice(question.options).id)
    if question.kind == resolver.NUMBER:
        return resolver.Answer(question.id, number=rng.randint(question.min_value or 1,
                                                               question.max_value or 10))
    return resolver.Answer(question.id, text=rng.choice(COMMENTS))


def _event_row(survey_id, kind, position, question_id, answer_text, at) -> dict:
    return {"survey_id": survey_id, "kind": kind, "position": position,
            "question_id": question_id, "answer_text": answer_text, "at": at}


# --------------------------------------------------------------------------- page reading


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or \
        re.search(r'"X-CSRFToken": "([^"]+)"', html)
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


def fragment_state(html: str) -> tuple[int, int]:
    """(step, question_id) of a question fragment or runner page."""
    step = re.search(r'name="step" value="(\d+)"', html)
    question = re.search(r'name="question_id" value="(\d+)"', html)
    if not (step and question):
        raise RuntimeError(f"not a question screen: {html[:300]!r}")
    return int(step.group(1)), int(question.group(1))


def first_option(html: str) -> int:
    return int(re.search(r'<input type="radio" name="option_id" value="(\d+)"', html).group(1))


@dataclass
class Walk:
    """What a step needs: the survey URL, the CSRF token and the first question's answer."""

    url: str
    token: str
    q1: int
    option: int
    q2: int = 0

    def answer_form(self) -> dict:
        return {"step": "0", "question_id": str(self.q1), "option_id": str(self.option)}

    def back_form(self) -> dict:
        return {"step": "1"}


def check(kind: str, status: int, body: str, walk: Walk) -> None:
    """Every timed response is checked (outside the timing): a step that errors is no step."""
    if kind == "bare":
        ok = status == 200 and body == "ok"
    else:
        state = fragment_state(body) if status == 200 else None
        ok = state == ((1, walk.q2) if kind == "answer" else (0, walk.q1))
    if not ok:
        raise RuntimeError(f"{kind}: unexpected response {status}: {body[:300]!r}")


# --------------------------------------------------------------------------- clients


class ServerTimer:
    """Wraps Flask's wsgi_app: the time of each request inside the app, in its own thread.

    Flask has rendered the whole body (a list) when wsgi_app returns, so this is the app's
    work without the client and the transport (test-client environ building, sockets).
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app
        self.last_ns: int | None = None

    def __call__(self, environ, start_response):
        start = time.perf_counter_ns()
        response = self.wsgi_app(environ, start_response)
        self.last_ns = time.perf_counter_ns() - start
        return response


class InProcess:
    """The Flask test client: server time without sockets."""

    name = "in-process"

    def __init__(self, app, contact_id: int):
        self.timer = app.wsgi_app
        self.client = app.test_client()
        page = self.client.get("/login")
        response = self.client.post("/login", data={
            "username": "operator", "password": demo.DEMO_PASSWORD,
            "csrf_token": csrf_from(page.text)})
        assert response.status_code == 303, response.text
        new = f"/contacts/{contact_id}/surveys/new"
        page = self.client.get(new)
        response = self.client.post(new, data={"campaign_id": 1, "questionnaire_id": 1,
                                               "csrf_token": csrf_from(page.text)})
        assert response.status_code == 303, response.text
        url = response.headers["Location"]
        page = self.client.get(url).text
        step, q1 = fragment_state(page)
        assert step == 0, "the benchmark survey must start at its first question"
        self.walk = Walk(url, csrf_from(page), q1, first_option(page))
        self.headers = {**HTMX_STEP, "X-CSRFToken": self.walk.token}

    def request(self, kind: str) -> tuple[int, int, str]:
        """(nanoseconds, status, body) of one request of this kind."""
        self.timer.last_ns = None
        if kind == "bare":
            start = time.perf_counter_ns()
            response = self.client.get("/bare")
        else:
            form = self.walk.answer_form() if kind == "answer" else self.walk.back_form()
            start = time.perf_counter_ns()
            response = self.client.post(f"{self.walk.url}/{kind}", data=form,
                                        headers=self.headers)
        elapsed = time.perf_counter_ns() - start
        return elapsed, response.status_code, response.get_data(as_text=True)

    def close(self) -> None:
        pass


class QuietHandler(WSGIRequestHandler):
    """No access log: printing a line per request would be timed as server work."""

    def log_request(self, *args, **kwargs) -> None:
        pass


class OverHttp:
    """werkzeug's threaded server in a thread; one keep-alive http.client connection."""

    name = "http"

    def __init__(self, app, contact_id: int):
        self.timer = app.wsgi_app
        self.server = make_server("127.0.0.1", 0, app, threaded=True,
                                  request_handler=QuietHandler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.conn = http.client.HTTPConnection("127.0.0.1", self.server.server_port, timeout=30)
        self.cookies: dict[str, str] = {}
        self._login()
        new = f"/contacts/{contact_id}/surveys/new"
        _, page = self._call("GET", new)
        status, _ = self._call("POST", new, {"campaign_id": 1, "questionnaire_id": 1,
                                             "csrf_token": csrf_from(page)})
        assert status == 303, status
        url = self.location.removeprefix(f"http://127.0.0.1:{self.server.server_port}")
        _, page = self._call("GET", url)
        step, q1 = fragment_state(page)
        assert step == 0, "the benchmark survey must start at its first question"
        self.walk = Walk(url, csrf_from(page), q1, first_option(page))
        self.step_headers = {**HTMX_STEP, "X-CSRFToken": self.walk.token,
                             "Content-Type": "application/x-www-form-urlencoded"}

    def _login(self) -> None:
        _, page = self._call("GET", "/login")
        status, body = self._call("POST", "/login", {
            "username": "operator", "password": demo.DEMO_PASSWORD,
            "csrf_token": csrf_from(page)})
        assert status == 303, body

    def _call(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        """An untimed set-up request, following the session cookie."""
        headers = {"Cookie": self._cookie_header()}
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode()
        self._remember(response)
        self.location = response.getheader("Location", "")
        return response.status, text

    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def _remember(self, response) -> None:
        for header in response.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value

    def request(self, kind: str) -> tuple[int, int, str]:
        """(nanoseconds, status, body): from sending the request to the last body byte."""
        if kind == "bare":
            method, path, body = "GET", "/bare", None
            headers = {"Cookie": self._cookie_header()}
        else:
            form = self.walk.answer_form() if kind == "answer" else self.walk.back_form()
            method, path, body = "POST", f"{self.walk.url}/{kind}", urlencode(form).encode()
            headers = {**self.step_headers, "Cookie": self._cookie_header()}
        self.timer.last_ns = None
        start = time.perf_counter_ns()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        elapsed = time.perf_counter_ns() - start
        self._remember(response)
        return elapsed, response.status, data.decode()

    def close(self) -> None:
        self.conn.close()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


# --------------------------------------------------------------------------- measuring


KINDS = ("bare", "answer", "back")


@dataclass
class Samples:
    """Nanoseconds by request kind: as the client saw them, and inside the app (ServerTimer)."""

    client: dict[str, list[int]] = field(default_factory=lambda: {k: [] for k in KINDS})
    server: dict[str, list[int]] = field(default_factory=lambda: {k: [] for k in KINDS})


def run_interleaved(client, warmup: int, iterations: int) -> Samples:
    """bare, answer, bare, back, ... so the bare route and the step share machine conditions."""
    samples = Samples()
    walk = client.walk
    for i in range(warmup + iterations):
        for kind in ("bare", "answer", "bare", "back"):
            elapsed, status, body = client.request(kind)
            if i < 2 and kind == "answer":
                walk.q2 = fragment_state(body)[1]
            check(kind, status, body, walk)
            if i >= warmup:
                samples.client[kind].append(elapsed)
                samples.server[kind].append(client.timer.last_ns)
    return samples


def percentile(ordered: list[int], p: float) -> float:
    """Nearest-rank percentile of sorted nanoseconds, in ms."""
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1] / 1e6


def summarize(values: list[int]) -> dict:
    ordered = sorted(values)
    return {"n": len(ordered), "p50_ms": round(percentile(ordered, 50), 3),
            "p90_ms": round(percentile(ordered, 90), 3),
            "p99_ms": round(percentile(ordered, 99), 3),
            "max_ms": round(ordered[-1] / 1e6, 3),
            "mean_ms": round(sum(ordered) / len(ordered) / 1e6, 3)}


def report_run(name: str, times: dict[str, list[int]]) -> dict:
    stats = {kind: summarize(times[kind]) for kind in KINDS}
    bare_p50 = stats["bare"]["p50_ms"]
    for kind in ("answer", "back"):
        stats[kind]["ratio_p50_to_bare"] = round(stats[kind]["p50_ms"] / bare_p50, 2)
        stats[kind]["meets_ratio_target"] = stats[kind]["p50_ms"] <= TARGET_RATIO * bare_p50
        stats[kind]["meets_p99_target"] = stats[kind]["p99_ms"] < TARGET_P99_MS
    return {"transport": name, **stats}


def sql_trace(app, client) -> dict:
    """The SQL statements (and their time) of one answer and one back."""
    trace: list[list] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_t0"] = time.perf_counter_ns()

    def after(conn, cursor, statement, parameters, context, executemany):
        took = (time.perf_counter_ns() - conn.info.pop("bench_t0")) / 1e6
        trace.append([" ".join(statement.split())[:160], round(took, 3)])

    with app.app_context():
        engine = db.engine
    result = {}
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        for kind in ("answer", "back"):
            trace.clear()
            elapsed, status, body = client.request(kind)
            check(kind, status, body, client.walk)
            result[kind] = {"request_ms": round(elapsed / 1e6, 3), "statements": list(trace),
                            "sql_ms": round(sum(t for _, t in trace), 3)}
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    return result


def profile_steps(client, steps: int) -> dict[str, str]:
    """cProfile over `steps` answer+back pairs: top 25 by cumulative time, the app's own
    functions by cumulative time, and the top 15 by own time. Saved as survey_step.prof."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(steps):
        for kind in ("answer", "back"):
            client.request(kind)
    profiler.disable()
    RESULTS.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(RESULTS / "survey_step.prof")
    views = {"cumulative_top25": ("cumulative", False, (25,)),
             "app_functions_cumulative": ("cumulative", False, ("survey_app/", 20)),
             "tottime_top15": ("tottime", True, (15,))}
    out = {}
    for name, (order, strip, restrictions) in views.items():
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text)
        if strip:
            stats.strip_dirs()
        stats.sort_stats(order).print_stats(*restrictions)
        out[name] = _short_paths(text.getvalue())
    return out


def _short_paths(text: str) -> str:
    """Profile lines with site-packages/ and the project root cut off the file names."""
    root = str(Path(__file__).resolve().parent.parent) + "/"
    text = text.replace(root, "")
    return re.sub(r"\S*/site-packages/", "", text)


# --------------------------------------------------------------------------- output


def machine_info() -> dict:
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {"nproc": affinity or os.cpu_count(), "cpu_count": os.cpu_count(),
            "python": sys.version.split()[0], "implementation": platform.python_implementation(),
            "platform": platform.platform(), "machine": platform.machine(),
            "sqlite": sqlite3.sqlite_version, "sqlalchemy": sqlalchemy.__version__,
            "flask": version("flask"), "werkzeug": version("werkzeug"),
            "loadavg": list(os.getloadavg()) if hasattr(os, "getloadavg") else None}


def markdown_table(runs: list[dict]) -> str:
    lines = ["| transport | request | n | p50 ms | p90 ms | p99 ms | max ms | p50 / bare p50 |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for run in runs:
        for kind, label in (("bare", "GET /bare"), ("answer", "POST answer (Q1 → Q2)"),
                            ("back", "POST back (Q2 → Q1)")):
            s = run[kind]
            ratio = f"{s['ratio_p50_to_bare']:.2f}x" if "ratio_p50_to_bare" in s else "1.00x"
            lines.append(f"| {run['transport']} | {label} | {s['n']} | {s['p50_ms']:.3f} | "
                         f"{s['p90_ms']:.3f} | {s['p99_ms']:.3f} | {s['max_ms']:.3f} | {ratio} |")
    return "\n".join(lines)


def verdicts(runs: list[dict]) -> list[str]:
    lines = []
    for run in runs:
        for kind in ("answer", "back"):
            s = run[kind]
            lines.append(
                f"- {run['transport']} {kind}: p50 {s['ratio_p50_to_bare']:.2f}x bare "
                f"(target ≤ {TARGET_RATIO:.0f}x: {'MET' if s['meets_ratio_target'] else 'NOT MET'})"
                f", p99 {s['p99_ms']:.2f} ms (target < {TARGET_P99_MS:.0f} ms: "
                f"{'MET' if s['meets_p99_target'] else 'NOT MET'})")
    return lines


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=2000,
                        help="timed iterations (each: bare, answer, bare, back)")
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--http-iterations", type=int, default=2000)
    parser.add_argument("--profile-steps", type=int, default=500,
                        help="answer+back pairs under cProfile (0 skips profiling)")
    parser.add_argument("--answers", type=int, default=100_000,
                        help="stored customer answers to add to the demo data")
    parser.add_argument("--volume", type=int, default=10_000, help="demo contacts")
    parser.add_argument("--seed", type=int, default=2024)
    return parser.parse_args(argv)


def make_app(path: Path):
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    app.add_url_rule("/bare", "bare", lambda: "ok")  # before the first request
    # each request's log line is still formatted and written, as when served, but to
    # nowhere: 26,000 lines would bury the results
    for handler in logging.getLogger("survey_app").handlers:
        handler.setStream(open(os.devnull, "w"))  # noqa: SIM115 (held for the run)
    app.wsgi_app = ServerTimer(app.wsgi_app)
    return app


class Conditions:
    """How busy the machine was during a phase: this process's CPU time against wall time.

    The measured requests keep one core busy (the HTTP client and server threads take turns),
    so a CPU share well under 100% means other processes took the CPU and the numbers,
    the tails above all, are inflated.
    """

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        self.load_before = _loadavg()
        return self

    def __exit__(self, *exc_info):
        wall, cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu
        self.info = {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
                     "cpu_share": round(cpu / wall, 2) if wall else None,
                     "loadavg_1min_before": self.load_before,
                     "loadavg_1min_after": _loadavg()}

    def line(self, name: str) -> str:
        i = self.info
        warning = "  (machine busy: numbers inflated)" if (i["cpu_share"] or 1) < 0.9 else ""
        return (f"{name}: {i['wall_s']} s wall, CPU {i['cpu_share']:.0%} of wall, load "
                f"{i['loadavg_1min_before']} -> {i['loadavg_1min_after']}{warning}")


def _loadavg() -> float | None:
    return round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None


def measure(app, contact_id: int, args) -> tuple[list[dict], dict]:
    runs = []
    client = InProcess(app, contact_id)
    with Conditions() as conditions:
        samples = run_interleaved(client, args.warmup, args.iterations)
    for name, times in (("in-process (test client)", samples.client),
                        ("in-process (inside wsgi_app)", samples.server)):
        runs.append({**report_run(name, times), "conditions": conditions.info})
    print(conditions.line("in-process"), flush=True)
    trace = sql_trace(app, client)
    if args.http_iterations > 0:
        server = OverHttp(app, contact_id)
        try:
            with Conditions() as conditions:
                samples = run_interleaved(server, args.warmup, args.http_iterations)
        finally:
            server.close()
        for name, times in (("http (client)", samples.client),
                            ("http (inside wsgi_app)", samples.server)):
            runs.append({**report_run(name, times), "conditions": conditions.info})
        print(conditions.line("http"), flush=True)
    return runs, {"client": client, "trace": trace}


def print_trace(trace: dict) -> None:
    for kind, info in trace.items():
        print(f"\nSQL of one {kind}: {len(info['statements'])} statements, "
              f"{info['sql_ms']:.2f} ms in the driver of {info['request_ms']:.2f} ms")
        for statement, took in info["statements"]:
            print(f"  {took:7.3f} ms  {statement}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    begun = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="survey-bench-") as tmp:
        app = make_app(Path(tmp) / "bench.db")
        setup = build_database(app, args.answers, args.volume, args.seed)
        print(f"database built in {setup['total_s']} s (seed {setup['seed_s']} s, "
              f"history {setup['history_s']} s): " +
              ", ".join(f"{k} {v:,}" for k, v in setup["counts"].items()), flush=True)
        with app.app_context():
            contact_id = db.session.scalar(select(Contact.id).where(
                Contact.full_name == SAMPLE_CONTACT))
        runs, extra = measure(app, contact_id, args)
        print_trace(extra["trace"])
        profile = None
        if args.profile_steps > 0:
            profile = {"pairs": args.profile_steps,
                       **profile_steps(extra["client"], args.profile_steps)}
            print(f"\ncProfile over {args.profile_steps} answer+back pairs (in-process)")
            for name in ("cumulative_top25", "app_functions_cumulative", "tottime_top15"):
                print(f"--- {name}:{profile[name]}")
        with app.app_context():
            db.engine.dispose()
    table = markdown_table(runs)
    print(table)
    print("\nTargets (step p50 within 3x of the bare route; p99 under 25 ms):")
    print("\n".join(verdicts(runs)))
    result = {"benchmark": "survey_step", "created": dt.datetime.now(dt.UTC).isoformat(),
              "machine": machine_info(), "args": vars(args), "setup": setup,
              "targets": {"p50_ratio_max": TARGET_RATIO, "p99_ms_max": TARGET_P99_MS},
              "runs": runs, "sql_trace": extra["trace"], "profile": profile,
              "markdown": table, "wall_s": round(time.perf_counter() - begun, 1)}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "survey_step.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"\nwritten {RESULTS / 'survey_step.json'}; whole run {result['wall_s']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
