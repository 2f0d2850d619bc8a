"""Benchmark: AMI events per second through the bridge against stock pyst2 0.5.1, same run.

A real TCP peer on 127.0.0.1 (tests/telephony/ami_peer.py) answers the Login and then streams
the events of concurrent_calls.ami (411 bytes on average, VarSet/Newexten/Dial...) repeated,
as fast as the socket takes them. Measured from the peer's Login answer (the first byte of the
stream) to the last event handed to the callback; CPU is the whole process's (peer included).
A third run paces the peer at about 1,000 events/s and reports the bridge's CPU share.

Run: .venv/bin/python benchmarks/ami_events.py [--events 50000] [--stock-events 10000]
"""
from __future__ import annotations

import argparse
import logging
import platform
import sys
import threading
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from asterisk.manager import Manager  # noqa: E402

from survey_app.telephony.ami.bridge import AmiBridge  # noqa: E402
from tests.telephony.ami_peer import AmiPeer, Script  # noqa: E402
from tests.telephony.transcripts import Part, read  # noqa: E402

LOGIN = b"Action: Login\r\nUsername: crm\r\nSecret: crmsecret\r\nActionID: r-0\r\n\r\n"
LOGOFF = b"Action: Logoff\r\nActionID: r-1\r\n\r\n"


def session(events: int) -> tuple[list[Part], int]:
    """A recorded-looking session: Login, `events` realistic events, Logoff."""
    script = Script(read("concurrent_calls.ami"))
    pool = [m for m, owner in zip(script.messages, script.owner, strict=True) if owner is None]
    stream = (pool * (events // len(pool) + 1))[:events]
    answer = b"Response: Success\r\nActionID: r-0\r\nMessage: Authentication accepted\r\n\r\n"
    goodbye = b"Response: Goodbye\r\nActionID: r-1\r\nMessage: Thanks for all the fish.\r\n\r\n"
    return [Part("asterisk", script.banner), Part("client", LOGIN),
            Part("asterisk", answer + b"".join(stream)), Part("client", LOGOFF),
            Part("asterisk", goodbye)], len(stream)


class Counter:
    """Counts events; `done` once `total` have arrived."""

    def __init__(self, total: int):
        self.total, self.count, self.last = total, 0, 0.0
        self.done = threading.Event()

    def __call__(self, *_event) -> None:
        self.count += 1
        if self.count == self.total:
            self.last = time.perf_counter()
            self.done.set()


def measure(peer: AmiPeer, counter: Counter, start, stop, limit: float) -> dict:
    cpu = time.process_time()
    start()
    finished = counter.done.wait(limit)
    cpu = time.process_time() - cpu
    stop()
    if not finished:
        return {"events": counter.count, "seconds": float("nan"), "rate": float("nan"),
                "cpu": cpu / limit}
    seconds = counter.last - peer.login_answered_at[0]
    return {"events": counter.total, "seconds": seconds, "rate": counter.total / seconds,
            "cpu": cpu / seconds}


def run_bridge(events: int, pace: float = 0.0) -> dict:
    parts, total = session(events)
    counter = Counter(total)
    with AmiPeer(parts, pace=pace) as peer:
        bridge = AmiBridge(peer.host, peer.port, "crm", "crmsecret", on_event=counter)
        return measure(peer, counter, bridge.start, bridge.stop, 60 + events * pace * 2)


def run_stock(events: int) -> dict:
    parts, total = session(events)
    counter = Counter(total)
    with AmiPeer(parts) as peer:
        manager = Manager()
        manager.register_event("*", counter)

        def start():
            manager.connect(peer.host, peer.port)
            manager.login("crm", "crmsecret")

        def stop():  # pyst2's close can block forever (defect 9): give it a second
            closing = threading.Thread(target=manager.close, daemon=True)
            closing.start()
            closing.join(1.0)

        return measure(peer, counter, start, stop, 120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--stock-events", type=int, default=10_000,
                        help="fewer: stock pyst2 manages about 1,200 events/s")
    parser.add_argument("--paced-events", type=int, default=3_000)
    args = parser.parse_args()
    warnings.simplefilter("ignore", DeprecationWarning)  # pyst2's isSet/setDaemon
    logging.basicConfig(level=logging.ERROR)
    rows = [("bridge (ami.AmiBridge)", run_bridge(args.events)),
            ("stock pyst2 Manager", run_stock(args.stock_events)),
            ("bridge, peer paced ~1,000/s", run_bridge(args.paced_events, pace=0.001))]
    print(f"Python {platform.python_version()}, {platform.machine()}, "
          f"events of concurrent_calls.ami (about 411 bytes each)\n")
    print("| run | events | seconds | events/s | CPU (process) |")
    print("|---|---:|---:|---:|---:|")
    for name, row in rows:
        print(f"| {name} | {row['events']:,} | {row['seconds']:.2f} | {row['rate']:,.0f} | "
              f"{row['cpu']:.0%} |")
    ratio = rows[0][1]["rate"] / rows[1][1]["rate"]
    print(f"\nbridge / stock pyst2: {ratio:.1f}x")


if __name__ == "__main__":
    main()
