"""What the volume benchmarks share: a timed call, the percentiles of its samples, a page
that must answer 200, a client logged in, and the app on each database in turn."""
import math
import time

from survey_app import create_app
from tests.helpers import login


def timed(call) -> tuple[int, object]:
    """(nanoseconds the call took, what it returned)."""
    started = time.perf_counter_ns()
    result = call()
    return time.perf_counter_ns() - started, result


def summary(values: list[int], digits: int = 1) -> dict:
    """n, p50, p90 and max in ms of nanosecond samples (nearest rank)."""
    ordered = sorted(values)

    def pct(p):
        return round(ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1] / 1e6, digits)
    return {"n": len(ordered), "p50_ms": pct(50), "p90_ms": pct(90), "max_ms": pct(100)}


def ok(response):
    assert response.status_code == 200, (response.status_code, response.text[:300])
    return response


def logged_in(app, username: str):
    """A test client of the app, logged in through the form (demo password)."""
    client = app.test_client()
    login(client, username)
    return client


def on_each_database(tmp: str):
    """(name, app) for SQLite in `tmp`, then for a throwaway PostgreSQL cluster."""
    from tests.postgres import Cluster
    settings = {"SECRET_KEY": "bench", "RATELIMIT_ENABLED": False, "DEFAULT_LANGUAGE": "en"}
    yield "SQLite", create_app(settings | {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db"})
    cluster = Cluster()
    try:
        yield "PostgreSQL", create_app(settings | {"SQLALCHEMY_DATABASE_URI": cluster.database()})
    finally:
        cluster.stop()
