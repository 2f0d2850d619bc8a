"""Benchmark: supervision at a centre's volume, 100,000 surveys and 1,000,000 answers, on
SQLite and on PostgreSQL.

Builds the same data on both databases (the migrations, the demo with 2,000 contacts and 20
more operators, then a questionnaire of 11 questions in two versions: choices, numbers and
free texts, the first refusable; 100,000 surveys over 90 days, 85% completed with all 11
answers, 8% cancelled and 4% abandoned part-way, 3% in progress; a "started" event each and
a Back press in one survey of ten). Then, logged in as a supervisor through the Flask test
client, times:

* the questionnaire's Results page, all versions (100,000 surveys) and one version (50,000),
  after its first view, which counts the closed surveys into the tallies (timed apart); and
  narrowed to one operator or to the last 7 days, which are counted live;
* the Surveys list: its first page, one operator's, the completed ones longest first and all
  of them shortest first (the open ones, with no duration, last);
* the export of all 100,000 surveys, a row each, as CSV and as XLSX, with the process's
  resident memory sampled while the file streams (flat means constant memory).

Targets (issue 13): results p50 < 500 ms, the list < 100 ms, the export's memory flat.
Run: .venv/bin/python benchmarks/supervision_volume.py   (--surveys 10000 for a quick run).
Results: a Markdown table on stdout and benchmarks/results/supervision_volume.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402

from benchmarks.measuring import logged_in, ok, on_each_database, summary, timed  # noqa: E402,E501
from survey_app import demo  # noqa: E402
from survey_app.extensions import db  # noqa: E402
from survey_app.models import (  # noqa: E402
    AnswerKind,
    AnswerOption,
    Campaign,
    Contact,
    CustomerAnswer,
    CustomerSurvey,
    Question,
    Questionnaire,
    QuestionnaireStatus,
    Role,
    SurveyEvent,
    SurveyStatus,
    Transition,
    User,
)

RESULTS = Path(__file__).resolve().parent / "results"
CHUNK = 5_000
QUESTIONS = 11
TEXTS = ("Все добре", "Погано чути", "Занадто довго", "Хотілося б більше прикладів",
         "Незручний час", "Дякую")
BUILT_AT = dt.datetime(2026, 12, 1)  # the surveys end here, whatever the day of the run
TARGETS_MS = {"results": 500, "list": 100}


def _questionnaire(campaign: Campaign, version: int, key: str | None) -> Questionnaire:
    """11 questions in a line: a choice of 4 (refusable), a number 1-10, a free text, ..."""
    survey = Questionnaire(campaign=campaign, name="Bench survey", version=version,
                           status=QuestionnaireStatus.PUBLISHED if version == 2
                           else QuestionnaireStatus.SUPERSEDED, **({"key": key} if key else {}))
    kinds = [AnswerKind.CHOICE, AnswerKind.NUMBER, AnswerKind.TEXT]
    for n in range(1, QUESTIONS + 1):
        kind = kinds[(n - 1) % 3]
        question = Question(questionnaire=survey, number=n, text=f"Питання {n} (версія {version})",
                            kind=kind, is_first=n == 1, is_last=n == QUESTIONS,
                            allows_refusal=n == 1,
                            min_value=1 if kind == AnswerKind.NUMBER else None,
                            max_value=10 if kind == AnswerKind.NUMBER else None)
        if kind == AnswerKind.CHOICE:
            question.options = [AnswerOption(position=p, text=f"Варіант {p}")
                                for p in range(1, 5)]
    db.session.add(survey)
    db.session.flush()
    for source, target in zip(survey.questions, survey.questions[1:], strict=False):
        db.session.add(Transition(questionnaire_id=survey.id, source_id=source.id,
                                  target_id=target.id))
    db.session.flush()
    return survey


def build(app, surveys: int, seed: int) -> dict:
    """The migrations, the demo, then `surveys` surveys with their answers in bulk."""
    rng = random.Random(seed)
    with app.app_context():
        upgrade()
        demo.seed(volume=2_000)
        for n in range(20):
            user = User(username=f"op{n}", full_name=f"Оператор {n:02d}",
                        roles=[Role.OPERATOR], extension=str(400 + n))
            user.set_password("bench-password")
            db.session.add(user)
        campaign = Campaign(name="Bench campaign")
        first = _questionnaire(campaign, 1, None)
        second = _questionnaire(campaign, 2, first.key)
        db.session.commit()
        versions = [_shape(first), _shape(second)]
        operators = db.session.scalars(select(User.id).where(User.holding(Role.OPERATOR))).all()
        contacts = db.session.scalars(select(Contact.id)).all()
        counts = {"answers": 0}
        for start in range(0, surveys, CHUNK):
            counts["answers"] += _chunk(rng, start, min(start + CHUNK, surveys), versions,
                                        operators, contacts, campaign.id)
            db.session.commit()
        _statistics()
        return {"questionnaire_id": second.id, **counts}


def _shape(questionnaire: Questionnaire) -> dict:
    return {"id": questionnaire.id,
            "questions": [(q.id, q.number, q.text, q.kind, [(o.id, o.text) for o in q.options])
                          for q in questionnaire.questions]}


def _chunk(rng, start, end, versions, operators, contacts, campaign_id) -> int:
    now = BUILT_AT
    surveys, answers, events = [], [], []
    for survey_id in range(start + 1, end + 1):
        version = versions[survey_id % 2]
        roll = rng.random()
        status = (SurveyStatus.COMPLETED if roll < .85 else SurveyStatus.CANCELLED if roll < .93
                  else SurveyStatus.ABANDONED if roll < .97 else SurveyStatus.IN_PROGRESS)
        given = QUESTIONS if status == SurveyStatus.COMPLETED else rng.randrange(0, QUESTIONS)
        started = now - dt.timedelta(seconds=rng.randrange(90 * 86400))
        moment = started
        for position, (qid, number, text_, kind, options) in enumerate(
                version["questions"][:given], 1):
            shown, moment = moment, moment + dt.timedelta(seconds=rng.randrange(4, 40))
            answers.append(_answer(rng, survey_id, position, qid, number, text_, kind, options,
                                   shown, moment))
        surveys.append({
            "id": survey_id, "contact_id": rng.choice(contacts), "campaign_id": campaign_id,
            "questionnaire_id": version["id"], "operator_id": rng.choice(operators),
            "status": status, "step": given, "started_at": started, "current_shown_at": moment,
            "finished_at": None if status == SurveyStatus.IN_PROGRESS else moment})
        events.append({"survey_id": survey_id, "kind": "started", "position": 0, "at": started})
        if rng.random() < .1 and given:
            events.append({"survey_id": survey_id, "kind": "back", "position": 1, "at": moment})
    db.session.execute(insert(CustomerSurvey), surveys)
    db.session.execute(insert(CustomerAnswer), answers)
    db.session.execute(insert(SurveyEvent), events)
    return len(answers)


def _answer(rng, survey_id, position, qid, number, text_, kind, options, shown, answered):
    row = {"survey_id": survey_id, "position": position, "question_id": qid,
           "question_number": number, "question_text": text_, "shown_at": shown,
           "answered_at": answered, "option_id": None, "number_value": None,
           "text_value": None, "refused": False}
    if kind == AnswerKind.CHOICE and position == 1 and rng.random() < .05:
        return row | {"refused": True, "answer_text": "Відмова / не знаю"}
    if kind == AnswerKind.CHOICE:
        option_id, option_text = rng.choice(options)
        return row | {"option_id": option_id, "answer_text": option_text}
    if kind == AnswerKind.NUMBER:
        value = min(10, max(1, round(rng.gauss(7, 2))))
        return row | {"number_value": value, "answer_text": str(value)}
    said = rng.choice(TEXTS)
    return row | {"text_value": said, "answer_text": said}


def _statistics() -> None:
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        for table in ("customer_surveys", "customer_answers", "survey_events"):
            connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                    f"(SELECT max(id) FROM {table}))"))
        db.session.commit()
        with db.engine.connect() as autocommit:
            autocommit = autocommit.execution_options(isolation_level="AUTOCOMMIT")
            autocommit.execute(text("VACUUM ANALYZE"))
            autocommit.execute(text("CHECKPOINT"))
        return
    connection.execute(text("ANALYZE"))
    db.session.commit()


def _rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0






def measure(app, built: dict, repeats: int) -> tuple[dict, dict]:
    client = logged_in(app, "supervisor")
    results = f"/questionnaires/{built['questionnaire_id']}/results"
    with app.app_context():
        operator = db.session.scalar(select(User.id).where(User.username == "op3"))
    week_ago = (BUILT_AT.date() - dt.timedelta(days=7)).isoformat()  # the data's last week
    pages = {"results: all versions": results, "results: version 2": f"{results}?version=2",
             # filtered: counted live, not from the tallies (about 4,500 and 7,800 surveys)
             "results: one operator": f"{results}?operator={operator}",
             "results: the last 7 days": f"{results}?from={week_ago}",
             "list: first page": "/surveys", "list: one operator": f"/surveys?operator={operator}",
             "list: completed, longest first": "/surveys?status=completed&sort=-duration",
             "list: all, shortest first": "/surveys?sort=duration"}
    first_ns = timed(lambda: ok(client.get(results)))[0]  # counts the past into the tallies
    samples = {}
    for name, url in pages.items():
        ok(client.get(url))  # warm: templates, the planner
        count = repeats if name.startswith("results") else repeats * 3
        samples[name] = [timed(lambda u=url: ok(client.get(u)))[0] for _ in range(count)]
    exports = {kind: _export(client, f"/surveys/export.{kind}") for kind in ("csv", "xlsx")}
    exports["first_results_view_s"] = round(first_ns / 1e9, 1)
    return samples, exports


def _export(client, url: str) -> dict:
    """Stream the export, sampling the resident memory every 200 chunks."""
    before, started = _rss_kb(), time.perf_counter()
    response = client.get(url, buffered=False)
    size, peak, chunks = 0, before, 0
    for chunk in response.response:
        size, chunks = size + len(chunk), chunks + 1
        if chunks % 200 == 0:
            peak = max(peak, _rss_kb())
    response.close()
    peak = max(peak, _rss_kb())
    return {"seconds": round(time.perf_counter() - started, 1), "mb": round(size / 1e6, 1),
            "rss_start_mb": round(before / 1024, 1), "rss_peak_mb": round(peak / 1024, 1)}






def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--surveys", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    logging.disable(logging.INFO)
    rows, exports, built = {}, {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, app in on_each_database(tmp):
            seconds, built[name] = timed(lambda app=app: build(app, args.surveys, args.seed))
            built[name]["build_s"] = round(seconds / 1e9)
            samples, exports[name] = measure(app, built[name], args.repeats)
            rows[name] = {what: summary(values) for what, values in samples.items()}
            with app.app_context():
                db.engine.dispose()
    answers = built["SQLite"]["answers"]
    lines = [f"{args.surveys:,} surveys, {answers:,} answers; built in " + ", ".join(
        f"{name} {b['build_s']} s" for name, b in built.items()),
        "| measured | SQLite p50 ms | p90 | PostgreSQL p50 ms | p90 | target p50 |",
        "|---|---:|---:|---:|---:|---:|"]
    for what in rows["SQLite"]:
        s, p = rows["SQLite"][what], rows["PostgreSQL"][what]
        target = TARGETS_MS[what.split(":")[0]]
        lines.append(f"| {what} | {s['p50_ms']} | {s['p90_ms']} | {p['p50_ms']} | "
                     f"{p['p90_ms']} | < {target} ms |")
    lines += ["", "| export of every survey | SQLite s | MB | RSS start → peak MB | "
              "PostgreSQL s | MB | RSS start → peak MB |", "|---|---:|---:|---|---:|---:|---|"]
    for kind in ("csv", "xlsx"):
        s, p = exports["SQLite"][kind], exports["PostgreSQL"][kind]
        lines.append(f"| {kind.upper()}, a row per survey | {s['seconds']} | {s['mb']} | "
                     f"{s['rss_start_mb']} → {s['rss_peak_mb']} | {p['seconds']} | {p['mb']} | "
                     f"{p['rss_start_mb']} → {p['rss_peak_mb']} |")
    lines.append("| the first view of the results after the upgrade (tallies the past) | "
                 f"{exports['SQLite']['first_results_view_s']} | | | "
                 f"{exports['PostgreSQL']['first_results_view_s']} | | |")
    print("\n".join(lines))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "supervision_volume.json").write_text(json.dumps({
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "load": os.getloadavg()[0]},
        "surveys": args.surveys, "answers": answers, "results": rows, "exports": exports},
        indent=2, ensure_ascii=False))
    return None


if __name__ == "__main__":
    main()
