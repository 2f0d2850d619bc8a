"""Benchmark: a centre's contact base of a million, on SQLite and on PostgreSQL.

Builds the same data on both databases (the schema by the migrations, the demo, then
--contacts generated contacts with a phone each, a third of them in one of 10,000 accounts,
their names drawn so that a surname is as common as in a real base: a few thousand
surnames, the common ones about 0.5% each; and the sample contact's card with 500 surveys
and 2,000 calls). Then, logged in as the operator through the Flask test client, times:

* search by the beginning of a surname (4 letters: "Кова"; the names it begins are listed
  first, read in order from the sort key's index), by the beginning of a first name (28,000
  matches each: found by walking the names in order), by surname and first name, by a
  surname and a first name's first two letters (as typed on the way), by a whole phone
  number in a common format, and by a number's last 7 digits: find_contacts alone, and the
  live search's request (GET /contacts?q=..., the results fragment);
* the card with 500 surveys and 2,000 calls (its first page of each), and a later page.

Each query runs on both databases, which must find the same contacts in the same order.
Targets (issue 11): each search p50 < 50 ms, the card p50 < 50 ms.
Run: .venv/bin/python benchmarks/contact_volume.py   (--contacts 100000 for a quick run;
PostgreSQL is a throwaway cluster of Debian's server, as in the tests).
Results: a Markdown table on stdout and benchmarks/results/contact_volume.json.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, insert, select, text  # noqa: E402

from benchmarks.measuring import logged_in, ok, on_each_database, summary, timed  # noqa: E402,E501
from survey_app import demo  # noqa: E402
from survey_app.contacts.search import find_contacts  # noqa: E402
from survey_app.extensions import db  # noqa: E402
from survey_app.models import (  # noqa: E402
    Account,
    Call,
    Contact,
    ContactPhone,
    ContactType,
    ContactWord,
    CustomerSurvey,
    PhoneKind,
    SurveyStatus,
    User,
)
from survey_app.names import search_key  # noqa: E402
from survey_app.telephony.calls.events import CallState, Direction, Outcome  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
TARGET_MS = 50.0
HX = {"HX-Request": "true", "HX-Target": "contact-results"}
CHUNK = 20_000
# surnames made of a stem and an ending, as Ukrainian ones are: 60 x 40 x 9 = 21,600
STEMS = ("Ков Бон Тка Шев Кра Олі Пол Мел Лис Бой Руд Сав Пет Мор Мар Гон Лев Пав Ром Іва "
         "Кли Тим Лит Сем Гри Бур Вер Гав Дац Жук Зін Кар Кос Кух Луц Мак Нес Оси Пан Рев "
         "Сид Тар Фед Хом Цим Чер Шап Щер Юрч Яко Біл Ваш Гуц Дем Єрм Заб Кир Ляш Мих Нау"
         ).split()
MIDDLES = ("а але ар ас ач ен ер ик ин ов ол он ос от ул ун ур ущ ях ім ал ев ир од уд ин ек "
           "ом ис ит уш ич ав ег ид ій оз ук юр").split()
ENDINGS = ("енко", "ук", "чук", "ський", "ич", "ко", "ник", "ак", "юк")
FIRST_NAMES = demo.FIRST_NAMES + ("Петро Галина Роман Людмила Микола Тетяна Олег Лариса Іван "
                                  "Віра Степан Надія Євген Ганна Остап Зоряна").split()


def surname(rng: random.Random) -> str:
    if rng.random() < 0.15:  # the common ones: 26 surnames, each about 0.6% of the base
        return rng.choice(demo.SURNAMES)
    return rng.choice(STEMS) + rng.choice(MIDDLES) + rng.choice(ENDINGS)


def e164_of(i: int) -> str:
    """A distinct mobile number for each i below 12 x 10^7."""
    code = demo.MOBILE_CODES[i % 12]
    return f"+380{code}{(i // 12 * 7_654_321 + 1) % 10_000_000:07d}"


def build(app, count: int, seed: int) -> dict:
    """The migrations, the demo, then `count` contacts in bulk with explicit ids (the same
    ids on both databases); what the queries are made from."""
    rng = random.Random(seed)
    with app.app_context():
        upgrade()
        demo.seed(volume=0)
        first_id = db.session.scalar(select(func.max(Contact.id))) + 1
        accounts = [{"id": 1000 + k, **_account(f"ТОВ «{surname(rng)} і партнери {k}»")}
                    for k in range(10_000)]
        db.session.execute(insert(Account), accounts)
        owners = db.session.scalars(select(User.id)).all()
        people = []
        for start in range(0, count, CHUNK):
            contacts, words, phones = [], [], []
            for i in range(start, min(start + CHUNK, count)):
                last, first = surname(rng), rng.choice(FIRST_NAMES)
                name, contact_id = f"{last} {first}", first_id + i
                contacts.append({"id": contact_id, "full_name": name, "last_name": last,
                                 "first_name": first, **Contact.keys_for(name),
                                 "account_id": rng.choice(accounts)["id"]
                                 if rng.random() < 0.3 else None,
                                 "owner_id": rng.choice(owners),
                                 "contact_type": ContactType.CLIENT})
                words += ContactWord.rows_for(contact_id, name)
                e164 = e164_of(i)
                phones.append({"contact_id": contact_id, "kind": PhoneKind.MOBILE,
                               "number": e164, "e164": e164, **ContactPhone.keys_for(e164, e164)})
                if rng.random() < 200 / count:
                    people.append((last, first, e164))
            db.session.execute(insert(Contact), contacts)
            db.session.execute(insert(ContactWord), words)
            db.session.execute(insert(ContactPhone), phones)
            db.session.commit()
        card_id = _card_history(rng)
        _sequences_and_statistics()
    return {"people": people, "card_id": card_id}


def _account(name: str) -> dict:
    return {"name": name, "name_key": search_key(name)}


def _card_history(rng: random.Random) -> int:
    """The sample contact: 500 surveys and 2,000 calls over four years."""
    contact = db.session.scalar(select(Contact).where(Contact.full_name == "Уляненко Олександра"))
    operator_id = db.session.scalar(select(User.id).where(User.username == "operator"))
    start = dt.datetime(2023, 1, 1, 8, 0)
    db.session.execute(insert(CustomerSurvey), [
        {"contact_id": contact.id, "questionnaire_id": 1, "campaign_id": 1,
         "operator_id": operator_id, "status": SurveyStatus.COMPLETED, "step": 9,
         "started_at": start + dt.timedelta(hours=70 * k),
         "finished_at": start + dt.timedelta(hours=70 * k, minutes=4)} for k in range(500)])
    db.session.execute(insert(Call), [
        {"linkedid": f"bench.{k}", "direction": Direction.INBOUND, "extension": "305",
         "external_number": "+380501234567", "external_e164": "+380501234567",
         "contact_id": contact.id, "operator_id": operator_id,
         "started_at": start + dt.timedelta(hours=17 * k), "talk_seconds": rng.randint(5, 600),
         "outcome": Outcome.ANSWERED, "state": CallState.ENDED} for k in range(2000)])
    db.session.commit()
    return contact.id


def _sequences_and_statistics() -> None:
    """PostgreSQL's sequences past the explicit ids; both planners' statistics and
    PostgreSQL's visibility map, which lets an index answer alone (autovacuum and `PRAGMA
    optimize` keep them in a running centre)."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        for table in ("accounts", "contacts"):
            connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                    f"(SELECT max(id) FROM {table}))"))
        db.session.commit()
        with db.engine.connect() as autocommit:  # VACUUM runs outside a transaction
            autocommit = autocommit.execution_options(isolation_level="AUTOCOMMIT")
            autocommit.execute(text("VACUUM ANALYZE"))
            autocommit.execute(text("CHECKPOINT"))  # its writes done before the timing
        return
    connection.execute(text("ANALYZE"))
    db.session.commit()


def queries(people: list[tuple[str, str, str]]) -> dict[str, list[str]]:
    def formatted(e164: str) -> str:
        c, n = e164[4:6], e164[6:]
        return f"0{c} {n[:3]}-{n[3:5]}-{n[5:]}"
    return {"name: a surname's 4 first letters": [last[:4] for last, _, _ in people],
            "name: a first name's 4 first letters": [first[:4] for _, first, _ in people],
            "name: surname and first name": [f"{last} {first}" for last, first, _ in people],
            "name: surname and a first name begun": [f"{last} {first[:2]}"
                                                     for last, first, _ in people],
            "phone: whole, 0xx xxx-xx-xx": [formatted(e164) for _, _, e164 in people],
            "phone: last 7 digits": [e164[-7:] for _, _, e164 in people]}




def measure(app, built: dict) -> tuple[dict[str, list[int]], dict[str, list[list[int]]]]:
    client = logged_in(app, "operator")
    samples, found = {}, {}
    for name, asked in queries(built["people"]).items():
        with app.app_context():
            for query in asked[:5]:  # warm up: caches and the planner's first reads
                find_contacts(query, "UA")
            timings = [timed(lambda q=query: find_contacts(q, "UA")) for query in asked]
            samples[f"{name}: find_contacts"] = [ns for ns, _ in timings]
            found[name] = [[c.id for c in result] for _, result in timings]
        samples[f"{name}: GET /contacts?q="] = [
            timed(lambda q=query: ok(client.get("/contacts", query_string={"q": q},
                                                 headers=HX)))[0] for query in asked]
    card = f"/contacts/{built['card_id']}"
    for _ in range(3):
        ok(client.get(card))
    samples["card: 500 surveys, 2,000 calls"] = [timed(lambda: ok(client.get(card)))[0]
                                                 for _ in range(50)]
    samples["card: surveys page 13, calls page 50"] = [timed(lambda: ok(client.get(
        f"{card}?surveys_page=13&calls_page=50")))[0] for _ in range(50)]
    return samples, found








def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    logging.disable(logging.INFO)
    rows, found, built_s = {}, {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, app in on_each_database(tmp):
            built_s[name], built = timed(lambda app=app: build(app, args.contacts, args.seed))
            samples, found[name] = measure(app, built)
            rows[name] = {what: summary(values, digits=2) for what, values in samples.items()}
            with app.app_context():
                db.engine.dispose()
    same = found["SQLite"] == found["PostgreSQL"]
    lines = [f"{args.contacts:,} contacts; built in " + ", ".join(
        f"{name} {ns / 1e9:.0f} s" for name, ns in built_s.items()),
        f"Same contacts found on both databases, in the same order: {same}",
        "| measured | SQLite p50 ms | p90 | PostgreSQL p50 ms | p90 | target p50 |",
        "|---|---:|---:|---:|---:|---:|"]
    for what in rows["SQLite"]:
        s, p = rows["SQLite"][what], rows["PostgreSQL"][what]
        lines.append(f"| {what} | {s['p50_ms']:.2f} | {s['p90_ms']:.2f} | {p['p50_ms']:.2f} | "
                     f"{p['p90_ms']:.2f} | < {TARGET_MS:.0f} ms |")
    print("\n".join(lines))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "contact_volume.json").write_text(json.dumps({
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "load": os.getloadavg()[0]},
        "contacts": args.contacts, "same_matches": same, "results": rows},
        indent=2, ensure_ascii=False))
    if not same:
        sys.exit("The databases found different contacts.")


if __name__ == "__main__":
    main()
