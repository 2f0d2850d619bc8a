"""Benchmark: the supervisors' floor with N operators (default 500), each holding a page's
socket, all in one process on loopback; SQLite, or PostgreSQL with --postgres.

Measures: the floor page (GET /floor, N rows) as a supervisor; a floor socket's first frame
(every row); and how soon a change reaches the floor socket: from the DialBegin bytes of a
ringing call written by an AMI server (the same path as a pop: bridge -> translator -> call
log -> floor row read and rendered -> bus -> socket) to the frame with that operator's row
"ringing"; and from an operator's Do not disturb POST to the frame with the row "dnd".
Each operator has 20 calls and 10 surveys today, so the day's counts read real rows.
Run: .venv/bin/python benchmarks/floor_live.py [--operators 500] [--calls 200] [--postgres]
"""
import argparse
import datetime as dt
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.pop_latency import bridged, open_sockets  # noqa: E402
from survey_app import create_app, demo  # noqa: E402
from survey_app.extensions import db  # noqa: E402
from survey_app.models import (  # noqa: E402
    Call,
    Contact,
    CustomerSurvey,
    Questionnaire,
    Role,
    SurveyStatus,
    User,
)
from survey_app.models.surveys import utcnow  # noqa: E402
from survey_app.telephony.simulator import SimulatedCall  # noqa: E402
from tests.helpers import csrf, login, serve  # noqa: E402
from tests.telephony.sockets import Client, session_cookie  # noqa: E402


def build(operators: int, url: str):
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        demo.seed(volume=1000)
        questionnaire = db.session.scalar(db.select(Questionnaire).where(
            Questionnaire.name == "Survey 1"))
        contacts = db.session.scalars(db.select(Contact.id).limit(200)).all()
        now, rng = utcnow(), random.Random(2)
        for n in range(operators):
            user = User(username=f"op{n}", full_name=f"Operator {n:03d}",
                        roles=[Role.OPERATOR], extension=str(1000 + n))
            user.password_hash = "x"
            db.session.add(user)
            db.session.flush()
            _their_day(user, questionnaire, contacts, now, rng)
        db.session.commit()
    return app


def _their_day(user, questionnaire, contacts, now, rng) -> None:
    """20 calls and 10 surveys in the last few hours (today, unless run just after midnight)."""
    for k in range(20):
        started = now - dt.timedelta(minutes=rng.randint(5, 300))
        answered = started + dt.timedelta(seconds=8) if k % 4 else None
        db.session.add(Call(linkedid=f"b{user.id}.{k}", extension=user.extension,
                            operator_id=user.id, direction="inbound", started_at=started,
                            answered_at=answered, ended_at=started + dt.timedelta(minutes=2),
                            state="ended", outcome="answered" if answered else "no_answer"))
    for k in range(10):
        started = now - dt.timedelta(minutes=rng.randint(5, 300))
        db.session.add(CustomerSurvey(
            contact_id=contacts[k], questionnaire_id=questionnaire.id,
            campaign_id=questionnaire.campaign_id, operator_id=user.id,
            status=SurveyStatus.COMPLETED if k % 3 else SurveyStatus.CANCELLED, step=3,
            started_at=started, current_shown_at=started,
            finished_at=started + dt.timedelta(minutes=3)))


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)


def quantile(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))]


def row_state(frame: str, operator: int) -> str | None:
    found = re.search(rf'<tr id="floor-operator-{operator}" data-state="(\w+)"', frame)
    return found.group(1) if found else None


def wait_for(ws, operator: int, state: str) -> None:
    while True:
        frame = ws.receive(timeout=5)
        assert frame is not None, f"no floor row {state} arrived"
        if row_state(frame, operator) == state:
            return


def drain(ws) -> None:
    while ws.receive(timeout=0.05):
        pass


def ring_latencies(app, floor, ids: dict[str, int], calls: int) -> list[float]:
    asterisk, pipeline = bridged(app)
    rng, latencies = random.Random(1), []
    for _ in range(calls):
        extension = rng.choice(list(ids))
        call = SimulatedCall(rng.choice(["+380501234567", "0442223344", None]), extension)
        events = call.ring()
        asterisk.send(events[:3])
        time.sleep(0.002)
        drain(floor)
        started = time.perf_counter()
        asterisk.send(events[3:4])  # DialBegin: the phone rings
        wait_for(floor, ids[extension], "ringing")
        latencies.append((time.perf_counter() - started) * 1000)
        asterisk.send(events[4:] + call.hang_up())
        wait_for(floor, ids[extension], "ready")
    pipeline.stop()
    return sorted(latencies)


def dnd_latencies(app, floor, ids: dict[str, int], changes: int) -> list[float]:
    client = app.test_client()
    latencies = []
    for n in range(changes):
        extension = list(ids)[n % len(ids)]
        with client.session_transaction() as session:  # as that operator
            session.clear()
        login_as(app, client, ids[extension])
        token = csrf(client)
        for state in ("dnd", "ready"):
            drain(floor)
            started = time.perf_counter()
            client.post("/agent-state", data={"state": state}, headers={"X-CSRFToken": token})
            wait_for(floor, ids[extension], state)
            if state == "dnd":
                latencies.append((time.perf_counter() - started) * 1000)
    return sorted(latencies)


def login_as(app, client, user_id: int) -> None:
    with app.app_context():
        key = db.session.scalar(db.select(User.session_key).where(User.id == user_id))
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = f"{user_id}:{key}", True


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operators", type=int, default=500)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args(argv)
    cluster = None
    if args.postgres:
        from tests.postgres import Cluster
        cluster = Cluster()
        url = cluster.database()
    else:
        import tempfile
        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'floor.db'}"
    app = build(args.operators, url)
    _server, base = serve(app)
    supervisor = app.test_client()
    login(supervisor, "supervisor", "demo")
    page = timed(lambda: supervisor.get("/floor"), 20)
    floor = Client.connect(base.replace("http://", "ws://") + "/ws/calls?floor=1",
                           headers={"Cookie": session_cookie(app, "supervisor")})
    first = timed(lambda: floor.receive(timeout=10), 1)
    sockets, opening = open_sockets(app, base, args.operators)  # every operator online
    time.sleep(1)
    drain(floor)
    with app.app_context():
        ids = dict(db.session.execute(db.select(User.extension, User.id).where(
            User.full_name.like("Operator %"))).all())
    rings = ring_latencies(app, floor, ids, args.calls)
    dnd = dnd_latencies(app, floor, ids, 50)
    online_page = timed(lambda: supervisor.get("/floor"), 20)
    print(f"| {'PostgreSQL' if args.postgres else 'SQLite'}, {args.operators} operators | "
          "p50 ms | p90 ms | p99 ms |")
    print("|---|---:|---:|---:|")
    for name, values in (("floor page, all offline", page),
                         ("floor page, all online", online_page),
                         ("floor socket's first frame (every row)", first),
                         ("ringing call -> its row on the floor", rings),
                         ("Do not disturb -> its row on the floor", dnd)):
        print(f"| {name} | {quantile(values, .5):.1f} | {quantile(values, .9):.1f} | "
              f"{quantile(values, .99):.1f} |")
    print(f"\n{args.operators} operators' sockets opened in {opening:.1f} s; "
          f"{len(rings)} calls, {len(dnd)} state changes; max {max(rings + dnd):.1f} ms")
    for ws in sockets + [floor]:
        ws.close()
    if cluster:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
