"""Benchmark: AMI bytes of a ringing call -> pop frame at the operator's WebSocket client,
with N operators connected (default 200), all in one process on loopback.

A minimal AMI server (banner, Login, CoreShowChannels) sends the real-shaped events of a
ringing call (survey_app.telephony.simulator, copied from a recorded Asterisk session) to the
real bridge; t0 is taken just before the DialBegin bytes are written, t1 when the frame with
the new pop arrives at that operator's client (simple-websocket). Each call is then hung up.
Run: .venv/bin/python benchmarks/pop_latency.py [--operators 200] [--calls 300]
"""
import argparse
import random
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from survey_app import create_app, demo  # noqa: E402
from survey_app.extensions import db  # noqa: E402
from survey_app.models import Role, User  # noqa: E402
from survey_app.telephony.simulator import SimulatedCall  # noqa: E402
from tests.helpers import serve  # noqa: E402
from tests.telephony.sockets import open_socket  # noqa: E402


def message(headers: dict) -> bytes:
    return "".join(f"{k}: {v}\r\n" for k, v in headers.items()).encode() + b"\r\n"


class Asterisk:
    """Just enough AMI for the bridge to log in and resync; then we write the events."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.conn = None
        self.ready = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        self.conn, _ = self.server.accept()
        self.conn.sendall(b"Asterisk Call Manager/11.0.0\r\n")
        buffer = b""
        while True:
            data = self.conn.recv(65536)
            if not data:
                return
            buffer += data
            while b"\r\n\r\n" in buffer:
                raw, buffer = buffer.split(b"\r\n\r\n", 1)
                self._answer(dict(line.split(": ", 1) for line in
                                  raw.decode().split("\r\n") if ": " in line))

    def _answer(self, action: dict):
        aid = action.get("ActionID", "")
        name = action.get("Action")
        if name == "Login":
            self.conn.sendall(message({"Response": "Success", "ActionID": aid,
                                       "Message": "Authentication accepted"}))
        elif name == "CoreShowChannels":
            self.conn.sendall(message({"Response": "Success", "ActionID": aid,
                                       "EventList": "start"}) +
                              message({"Event": "CoreShowChannelsComplete", "ActionID": aid,
                                       "EventList": "Complete", "ListItems": "0"}))
            self.ready.set()
        else:
            self.conn.sendall(message({"Response": "Success", "ActionID": aid}))

    def send(self, events: list[dict]):
        self.conn.sendall(b"".join(message(e) for e in events))


def bridged(app):
    """An AMI server on loopback, and the app's bridge logged in to it and resynced."""
    asterisk = Asterisk()
    app.config.update(AMI_HOST="127.0.0.1", AMI_PORT=asterisk.port, AMI_USERNAME="b",
                      AMI_SECRET="b")
    pipeline = app.extensions["telephony"]
    pipeline.start_bridge()
    asterisk.ready.wait(10)
    return asterisk, pipeline


def open_sockets(app, base: str, count: int) -> tuple[list, float]:
    """Sockets of op0..op<count-1>, each logged in with a session cookie signed with the
    app's secret (the server shares it), each past its first frame; and the seconds taken."""
    client, sockets = app.test_client(), []
    with app.app_context():
        # the session keeps "id:session key" (auth.routes.load_user), as User.get_id() says
        ids = {extension: f"{user_id}:{key}" for extension, user_id, key in db.session.execute(
            db.select(User.extension, User.id, User.session_key)
            .where(User.username.like("op%"))).all()}
    started = time.perf_counter()
    for n in range(count):
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = ids[str(1000 + n)], True
        ws = open_socket(base, f"session={client.get_cookie('session').value}")
        ws.receive(timeout=10)
        sockets.append(ws)
    return sockets, time.perf_counter() - started


def build(operators: int):
    folder = Path(tempfile.mkdtemp())
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI":
                      f"sqlite:///{folder / 'pop.db'}"})
    with app.app_context():
        db.create_all()
        demo.seed(volume=1000)
        for n in range(operators):
            user = User(username=f"op{n}", full_name=f"Operator {n}", roles=[Role.OPERATOR],
                        extension=str(1000 + n))
            user.password_hash = "x"
            db.session.add(user)
        db.session.commit()
    return app


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operators", type=int, default=200)
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args(argv)
    app = build(args.operators)
    _server, base = serve(app)
    opened, _seconds = open_sockets(app, base, args.operators)
    sockets = {str(1000 + n): ws for n, ws in enumerate(opened)}
    asterisk, pipeline = bridged(app)
    rng, latencies = random.Random(1), []
    numbers = ["+380501234567", "0442223344", None]
    for i in range(args.calls):
        extension = rng.choice(list(sockets))
        call = SimulatedCall(rng.choice(numbers), extension)
        events = call.ring()
        asterisk.send(events[:3])
        time.sleep(0.002)
        t0 = time.perf_counter()
        asterisk.send(events[3:4])  # DialBegin: the pop's moment
        ws = sockets[extension]
        while True:
            frame = ws.receive(timeout=5)
            assert frame is not None, "no pop arrived"
            if re.search(r'class="pop pop-ringing"', frame):
                latencies.append((time.perf_counter() - t0) * 1000)
                break
        asterisk.send(events[4:] + call.hang_up())
        time.sleep(0.01)
        while ws.receive(timeout=0.05):
            pass
        if i % 100 == 99:
            print(f"{i + 1} calls", file=sys.stderr)
    pipeline.stop()
    latencies.sort()
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]  # noqa: E731
    print("| operators connected | calls | p50 ms | p90 ms | p99 ms | max ms | mean ms |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {args.operators} | {len(latencies)} | {p(0.5):.2f} | {p(0.9):.2f} | "
          f"{p(0.99):.2f} | {latencies[-1]:.2f} | {statistics.mean(latencies):.2f} |")
    for ws in sockets.values():
        ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
