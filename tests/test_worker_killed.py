"""A gunicorn worker killed with SIGKILL mid-shift (the OOM killer, a crash): the master
starts a new one, the pages' sockets reconnect, and every answer the operator was shown as
taken is stored, once; none of a request cut off half-way is (each step is one transaction).
Two workers on PostgreSQL with Redis between them, as deployed."""
import os
import signal
import threading
import time
from pathlib import Path

from simple_websocket import ConnectionClosed
from sqlalchemy import create_engine, func, select

from survey_app.models import Contact, CustomerAnswer, CustomerSurvey
from tests.helpers import csrf_from, screen_of
from tests.telephony.ami_peer import wait_until
from tests.telephony.served import Browser, gunicorn
from tests.telephony.sockets import open_socket

SURVEYS = 6


def _workers(master: int) -> set[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {int(pid) for pid in children}


def _holder(ws, workers: set[int]) -> int:
    """The worker process that holds this client socket's other end (from /proc: the
    server side's socket inode, among each worker's open files)."""
    port = ws.sock.getsockname()[1]
    inodes = {line.split()[9] for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
              if int(line.split()[2].split(":")[1], 16) == port}
    for pid in workers:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:  # closed meanwhile
                continue
            if target.startswith("socket:[") and target[8:-1] in inodes:
                return pid
    raise AssertionError(f"no worker holds the socket from port {port}")


def _step_form(html: str) -> dict:
    """The current question answered as an operator would: the first option, 5, or a few
    words; with the page's CSRF token."""
    screen = screen_of(html)
    if screen.options:
        answer = {"option_id": next(iter(screen.options.values()))}
    else:
        answer = {"value": "5" if 'type="number"' in html else "Добре"}
    return {**screen.form(**answer), "csrf_token": csrf_from(html)}


def _run_surveys(browser: Browser, contact_ids: list[int], acknowledged: dict, stop) -> None:
    """Survey 1 for each contact to its end, a step at a time; a step whose answer was cut
    off (no response: its worker was killed) is sent again, as the operator would click
    again. `acknowledged[survey id]` counts the steps the operator was told were taken:
    answered 200 or 303, or, sent again after a cut, 409 (taken the first time: the survey
    had moved on)."""
    for contact_id in contact_ids:
        new = f"/contacts/{contact_id}/surveys/new"
        _, page, _ = _retrying(browser, "GET", new)
        _retrying(browser, "POST", new, {"campaign_id": 1, "questionnaire_id": 1,
                                         "csrf_token": csrf_from(page)})
        url = browser.location
        survey_id = int(url.rsplit("/", 1)[1])
        while not stop.is_set():
            status, html, _ = _retrying(browser, "GET", url)
            if status != 200 or 'name="question_id"' not in html:
                break  # completed: the runner sends the operator to the card
            status, _, cut = _retrying(browser, "POST", f"{url}/answer", _step_form(html))
            if status in (200, 303) or (cut and status == 409):
                acknowledged[survey_id] = acknowledged.get(survey_id, 0) + 1


def _retrying(browser: Browser, method: str, path: str, form: dict | None = None):
    """(status, text, whether an attempt was cut off before its answer)."""
    for attempt in range(50):
        try:
            return (*browser.request(method, path, form), attempt > 0)
        except (ConnectionError, OSError):  # the worker died under the request
            time.sleep(0.1)
    raise AssertionError(f"{method} {path} got no answer in 50 tries")


def test_a_killed_worker_loses_nothing_acknowledged_and_pages_reconnect(
        seeded_postgres, postgres, redis_url, tmp_path):
    url = postgres.database(template=seeded_postgres)
    with gunicorn(tmp_path / "unused.db", tmp_path / "gunicorn.log", DATABASE_URL=url,
                  WEB_CONCURRENCY="2", REDIS_URL=redis_url, DEFAULT_LANGUAGE="en") as served:
        browser = Browser(served.base_url)
        cookie = browser.log_in("operator")
        sockets = [open_socket(served.base_url, cookie) for _ in range(4)]
        assert all('id="call-pops"' in ws.receive(timeout=5) for ws in sockets)
        engine = create_engine(url)
        contacts = _contacts(engine)
        acknowledged, stop = {}, threading.Event()
        runner = threading.Thread(target=_run_surveys, args=(browser, contacts, acknowledged,
                                                              stop))
        runner.start()
        time.sleep(0.5)  # surveys under way
        victim = _holder(sockets[0], _workers(served.process.pid))
        os.kill(victim, signal.SIGKILL)
        runner.join(timeout=120)
        stop.set()
        assert not runner.is_alive(), "the surveys did not finish"
        assert wait_until(lambda: len(_workers(served.process.pid)) == 2, timeout=30)
        assert victim not in _workers(served.process.pid)  # a new worker in its place
        assert _closed(sockets[0])  # the page sees its socket go, and reconnects:
        again = open_socket(served.base_url, cookie)  # as the page reconnects
        assert 'id="call-pops"' in again.receive(timeout=10)
        for ws in [again, *sockets]:
            if ws.connected:
                ws.close()
        assert _stored(engine, acknowledged) == acknowledged  # nothing lost, nothing twice
        assert set(acknowledged) and all(_completed(engine, acknowledged))
        engine.dispose()


def _contacts(engine) -> list[int]:
    with engine.connect() as connection:
        return list(connection.scalars(select(Contact.id).order_by(Contact.id).limit(SURVEYS)))


def _closed(ws) -> bool:
    try:
        ws.receive(timeout=0.5)
    except ConnectionClosed:
        return True
    return not ws.connected


def _stored(engine, surveys) -> dict[int, int]:
    with engine.connect() as connection:
        rows = connection.execute(select(CustomerAnswer.survey_id, func.count())
                                  .where(CustomerAnswer.survey_id.in_(list(surveys)))
                                  .group_by(CustomerAnswer.survey_id))
        return dict(rows.all())


def _completed(engine, surveys) -> list[bool]:
    with engine.connect() as connection:
        return [status == "completed" for status in connection.scalars(
            select(CustomerSurvey.status).where(CustomerSurvey.id.in_(list(surveys))))]
