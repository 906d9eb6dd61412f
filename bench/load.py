"""make load: the last day of the window on PostgreSQL, then proof that nothing was lost.

Seeds 20,000 offices through the real importers into its own database (wizard_load by default;
its tables are replaced), serves the app with gunicorn, lets locust (bench/locustfile.py) play
first-time holders for --minutes, and then checks the database against the journal of every
answer the app acknowledged:

- every acknowledged save is in its draft as typed (the last one per step) and audited exactly once;
- every receipt's submission is in the database exactly once, its snapshot hashes to the receipt's
  SHA-256, and all of its steps carry the one journey's mark (no row mixes two writes);
- every save and submission was made by the office's own holder; no response was a 5xx.

Usage: .venv/bin/python -m bench.load [--minutes 10] [--users 60] [--database-url URL]
"""

import argparse
import csv
import hashlib
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from bench import seed
from bench.harness import create_database
from bench.harness import ROOT
from bench.harness import gunicorn
from bench.harness import redis_url
from wizard import clock
from wizard import create_app
from wizard import rounds
from wizard.extensions import db
from wizard.models import AuditEvent
from wizard.models import Declaration
from wizard.models import Office
from wizard.models import Submission
from wizard.rounds import DEFAULT_RUBRIC_PATH
from wizard.rounds import load_rubric
from wizard.rules.rubric import to_stored
from wizard.rules.deadline import TEHRAN

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/wizard_load"


def main():
    options = _options()
    work = Path(tempfile.mkdtemp(prefix="wizard-load-"))
    create_database(options.database_url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": options.database_url})
    started = time.perf_counter()
    prepare(app, options.offices)
    print(f"seeded {options.offices:,} offices on PostgreSQL in {time.perf_counter() - started:.1f} s", flush=True)
    env = {"DATABASE_URL": options.database_url, "SECRET_KEY": secrets.token_urlsafe(50)}
    if redis_url():
        env["REDIS_URL"] = redis_url()
    access_log = work / "access.log"
    journal = work / "journal.jsonl"
    log_format = '%(s)s %(m)s "%(U)s"'
    with gunicorn("wsgi:app", env=env, workers=options.workers,
                  extra=["--access-logfile", str(access_log), "--access-logformat", log_format]) as (base, _master):
        subprocess.run([str(Path(sys.executable).with_name("locust")), "-f", str(ROOT / "bench" / "locustfile.py"),
                        "--headless", "--users", str(options.users), "--spawn-rate", "10",
                        "--run-time", f"{round(options.minutes * 60)}s", "--host", base, "--csv", str(work / "locust"),
                        "--stop-timeout", "120", "--only-summary", "--loglevel", "WARNING"],
                       env={**os.environ, "PYTHONPATH": str(ROOT), "LOAD_JOURNAL": str(journal)}, check=True,
                       stdout=(work / "locust.log").open("w"), stderr=subprocess.STDOUT)
    print(f"locust's own report: {work / 'locust.log'}")
    figures = load_figures(work / "locust_stats.csv", access_log)
    problems = verify(app, journal)
    report(figures, problems, journal, options)
    sys.exit(1 if problems or figures["server_errors"] or figures["failures"] else 0)


def _options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--users", type=int, default=60, help="holders at work at the same time")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--offices", type=int, default=20_000)
    parser.add_argument("--database-url", default=os.environ.get("LOAD_DATABASE_URL", DEFAULT_URL))
    return parser.parse_args()


def prepare(app, offices: int) -> None:
    with app.app_context():
        db.session.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.session.commit()
        app.test_cli_runner().invoke(args=["init-db"], catch_exceptions=False)
        seed.load(offices)
        now = clock.now()
        last_second = datetime.combine(now.astimezone(TEHRAN).date(), datetime.max.time().replace(microsecond=0),
                                       tzinfo=TEHRAN)  # the deadline is tonight
        rounds.create_round("ارزیابی نیمه دوم ۱۴۰۵", now - timedelta(days=19), max(last_second, now + timedelta(hours=1)),
                            to_stored(load_rubric(DEFAULT_RUBRIC_PATH)), app.config["SERVICE_PERCENTS"])


def load_figures(stats_csv: Path, access_log: Path) -> dict:
    with stats_csv.open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    statuses = Counter(line.split(" ", 1)[0] for line in access_log.read_text().splitlines() if line)
    total = next(row for row in rows if row["Name"] == "Aggregated")
    return {"rows": [row for row in rows if row["Name"] != "Aggregated"], "total": total,
            "failures": int(total["Failure Count"]), "statuses": statuses,
            "server_errors": sum(count for status, count in statuses.items() if status.startswith("5"))}


def verify(app, journal: Path) -> list[str]:
    entries = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    saves = [e for e in entries if e["kind"] == "save"]
    submissions = [e for e in entries if e["kind"] == "submission"]
    problems: list[str] = []
    with app.app_context():
        holders = dict(db.session.execute(sa.select(Office.id, Office.holder_id)).all())
        problems += _check_drafts(saves, submissions)
        problems += _check_audit(saves, submissions, holders)
        problems += _check_submissions(submissions, holders)
    return problems


def _check_drafts(saves, submissions) -> list[str]:
    """The last acknowledged save of each step is in the draft exactly as typed (drafts outlive submission)."""
    last: dict[tuple[int, str], dict] = {}
    for entry in saves:
        if not entry.get("added_row"):
            last[entry["office"], entry["step"]] = entry["answers"]
    drafts = {d.office_id: d.data for d in db.session.scalars(
        sa.select(Declaration).where(Declaration.office_id.in_({office for office, _step in last})))}
    problems = []
    for (office, step), answers in last.items():
        stored = (drafts.get(office) or {}).get(step, {}).get("raw")
        expected = {key: [value] for key, value in answers.items()}
        if stored != expected:
            problems.append(f"office {office}: the saved {step} step is not what was acknowledged")
    return problems


def _check_audit(saves, submissions, holders) -> list[str]:
    acknowledged = Counter(entry["office"] for entry in saves)
    audited = Counter()
    problems = []
    query = sa.select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.target).where(
        AuditEvent.action.in_(("save", "submit")))
    for action, actor, target in db.session.execute(query):
        office = int(target.removeprefix("office:"))
        if holders.get(office) != actor:
            problems.append(f"office {office}: {action} by user {actor}, who is not its holder")
        if action == "save":
            audited[office] += 1
    for office in acknowledged.keys() | audited.keys():
        if acknowledged[office] != audited[office]:
            problems.append(f"office {office}: {acknowledged[office]} saves acknowledged, {audited[office]} stored")
    submitted = Counter(entry["office"] for entry in submissions)
    stored = Counter(dict(db.session.execute(sa.select(Submission.office_id, sa.func.count())
                                             .group_by(Submission.office_id)).all()))
    if submitted != stored:
        problems.append(f"{sum(submitted.values())} submissions acknowledged, {sum(stored.values())} stored")
    return problems


def _check_submissions(submissions, holders) -> list[str]:
    problems = []
    for entry in submissions:
        found = db.session.scalars(sa.select(Submission).where(Submission.tracking_code == entry["tracking"])).all()
        if len(found) != 1 or found[0].office_id != entry["office"]:
            problems.append(f"tracking code {entry['tracking']}: {len(found)} submissions for office {entry['office']}")
            continue
        submission = found[0]
        digest = hashlib.sha256(submission.snapshot.encode()).hexdigest()
        if not digest == submission.sha256 == entry["sha256"]:
            problems.append(f"tracking code {entry['tracking']}: the snapshot does not hash to the receipt's SHA-256")
        steps = json.loads(submission.snapshot)["steps"]
        marks = {steps["address"]["address"].rsplit(" ", 1)[1],
                 *(person["full_name"].rsplit(" ", 1)[1] for person in steps["staff"]["staff"])}
        if marks != {entry["journey"]}:
            problems.append(f"tracking code {entry['tracking']}: the snapshot mixes journeys {sorted(marks)}")
        if holders.get(submission.office_id) != submission.submitted_by:
            problems.append(f"tracking code {entry['tracking']}: submitted by someone other than the holder")
    return problems


def report(figures, problems, journal, options):
    total = figures["total"]
    print(f"\n{options.users} holders for {options.minutes:g} min on {options.workers} gunicorn workers (PostgreSQL)")
    print(f"{'request':<30}{'count':>8}{'fail':>6}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}")
    for row in figures["rows"] + [total]:
        print(f"{(row['Type'] + ' ' + row['Name']).strip():<30}{row['Request Count']:>8}{row['Failure Count']:>6}"
              f"{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}")
    print(f"\nthroughput: {float(total['Requests/s']):.1f} req/s (target ≥ 50)")
    print(f"responses by status (server log): {dict(sorted(figures['statuses'].items()))}; "
          f"5xx: {figures['server_errors']}")
    kinds = Counter(json.loads(line)["kind"] for line in journal.read_text(encoding="utf-8").splitlines())
    print(f"acknowledged: {kinds['save']:,} saves, {kinds['submission']:,} submissions")
    if problems:
        print(f"NOTHING-LOST CHECK FAILED ({len(problems)} problems):")
        for problem in problems[:20]:
            print("  " + problem)
    else:
        print("nothing lost: every acknowledged save and submission is stored exactly once, hashes match the "
              "receipts, no snapshot mixes two journeys, every write was by the office's own holder")


if __name__ == "__main__":
    main()
