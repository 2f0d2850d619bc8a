"""GET /healthz: the database, the bus and the PBX link, for a load balancer."""
import shutil
import time

from survey_app import create_app
from tests.conftest import _config, start_redis
from tests.telephony.served import free_port


def test_all_parts_ok_without_a_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["bus"] == {"ok": True, "kind": "in-process"}
    assert body["checks"]["pbx"] == {"ok": True, "link": "not_configured"}


def test_a_database_that_cannot_be_opened_is_a_503(tmp_path):
    broken = create_app(_config(tmp_path / "no-such-folder" / "app.db"))
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "failing" and body["checks"]["database"]["ok"] is False


def test_a_pbx_that_cannot_be_reached_is_degraded_not_out(app, tmp_path):
    port = free_port()  # nothing listens there
    with_pbx = create_app(_config(tmp_path / "pbx.db") | {
        "AMI_HOST": "127.0.0.1", "AMI_PORT": port, "AMI_USERNAME": "crm", "AMI_SECRET": "x"})
    with_pbx.extensions["telephony"].start_bridge()  # as the serving process does
    try:
        client = with_pbx.test_client()
        deadline = time.monotonic() + 10
        while client.get("/healthz").get_json()["checks"]["pbx"]["link"] == "connecting":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        response = client.get("/healthz")
        assert response.status_code == 200 and response.get_json()["status"] == "degraded"
        assert response.get_json()["checks"]["pbx"]["ok"] is False
    finally:
        with_pbx.extensions["telephony"].stop()


def test_a_redis_bus_that_stops_answering_is_a_503(tmp_path):
    server, url = start_redis(shutil.which("redis-server"), tmp_path)
    try:
        app = create_app(_config(tmp_path / "bus.db") | {"REDIS_URL": url})
        client = app.test_client()
        assert client.get("/healthz").get_json()["checks"]["bus"] == {"ok": True,
                                                                      "kind": "redis"}
        server.terminate()
        server.wait(timeout=10)
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.get_json()["checks"]["bus"]["ok"] is False
    finally:
        server.kill()
        app.extensions["telephony"].stop()
