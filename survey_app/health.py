"""GET /healthz for a load balancer or a monitor: the database, the bus between the web
processes and the PBX link, each ok or failing, as JSON. 503 when the database or the bus
fails (this process cannot serve: take it out); a PBX link down is "degraded" with 200, since
every web process shares the one PBX and taking them all out would stop the surveys too.
No login (a balancer has none) and nothing secret in it: the parts' states only."""
import time

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from survey_app.extensions import db, limiter

bp = Blueprint("health", __name__)
PBX_OK = {"connected", "not_configured"}  # no AMI_HOST: the link is off, not failing


@bp.get("/healthz")
@limiter.exempt
def healthz():
    parts = {"database": _database(), "bus": _bus(), "pbx": _pbx()}
    serving = parts["database"]["ok"] and parts["bus"]["ok"]
    status = "failing" if not serving else "ok" if parts["pbx"]["ok"] else "degraded"
    response = jsonify(status=status, checks=parts)
    response.status_code = 200 if serving else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def _database() -> dict:
    started = time.perf_counter()
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001  (any failure means the same: not ok)
        db.session.rollback()
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _bus() -> dict:
    telephony = current_app.extensions.get("telephony")
    if telephony is None:
        return {"ok": True, "kind": "none"}
    reason = telephony.bus.failing()
    kind = "redis" if type(telephony.bus).__name__ == "RedisBus" else "in-process"
    return {"ok": reason is None, "kind": kind, **({"error": reason} if reason else {})}


def _pbx() -> dict:
    telephony = current_app.extensions.get("telephony")
    code = telephony.pbx_status.code if telephony is not None else "not_configured"
    return {"ok": code in PBX_OK, "link": code}
