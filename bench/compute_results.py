"""Time `results compute` for many offices (default 100,000; 60 % with a submission).

Usage: .venv/bin/python bench/compute_results.py [OFFICES] [DATABASE_URL]
Seeds an empty database in bulk, then times ranking.compute (scoring included)."""

import json
import sys
import tempfile
import time
from datetime import date
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from wizard import clock
from wizard import create_app
from wizard import ranking
from wizard.extensions import db
from wizard.models import Area
from wizard.models import Office
from wizard.models import Round
from wizard.models import Submission
from wizard.models import User
from wizard.rubric import DEFAULT_RUBRIC_PATH
from wizard.rubric import load_rubric
from wizard.rubric import to_stored
from wizard.rules.deadline import TEHRAN

SNAPSHOT_STEPS = {
    "license": {"office_phone": "02188776655", "mobile": "09121234567", "email": "",
                "activity_start": {"year": 1395, "month": 7, "day": 1}},
    "address": {"area": "1", "postal_code": "1435678901", "address": "تهران، خیابان ولیعصر"},
    "premises": {"floor_area": 80, "ownership": "leased", "counters": 4, "computers": 6, "printers": 2,
                 "scanners": 1, "card_readers": 2, "bandwidth_mbps": 50, "accessible": "yes", "waiting_seats": 12},
    "staff": {"staff": [{"national_code": "0012345679", "full_name": "م", "role": "manager", "education": "bachelor",
                         "insured": "yes", "insurance_number": "1234567", "disability": "no",
                         "start_date": {"year": 1398, "month": 7, "day": 1}}] * 3},
    "hours": {"working_days": 6, "opens_at": "07:30", "closes_at": "15:30", "shifts": 1, "services_offered": 120,
              "monthly_transactions": 2500},
}


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
    rows = []
    for i in range(count):
        if i % 10 >= 6:
            continue
        steps = json.loads(json.dumps(SNAPSHOT_STEPS))
        steps["premises"]["floor_area"] = 40 + i % 100
        snapshot = json.dumps({"round_id": round_.id, "office": {}, "steps": steps}, ensure_ascii=False)
        rows.append({"office_id": i + 1, "round_id": round_.id, "number": 1, "snapshot": snapshot, "sha256": "0" * 64,
                     "tracking_code": f"{i:010d}", "submitted_at": now, "draft_version": 1})
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
