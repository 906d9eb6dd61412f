"""The load check of issue 22: 20,000 deadline reminders queued by `flask messages tick`, drained by two RQ worker
processes (`flask messages worker --burst`) against the file provider, and checked for duplicates.

Usage: .venv/bin/python -m bench.messages [HOLDERS] [DATABASE_URL]
Database: PostgreSQL's wizard_bench_messages (made if missing) when PostgreSQL answers on 127.0.0.1, else SQLite in a
temporary folder. Redis: redis://127.0.0.1:6379/9, emptied before and after. Prints one line of figures; exits
non-zero if a reminder is missing, duplicated, or not delivered."""

import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from datetime import datetime
from pathlib import Path

import redis
import sqlalchemy as sa

from wizard import clock
from wizard import create_app
from wizard.extensions import db
from wizard.models import Area
from wizard.models import Message
from wizard.models import Office
from wizard.models import ReminderPlan
from wizard.models import Round
from wizard.models import User
from wizard.notify.providers import read_outbox
from wizard.notify.reminders import tick
from wizard.rules.deadline import TEHRAN

REDIS_URL = "redis://127.0.0.1:6379/9"
ROOT = Path(__file__).resolve().parents[1]
WORKERS = 2


def default_database(folder: Path) -> str:
    url = "postgresql://postgres@127.0.0.1:5432/wizard_bench_messages"
    try:
        engine = sa.create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            if not connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = 'wizard_bench_messages'")):
                connection.execute(sa.text("CREATE DATABASE wizard_bench_messages"))
        engine.dispose()
        return url
    except sa.exc.OperationalError:
        return f"sqlite:///{folder / 'bench.sqlite'}"


def seed(count: int, now: datetime) -> None:
    round_ = Round(title="مرحله دوم — نیمسال دوم ۱۴۰۵", jalali_year=1405, half=2, status="open",
                   opens_at=datetime(2026, 11, 28, tzinfo=TEHRAN), deadline=datetime(2026, 12, 17, 23, 59, 59, tzinfo=TEHRAN))
    db.session.add(round_)
    db.session.add(Area(code="A", province="تهران", county="تهران", name="تهران", kind="city", available_services=400))
    db.session.flush()
    db.session.add(ReminderPlan(round_id=round_.id, days=[7, 3, 1]))
    db.session.execute(sa.insert(User), [{"username": f"u{i}", "role": "holder", "full_name": "دارنده", "session_token": f"t{i}",
                                          "must_change_password": True, "mobile": f"0912{i:07d}", "created_at": now}
                                         for i in range(count)])
    db.session.execute(sa.insert(Office), [{"license_number": f"L{i}", "office_code": f"C{i}", "office_type": "pishkhan",
                                            "province": "تهران", "area_id": 1, "license_date": date(2015, 1, 1),
                                            "holder_id": i + 1} for i in range(count)])
    # Every holder was told of the opening already: the tick below queues reminders only.
    db.session.execute(sa.insert(Message), [{"key": f"round-opened:{round_.id}:{i + 1}", "event": "round_opened",
                                             "template": "round_opened", "mobile": f"0912{i:07d}", "text": "-", "parts": 1,
                                             "status": "delivered", "attempts": 1, "created_at": now, "round_id": round_.id,
                                             "user_id": i + 1} for i in range(count)])
    db.session.commit()


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    folder = Path(tempfile.mkdtemp(prefix="bench-messages-"))
    url = sys.argv[2] if len(sys.argv) > 2 else default_database(folder)
    outbox = folder / "outbox.jsonl"
    settings = {"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": REDIS_URL, "MESSAGES_QUEUE": "rq", "SMS_PROVIDER": "file",
                "SMS_FILE_PATH": str(outbox)}
    queue_redis = redis.Redis.from_url(REDIS_URL)
    queue_redis.flushdb()
    app = create_app(settings)
    with app.app_context():
        db.drop_all()
        db.create_all()
        now = datetime(2026, 12, 10, 9, 0, tzinfo=TEHRAN)  # the 7-day reminder's morning
        seed(count, now)
        clock.freeze(now)
        started = time.perf_counter()
        counts = tick()  # queue_reminders: 20,000 rows, then 20,000 RQ jobs after the commit
        queued = time.perf_counter() - started
        assert counts["reminders"] == count, counts
        assert tick()["reminders"] == 0  # a second tick queues nothing
        clock.freeze(None)
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": REDIS_URL, "SMS_PROVIDER": "file",
           "SMS_FILE_PATH": str(outbox), "MESSAGES_QUEUE": "rq", "SECRET_KEY": "bench-" + "x" * 40}
    started = time.perf_counter()
    workers = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "wizard", "messages", "worker", "--burst"],
                                cwd=ROOT, env=env) for _ in range(WORKERS)]
    for worker in workers:
        worker.wait()
    drained = time.perf_counter() - started
    lines = read_outbox(outbox)
    twice = [message_id for message_id, seen in Counter(line["id"] for line in lines).items() if seen > 1]
    with app.app_context():
        statuses = dict(db.session.execute(sa.select(Message.status, sa.func.count()).where(Message.event == "reminder")
                                           .group_by(Message.status)).all())
        dialect = db.engine.dialect.name
        db.session.remove()  # its read transaction would hold the tables against DROP
        if dialect == "postgresql":
            db.drop_all()
    queue_redis.flushdb()
    queue_redis.close()
    print(f"reminders={count} queued_in={queued:.2f}s drained_in={drained:.2f}s by {WORKERS} RQ workers "
          f"({count / drained:.0f}/s) sent_lines={len(lines)} duplicates={len(twice)} statuses={statuses} db={dialect}")
    problems = [] if len(lines) == count and not twice and statuses == {"delivered": count} else ["FAILED"]
    sys.exit(1 if problems or any(worker.returncode for worker in workers) else 0)


if __name__ == "__main__":
    main()
