"""Benchmark: how many operators' sockets one process holds (werkzeug, threaded), its memory,
and whether a pop still reaches the last socket opened.
Run: .venv/bin/python benchmarks/sockets_held.py [--sockets 1000]
"""
import argparse
import resource
import sys
import threading
import time
from pathlib import Path

from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from pop_latency import Quiet, build  # noqa: E402

from survey_app.extensions import db  # noqa: E402
from survey_app.models import User  # noqa: E402
from survey_app.telephony import events as ev  # noqa: E402
from tests.telephony.sockets import open_socket  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sockets", type=int, default=1000)
    args = parser.parse_args(argv)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 4 * args.sockets)), hard))
    app = build(args.sockets)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    client, sockets = app.test_client(), []
    before, started = rss_mb(), time.perf_counter()
    with app.app_context():
        ids = dict(db.session.execute(db.select(User.extension, User.id)
                                      .where(User.username.like("op%"))).all())
    for n in range(args.sockets):
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = str(ids[str(1000 + n)]), True
        ws = open_socket(base, f"session={client.get_cookie('session').value}")
        ws.receive(timeout=10)
        sockets.append(ws)
    opened = time.perf_counter() - started
    time.sleep(2)
    held = rss_mb()
    last = str(1000 + args.sockets - 1)
    t0 = time.perf_counter()
    app.extensions["telephony"].apply([ev.CallEvent(ev.RINGING, "9.1", last, ev.INBOUND,
                                                    number="+380501234567")])
    frame = sockets[-1].receive(timeout=10)
    latency = (time.perf_counter() - t0) * 1000
    print("| sockets held | opened in s | RSS before MB | RSS held MB | per socket KB "
          "| threads | pop to the last socket ms |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {len(sockets)} | {opened:.1f} | {before:.0f} | {held:.0f} | "
          f"{(held - before) * 1024 / len(sockets):.0f} | {threading.active_count()} | "
          f"{latency:.1f} |")
    assert frame and "pop-ringing" in frame
    for ws in sockets:
        ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
