"""The log: one line per request with method, path, status, time and user; the bridge's
connects and drops; the level from LOG_LEVEL."""
import logging
import re

import pytest

from survey_app import config
from tests.helpers import login


def test_every_request_is_one_line_with_method_path_status_time_and_user(app, client, caplog):
    login(client, "operator")
    with caplog.at_level(logging.INFO, logger="survey_app.requests"):
        caplog.clear()
        client.get("/contacts?q=Улян")
        client.get("/no-such-page")
    # only this test's requests: a socket of an earlier test may log its end meanwhile
    lines = [r.getMessage() for r in caplog.records if r.name == "survey_app.requests"
             and r.getMessage().startswith(("GET /contacts?q=", "GET /no-such-page"))]
    assert len(lines) == 2, lines
    assert re.fullmatch(r"GET /contacts\?q=Улян 200 \d+\.\d ms user=operator id=[0-9a-f]{32}",
                        lines[0]), lines
    assert re.fullmatch(r"GET /no-such-page 404 \d+\.\d ms user=operator id=[0-9a-f]{32}",
                        lines[1]), lines


def test_the_bridge_logs_its_connect_and_its_drop(app, pbx, caplog):
    with caplog.at_level(logging.INFO, logger="survey_app"):
        peer = pbx()
        peer.close()
        from tests.telephony.ami_peer import wait_until
        assert wait_until(lambda: any("AMI connection lost" in r.getMessage()
                                      for r in caplog.records))
    messages = [r.getMessage() for r in caplog.records if r.name.endswith("ami.bridge")]
    assert any(m.startswith("AMI connected to 127.0.0.1:") for m in messages), messages


@pytest.mark.parametrize(("typed", "level"), [("debug", "DEBUG"), ("WARNING", "WARNING")])
def test_the_level_comes_from_log_level(tmp_path, monkeypatch, typed, level):
    monkeypatch.setenv("LOG_LEVEL", typed)
    assert config.from_environment(tmp_path)["LOG_LEVEL"] == level


def test_an_unknown_log_level_stops_the_start_with_its_name(tmp_path, monkeypatch):
    monkeypatch.setenv("LOG_LEVEL", "loud")
    with pytest.raises(ValueError, match="LOG_LEVEL='loud'"):
        config.from_environment(tmp_path)


def test_a_request_id_is_returned_and_a_proxys_plain_one_kept(client, caplog):
    mine = client.get("/login")
    assert re.fullmatch(r"[0-9a-f]{32}", mine.headers["X-Request-ID"])
    assert client.get("/login").headers["X-Request-ID"] != mine.headers["X-Request-ID"]
    kept = client.get("/login", headers={"X-Request-ID": "nginx-7f3a.1"})
    assert kept.headers["X-Request-ID"] == "nginx-7f3a.1"
    odd = client.get("/login", headers={"X-Request-ID": "<script>" + "x" * 100})
    assert re.fullmatch(r"[0-9a-f]{32}", odd.headers["X-Request-ID"])


def test_log_format_json_writes_an_object_a_line_with_the_request_id(tmp_path):
    """A process of its own: the JSON handler is the app's, on stderr, as when served."""
    import json
    import subprocess
    import sys
    script = ("from survey_app import create_app\n"
              "app = create_app()\n"
              "app.test_client().get('/healthz', headers={'X-Request-ID': 'probe-1'})\n")
    env = {"LOG_FORMAT": "json", "SECRET_KEY": "x", "PATH": "/usr/bin:/bin",
           "DATABASE_URL": f"sqlite:///{tmp_path}/logs.db", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=60, cwd=str(tmp_path))
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    [request] = [line for line in lines if line.get("path") == "/healthz"]
    assert request["request_id"] == "probe-1" and request["status"] == 200
    assert request["method"] == "GET" and request["logger"] == "survey_app.requests"
    assert request["at"].endswith("+00:00") and isinstance(request["ms"], float)


def test_a_log_format_typo_is_refused_at_start(tmp_path, monkeypatch):
    monkeypatch.setenv("LOG_FORMAT", "jsno")
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        config.from_environment(tmp_path)
