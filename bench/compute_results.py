"""Time `results compute` for many offices (default 100,000; 60 % with a submission).

Usage: .venv/bin/python -m bench.compute_results [OFFICES] [DATABASE_URL]
Seeds an empty database in bulk, then times ranking.compute (scoring included)."""

import sys
import tempfile
import time
from datetime import date
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from bench.seed import submission_rows
from wizard import clock
from wizard import create_app
from wizard import ranking
from wizard.extensions import db
from wizard.models import Area
from wizard.models import Office
from wizard.models import Round
from wizard.models import Submission
from wizard.models import User
from wizard.rounds import DEFAULT_RUBRIC_PATH
from wizard.rounds import load_rubric
from wizard.rules.rubric import to_stored
from wizard.rules.deadline import TEHRAN


def seed(count: int) -> Round:
    now = datetime(2026, 12, 1, tzinfo=TEHRAN)
    round_ = Round(title="bench", jalali_year=1405, half=2, status="closed", opens_at=now, deadline=now,
                   rubric=to_stored(load_rubric(DEFAULT_RUBRIC_PATH)))
    db.session.add(round_)
    db.session.add(Area(code="A", province="تهران", county="تهران", name="تهران", kind="city", available_services=400))
    db.session.flush()
    db.session.execute(sa.insert(User), [{"username": f"u{i}", "role": "holder", "full_name": "x",
                                          "session_token": f"t{i}", "must_change_password": True,
                                          "created_at": now} for i in range(count)])
    db.session.execute(sa.insert(Office), [{"license_number": f"L{i}", "office_code": f"C{i}", "office_type": "pishkhan",
                                            "province": "تهران", "area_id": 1, "license_date": date(2015, 1, 1),
                                            "holder_id": i + 1} for i in range(count)])
    offices = [i + 1 for i in range(count) if i % 10 < 6]
    rows = submission_rows(round_.id, offices, now)
    db.session.execute(sa.insert(Submission), rows)
    db.session.commit()
    return round_


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    url = sys.argv[2] if len(sys.argv) > 2 else f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        round_ = seed(count)
        seeded = time.perf_counter()
        clock.freeze(datetime(2026, 12, 2, tzinfo=TEHRAN))
        distribution = ranking.compute(round_)
        done = time.perf_counter()
        print(f"offices={count} seed={seeded - started:.1f}s compute={done - seeded:.2f}s "
              f"ranks={dict(sum(distribution.values(), start=__import__('collections').Counter()))} "
              f"db={db.engine.dialect.name}")
        if db.engine.dialect.name == "postgresql":
            db.drop_all()


if __name__ == "__main__":
    main()
