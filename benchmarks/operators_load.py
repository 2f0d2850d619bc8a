"""Benchmark: a centre's shift over HTTP and WebSocket, as deployed, then proof that every
answer was stored exactly once.

The stack is the deployed one on this machine: gunicorn (gunicorn.conf.py, WEB_CONCURRENCY
workers) on PostgreSQL (a throwaway cluster of Debian's server) with Redis between the
workers, and `flask ami-bridge` logged in to an AMI peer of ours that rings the operators'
phones with the events a real Asterisk sends. Or, with --embedded, what `make run` serves:
one gunicorn worker on SQLite, the in-process bus (and no calls).

Each operator is a client of its own (aiohttp: its own session cookie and WebSocket): it logs
in, opens its socket, and runs Survey 1 again and again for different contacts the way the
page does it (the start form, the survey page, each step as htmx posts it, the card at the
end), a step every --think seconds; a tenth of the steps are sent twice at once (a double
click) and one in twenty is a Back. Calls ring random operators meanwhile (--calls per
second) and the pop's latency is taken from the DialBegin written to the bridge to the frame
on that operator's socket.

Reported: steps/s served, step latency p50/p99, pop latency p50/p99, errors, the CPU of each
part (web workers, bridge, PostgreSQL, Redis, this client) as % of one core. Then, from the
database: for every survey, the answers stored equal the steps acknowledged (a step's
answer acknowledged by a 200, or by the 409 of its double's twin), and no question is stored
twice in one survey.

Run: .venv/bin/pip install -e '.[test,bench]' && .venv/bin/python benchmarks/operators_load.py
  --operators 500 --think 2 --seconds 120         (the issue's load, the default)
  --operators 24 --think 0 --seconds 60           (no think time)
  --embedded --operators 24 --think 0             (the embedded default, SQLite)
Results: a Markdown table on stdout and benchmarks/results/operators_load[-NAME].json.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import math
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import aiohttp  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from pop_latency import Asterisk  # noqa: E402
from sqlalchemy import create_engine, func, select  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from survey_app import create_app, demo  # noqa: E402
from survey_app.extensions import db  # noqa: E402
from survey_app.models import Contact, CustomerAnswer, Role, User  # noqa: E402
from survey_app.telephony.simulator import SimulatedCall  # noqa: E402
from tests.conftest import start_redis  # noqa: E402
from tests.helpers import csrf_from, screen_of  # noqa: E402
from tests.telephony.served import gunicorn  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
HX_STEP = {"HX-Request": "true", "HX-Target": "question"}
DOUBLE_CLICKS, BACKS = 0.10, 0.05
POP = re.compile(r'class="pop pop-ringing"')


class Tally:
    """What the clients saw: latencies (ms) by kind, errors, acknowledged steps by survey."""

    def __init__(self):
        self.ms: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.acknowledged: dict[int, set[int]] = {}  # survey id -> positions answered
        self.started: set[int] = set()  # every survey a client started
        self.ringing: dict[str, float] = {}  # extension -> when its DialBegin was written
        self.measuring = False
        self.cpu: dict[str, float] = {}
        self.steps_at: list[float] = []  # when each step measured was answered
        self.logged_in = 0  # operators logged in, their socket open
        self.until = math.inf  # the end of the run, set once every operator is at work

    def took(self, kind: str, started: float) -> None:
        if self.measuring:
            now = time.perf_counter()
            self.ms.setdefault(kind, []).append((now - started) * 1000)
            if kind.startswith("step"):
                self.steps_at.append(now)

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


async def operator(n: int, base: str, contacts: list[int], tally: Tally, think: float,
                   rng: random.Random) -> None:
    # idle connections closed before gunicorn's keep-alive (2 s) closes them under a request
    connector = aiohttp.TCPConnector(keepalive_timeout=1.0)
    async with aiohttp.ClientSession(base, cookie_jar=aiohttp.CookieJar(unsafe=True),
                                     connector=connector) as http:
        ws = await _logged_in(http, n, tally)
        if ws is None:
            return
        reader = asyncio.create_task(_pops(ws, str(1000 + n), tally))
        try:
            while time.monotonic() < tally.until:
                try:
                    await _survey(http, rng.choice(contacts), tally, think, rng)
                except (TimeoutError, aiohttp.ClientError) as error:
                    tally.error(type(error).__name__)
        finally:
            reader.cancel()
            await ws.close()


async def _logged_in(http, n: int, tally: Tally):
    """Log in and open the socket, again a second later if the server refused (as the page
    reconnects); the socket, or None if the run ended first."""
    while time.monotonic() < tally.until:
        try:
            page = await (await http.get("/login")).text()
            async with http.post("/login", data={"username": f"op{n}", "password": "demo",
                                                 "csrf_token": csrf_from(page)},
                                 allow_redirects=False) as response:
                if response.status != 303:
                    raise aiohttp.ClientResponseError(response.request_info, (),
                                                      status=response.status)
            ws = await http.ws_connect("/ws/calls", heartbeat=None)
            tally.logged_in += 1
            return ws
        except (TimeoutError, AssertionError, aiohttp.ClientError) as error:
            tally.error(f"login: {type(error).__name__}")
            await asyncio.sleep(1)
    return None


async def _pops(ws, extension: str, tally: Tally) -> None:
    async for frame in ws:
        if frame.type != aiohttp.WSMsgType.TEXT:
            break
        if POP.search(frame.data):
            rang = tally.ringing.pop(extension, None)
            if rang is not None and tally.measuring:
                tally.ms.setdefault("pop", []).append((time.perf_counter() - rang) * 1000)


async def _survey(http, contact_id: int, tally: Tally, think: float,
                  rng: random.Random) -> None:
    """Survey 1 for one contact, as the page does it, to its end or the end of the run."""
    new = f"/contacts/{contact_id}/surveys/new"
    form = await _page(http, new, "page: start form", tally)
    if form is None:
        return
    started = time.perf_counter()
    async with http.post(new, data={"campaign_id": "1", "questionnaire_id": "1",
                                    "csrf_token": csrf_from(form)},
                         allow_redirects=False) as response:
        url = response.headers.get("Location")
    if response.status != 303 or not url:
        return tally.error(f"start: {response.status}")
    tally.took("page: start", started)
    survey_id = int(url.rsplit("/", 1)[1])
    tally.started.add(survey_id)
    html = await _page(http, url, "page: survey", tally)
    if html is None:
        return
    token = csrf_from(html)
    while time.monotonic() < tally.until and 'name="question_id"' in html:
        await asyncio.sleep(think * rng.uniform(0.5, 1.5) if think else 0)
        html = await _step(http, url, survey_id, html, token, tally, rng)
    if html == "done":
        await _page(http, f"/contacts/{contact_id}", "page: card", tally)


async def _page(http, url: str, kind: str, tally: Tally) -> str | None:
    """A whole page as the browser loads it; None (and an error counted) unless a 200 with
    its form's token."""
    started = time.perf_counter()
    async with http.get(url, allow_redirects=False) as response:
        text = await response.text()
    tally.took(kind, started)
    if response.status != 200 or 'name="csrf_token"' not in text:
        tally.error(f"{kind}: {response.status}")
        return None
    return text


async def _step(http, url: str, survey_id: int, html: str, token: str, tally: Tally,
                rng: random.Random) -> str:
    """One step (an answer, now and then sent twice, or a Back); the next fragment, or
    "done" when the survey completed."""
    screen = screen_of(html)
    headers = {**HX_STEP, "X-CSRFToken": token}
    if rng.random() < BACKS and screen.step > 1:
        started = time.perf_counter()
        async with http.post(f"{url}/back", data=screen.form(), headers=headers) as response:
            text = await response.text()
        tally.took("step: back", started)
        return text if response.status == 200 else _failed(tally, "back", response, html)
    answer = screen.form(**_answer(screen, html))
    twice = rng.random() < DOUBLE_CLICKS
    started = time.perf_counter()
    replies = await asyncio.gather(*[_post(http, f"{url}/answer", answer, headers)
                                     for _ in range(2 if twice else 1)])
    tally.took("step: answer", started)
    statuses = sorted(status for status, _, _ in replies)
    if 200 in statuses or 204 in statuses:
        tally.acknowledged.setdefault(survey_id, set()).add(screen.step)
    else:
        return _failed(tally, "answer", replies[0], html)
    for status, text, redirect in replies:
        if redirect:
            return "done"
        if status == 200:
            return text
    return replies[0][1]


async def _post(http, url: str, data: dict, headers: dict) -> tuple[int, str, str | None]:
    async with http.post(url, data=data, headers=headers, allow_redirects=False) as response:
        return response.status, await response.text(), response.headers.get("HX-Redirect")


def _answer(screen, html: str) -> dict:
    if screen.options:
        return {"option_id": str(next(iter(screen.options.values())))}
    return {"value": "5" if 'type="number"' in html else "Добре"}


def _failed(tally: Tally, what: str, response, html: str) -> str:
    status = response[0] if isinstance(response, tuple) else response.status
    tally.error(f"{what}: {status}")
    return html


async def calls(asterisk: Asterisk, operators: int, rate: float, tally: Tally,
                rng: random.Random) -> None:
    """Ring a random operator `rate` times a second; each call hangs up a second later."""
    while rate and time.monotonic() < tally.until:
        extension = str(1000 + rng.randrange(operators))
        call = SimulatedCall(rng.choice(["+380501234567", "0442223344", None]), extension)
        events = call.ring()
        asterisk.send(events[:3])
        tally.ringing[extension] = time.perf_counter()
        asterisk.send(events[3:])
        asyncio.get_running_loop().call_later(1.0, asterisk.send, call.hang_up())
        await asyncio.sleep(1 / rate)


async def shift(base: str, args, contacts: list[int], asterisk: Asterisk | None,
                tally: Tally) -> float:
    """Every operator at work for args.seconds, measured once all have logged in and 10 s
    more have passed; the seconds measured."""
    rng = random.Random(args.seed)
    # a shift's start: the logins (a password hash each, about 70 ms of CPU) spread out;
    # measuring starts when the last one is in, not while the logins still queue
    spread = max(10.0, args.operators * 0.1)

    async def one(n):
        await asyncio.sleep(n * spread / args.operators)
        await operator(n, base, contacts, tally, args.think, random.Random(n))
    workers = [asyncio.create_task(one(n)) for n in range(args.operators)]
    if asterisk is not None:
        workers.append(asyncio.create_task(calls(asterisk, args.operators, args.calls, tally,
                                                 rng)))
    deadline = time.monotonic() + spread + 120
    while tally.logged_in < args.operators and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
    await asyncio.sleep(10)
    tally.measuring, started = True, time.monotonic()
    tally.until = started + args.seconds
    cpu_before = cpu_seconds()
    await asyncio.gather(*workers, return_exceptions=False)
    measured = time.monotonic() - started
    tally.cpu = {part: (seconds - cpu_before.get(part, 0)) / measured * 100
                 for part, seconds in cpu_seconds().items()}
    return measured


PARTS: dict[str, list[int]] = {}  # part -> the pids whose CPU it is (filled by the stack)


def cpu_seconds() -> dict[str, float]:
    """user + system CPU seconds of each part's processes and their children now alive; the
    client's own process alone (the servers it started are its children)."""
    tick = os.sysconf("SC_CLK_TCK")
    totals = {}
    for part, roots in PARTS.items():
        total = 0.0
        for pid in roots if part == "client" else _with_children(roots):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / tick
        totals[part] = total
    return totals


def _with_children(roots: list[int]) -> list[int]:
    found, queue = [], list(roots)
    while queue:
        pid = queue.pop()
        found.append(pid)
        for task in Path(f"/proc/{pid}/task").glob("*") if Path(f"/proc/{pid}").exists() else ():
            try:
                queue += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
    return found


def build(url: str, operators: int, contacts: int) -> list[int]:
    """The migrations, the demo with `contacts` contacts, and op0..op<operators-1>."""
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        demo.seed(volume=contacts)
        hashed = generate_password_hash("demo")
        for n in range(operators):
            user = User(username=f"op{n}", full_name=f"Operator {n}", roles=[Role.OPERATOR],
                        extension=str(1000 + n))
            user.password_hash = hashed
            db.session.add(user)
        db.session.commit()
        ids = list(db.session.scalars(select(Contact.id)))
        db.engine.dispose()
    return ids


def exactly_once(url: str, tally: Tally) -> dict:
    """Stored answers against acknowledged ones, for every survey the clients started."""
    engine = create_engine(url)
    started = list(tally.started)
    with engine.connect() as connection:
        stored = dict(connection.execute(
            select(CustomerAnswer.survey_id, func.count())
            .where(CustomerAnswer.survey_id.in_(started)).group_by(CustomerAnswer.survey_id))
            .all())
        twice = connection.scalar(select(func.count()).select_from(
            select(CustomerAnswer.survey_id).where(CustomerAnswer.survey_id.in_(started))
            .group_by(CustomerAnswer.survey_id, CustomerAnswer.question_id)
            .having(func.count() > 1).subquery()))
    engine.dispose()
    acknowledged = {sid: len(tally.acknowledged.get(sid, ())) for sid in started}
    return {"surveys": len(started), "answers acknowledged": sum(acknowledged.values()),
            "answers stored": sum(stored.values()),
            "surveys where stored != acknowledged": sum(
                1 for sid, n in acknowledged.items() if stored.get(sid, 0) != n),
            "questions stored twice in a survey": twice}


def summary(values: list[float]) -> dict:
    ordered = sorted(values)
    if not ordered:
        return {"n": 0}

    def pct(p):
        return round(ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1], 1)
    return {"n": len(ordered), "p50_ms": pct(50), "p99_ms": pct(99), "max_ms": pct(100)}


def _by_window(moments: list[float], seconds: float) -> list[int]:
    """How many of the moments fall in each window of `seconds` from the first (the last,
    partial window left out)."""
    if not moments:
        return []
    first, counts = min(moments), {}
    for moment in moments:
        window = int((moment - first) // seconds)
        counts[window] = counts.get(window, 0) + 1
    return [counts.get(w, 0) for w in range(max(counts))]


def serve(args, folder: Path, stack: ExitStack) -> tuple:
    """(base URL, database URL, the AMI peer or None, the contacts' ids) of the stack the
    run is against, started."""
    if args.embedded:
        url = f"sqlite:///{folder / 'embedded.db'}"
        contacts = build(url, args.operators, args.contacts)
        served = stack.enter_context(gunicorn(folder / "embedded.db", folder / "web.log",
                                              DEFAULT_LANGUAGE="en"))
        PARTS.update(web=[served.process.pid], client=[os.getpid()])
        return served.base_url, url, None, contacts
    from tests.postgres import DURABLE, Cluster
    cluster = Cluster(DURABLE)  # fsync and synchronous commits on, as in production
    stack.callback(cluster.stop)
    url = cluster.database()
    contacts = build(url, args.operators, args.contacts)
    redis, redis_url = start_redis(shutil.which("redis-server"), folder)
    stack.callback(redis.kill)
    asterisk = Asterisk()
    ami = {"AMI_HOST": "127.0.0.1", "AMI_PORT": str(asterisk.port), "AMI_USERNAME": "bench",
           "AMI_SECRET": "bench"}
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": redis_url, "SECRET_KEY": "b",
           **ami}
    bridge = subprocess.Popen([str(Path(sys.executable).parent / "flask"), "--app", "wsgi",
                               "ami-bridge"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=open(folder / "bridge.log", "wb"))
    stack.callback(bridge.terminate)
    assert asterisk.ready.wait(30), "the bridge did not log in"
    served = stack.enter_context(gunicorn(
        folder / "unused.db", folder / "web.log", DATABASE_URL=url, REDIS_URL=redis_url,
        WEB_CONCURRENCY=str(args.workers), DEFAULT_LANGUAGE="en", AMI_BRIDGE_IN_WEB="0"))
    PARTS.update(web=[served.process.pid], bridge=[bridge.pid], redis=[redis.pid],
                 postgresql=[_postmaster(cluster)], client=[os.getpid()])
    return served.base_url, url, asterisk, contacts


def _postmaster(cluster) -> int:
    return int((cluster.folder / "data" / "postmaster.pid").read_text().split()[0])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operators", type=int, default=500)
    parser.add_argument("--think", type=float, default=2.0, help="seconds between steps")
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--calls", type=float, default=5.0, help="calls rung per second")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--contacts", type=int, default=2000)
    parser.add_argument("--embedded", action="store_true")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--name", default="")
    args = parser.parse_args(argv)
    logging.disable(logging.INFO)
    tally = Tally()
    folder = Path(tempfile.mkdtemp(prefix="operators-load-"))
    with ExitStack() as stack:
        base, url, asterisk, contacts = serve(args, folder, stack)
        try:
            measured = asyncio.run(shift(base, args, contacts, asterisk, tally))
        except BaseException:
            print(f"the servers' logs: {folder}", file=sys.stderr)
            raise
        proof = exactly_once(url, tally)
    if not os.environ.get("KEEP"):  # KEEP=1: the servers' logs stay, for a look at them
        shutil.rmtree(folder, ignore_errors=True)
    report(args, tally, measured, proof)


def report(args, tally: Tally, measured: float, proof: dict) -> None:
    steps = len(tally.ms.get("step: answer", [])) + len(tally.ms.get("step: back", []))
    rows = {kind: summary(values) for kind, values in sorted(tally.ms.items())}
    lines = [f"{args.operators} operators, think {args.think} s, {measured:.0f} s measured, "
             f"{'embedded (SQLite, 1 worker)' if args.embedded else f'{args.workers} workers'}"
             f"; steps served {steps / measured:.1f}/s; errors {sum(tally.errors.values())} "
             f"{tally.errors or ''}",
             "| measured | n | p50 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {kind} | {r['n']} | {r.get('p50_ms', '')} | {r.get('p99_ms', '')} | "
              f"{r.get('max_ms', '')} |" for kind, r in rows.items()]
    lines.append("Steps/s by 20 s of the run: " + ", ".join(
        f"{n / 20:.0f}" for n in _by_window(tally.steps_at, 20)))
    lines.append("CPU, % of one core: " + ", ".join(f"{part} {pct:.0f}"
                                                     for part, pct in tally.cpu.items()))
    lines.append("Exactly once: " + ", ".join(f"{k} {v}" for k, v in proof.items()))
    print("\n".join(lines))
    RESULTS.mkdir(exist_ok=True)
    name = f"-{args.name}" if args.name else ""
    (RESULTS / f"operators_load{name}.json").write_text(json.dumps({
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "args": vars(args), "measured_s": measured, "steps_per_s": steps / measured,
        "errors": tally.errors, "results": rows, "cpu_percent": tally.cpu,
        "steps_per_s_by_20_s": [n / 20 for n in _by_window(tally.steps_at, 20)],
        "exactly_once": proof}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
