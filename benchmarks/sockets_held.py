"""Benchmark: how many operators' sockets one process holds, its memory, whether a pop still
reaches the last socket opened, and (gunicorn) how fast it stops with all of them open.

--server werkzeug (default): werkzeug's threaded server in this process, as `make run` serves;
its RSS and threads include the benchmark's own WebSocket clients.
--server gunicorn: a real gunicorn with gunicorn.conf.py in its own process (TRAINING_MODE=1);
RSS and threads are its worker's, read from /proc; the pop is rung by the demo admin through
the training page over HTTP; then SIGTERM, and the sockets should close with 1012.
Run: .venv/bin/python benchmarks/sockets_held.py [--sockets 1000] [--server gunicorn]
"""
import argparse
import resource
import signal
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from pop_latency import build, open_sockets  # noqa: E402

from survey_app.extensions import db  # noqa: E402
from survey_app.telephony.calls import events as ev  # noqa: E402
from tests.helpers import csrf_from, serve  # noqa: E402
from tests.telephony.served import Browser, gunicorn  # noqa: E402
from tests.telephony.sockets import receive_until  # noqa: E402

NUMBER = "+380501234567"


def status(pid: int | str, field: str) -> int:
    """A number from /proc/<pid>/status (VmRSS in KB, Threads)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def open_files_limit(pid: int) -> int:
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max open files"):
            return int(line.split()[3])
    raise KeyError("Max open files")


def is_pop(frame: str) -> bool:
    return "pop-ringing" in frame


def in_werkzeug(app, count: int) -> dict:
    _server, base = serve(app)
    before = status("self", "VmRSS")
    sockets, opened = open_sockets(app, base, count)
    time.sleep(2)
    held = status("self", "VmRSS")
    t0 = time.perf_counter()
    app.extensions["telephony"].apply([ev.CallEvent(ev.RINGING, "9.1", str(1000 + count - 1),
                                                    ev.INBOUND, number=NUMBER)])
    receive_until(sockets[-1], is_pop, timeout=10)
    latency = (time.perf_counter() - t0) * 1000
    threads, held_sockets = threading.active_count(), sum(ws.connected for ws in sockets)
    for ws in sockets:
        ws.close()
    return {"held": held_sockets, "opened": opened,
            "before": before, "rss": held, "threads": threads, "pop": latency}


def in_gunicorn(app, count: int) -> dict:
    database = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    with app.app_context():
        db.engine.dispose()
    with gunicorn(database, database.with_name("gunicorn.log"),
                  SECRET_KEY=app.config["SECRET_KEY"], TRAINING_MODE="1") as served:
        admin = Browser(served.base_url)
        admin.log_in("admin")
        worker = served.worker_pid()
        assert open_files_limit(worker) >= 4 * count, "raise the open-files limit"
        before = status(worker, "VmRSS")
        sockets, opened = open_sockets(app, served.base_url, count)
        time.sleep(2)
        held, threads = status(worker, "VmRSS"), status(worker, "Threads")
        token = csrf_from(admin.request("GET", "/training")[1])
        t0 = time.perf_counter()
        answer = admin.request("POST", "/training/calls", {
            "csrf_token": token, "number": NUMBER, "extension": str(1000 + count - 1)})[0]
        assert answer == 303, answer
        receive_until(sockets[-1], is_pop, timeout=10)
        latency = (time.perf_counter() - t0) * 1000
        held_sockets = sum(ws.connected for ws in sockets)
        t0 = time.perf_counter()
        served.process.send_signal(signal.SIGTERM)
        while any(ws.connected for ws in sockets) and time.perf_counter() - t0 < 60:
            time.sleep(0.02)
        closed = time.perf_counter() - t0
        code = served.process.wait(timeout=60)
        stopped = time.perf_counter() - t0
    return {"held": held_sockets, "opened": opened, "before": before, "rss": held,
            "threads": threads, "pop": latency,
            "1012": f"{sum(ws.close_reason == 1012 for ws in sockets)} in {closed:.1f} s",
            "stopped": f"{stopped:.1f} (exit {code})"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sockets", type=int, default=1000)
    parser.add_argument("--server", choices=["werkzeug", "gunicorn"], default="werkzeug")
    args = parser.parse_args(argv)
    # this process and gunicorn (which inherits it) need about 4 descriptors a socket
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 4 * args.sockets)), hard))
    app = build(args.sockets)
    row = (in_gunicorn if args.server == "gunicorn" else in_werkzeug)(app, args.sockets)
    print("| server | sockets held | opened in s | RSS before MB | RSS held MB | per socket KB "
          "| threads | pop to the last socket ms | SIGTERM: closed with 1012 | SIGTERM to exit s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {args.server} | {row['held']} | {row['opened']:.1f} | {row['before'] / 1024:.0f} "
          f"| {row['rss'] / 1024:.0f} | {(row['rss'] - row['before']) / row['held']:.0f} "
          f"| {row['threads']} | {row['pop']:.1f} | {row.get('1012', 'n/a')} "
          f"| {row.get('stopped', 'n/a')} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
