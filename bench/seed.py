"""Realistic national data for make bench and make load, loaded through the real importers.

Areas: a few cities and villages in each of the 31 provinces. Offices: N of them, one holder
each (valid national codes, Persian names, mobiles), spread over the areas; about one in ten
is a rural ICT office. The CSV files go through import_areas / import_offices exactly as a
region's upload would, so seeding also exercises the importer at national scale."""

import csv
import hashlib
import io
import json
import random

from wizard.importing import import_areas
from wizard.importing import import_offices
from wizard.rules.national_code import check_digit
from wizard.rules.provinces import PROVINCES

FIRST_NAMES = ("مریم", "علی", "فاطمه", "محمد", "زهرا", "حسین", "سارا", "رضا", "نرگس", "مهدی", "لیلا", "امیر")
LAST_NAMES = ("احمدی", "کریمی", "حسینی", "رضایی", "موسوی", "محمدی", "جعفری", "صادقی", "نوری", "کاظمی")
AREAS_PER_PROVINCE = 6


def national_code(number: int) -> str:
    """The number-th valid national code (valid while number < 11,111,111, where a code of one repeated digit would come)."""
    first9 = f"{100_000_000 + number:09d}"
    return first9 + check_digit(first9)


def areas_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["area_code", "province", "county", "name", "kind", "available_services"])
    for p, (province, _english) in enumerate(PROVINCES):
        for a in range(AREAS_PER_PROVINCE):
            kind = "village" if a >= 4 else "city"
            writer.writerow([f"A{p:02d}-{a}", province, f"شهرستان {a + 1}", f"{province} {a + 1}", kind,
                             120 + 47 * ((p + a) % 7)])
    return out.getvalue()


def offices_csv(count: int, seed: int = 1405) -> str:
    chance = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["national_code", "full_name", "mobile", "license_number", "office_code", "office_type",
                     "province", "area_code", "license_date"])
    for i in range(count):
        p = i % len(PROVINCES)
        area = chance.randrange(AREAS_PER_PROVINCE)
        writer.writerow([national_code(i), f"{chance.choice(FIRST_NAMES)} {chance.choice(LAST_NAMES)}",
                         f"0912{i:07d}", f"L-{i + 1:06d}", f"OC{i + 1:06d}",
                         "rural_ict" if area >= 4 else "pishkhan", PROVINCES[p][0], f"A{p:02d}-{area}",
                         f"{1385 + i % 18}/{1 + i % 12:02d}/{1 + i % 28:02d}"])
    return out.getvalue()


def load(count: int) -> None:
    """Import the areas and `count` offices (inside an app context); raise if any row is refused."""
    for importer, text in ((import_areas, areas_csv()), (import_offices, offices_csv(count))):
        report = importer(io.StringIO(text))
        if not report.ok:
            raise RuntimeError(f"seed data refused: {report.errors[:3]}")


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


def submission_rows(round_id: int, office_ids, submitted_at) -> list[dict]:
    """Bulk-insertable first submissions for these offices (floor areas vary, so scores do)."""
    rows = []
    for office_id in office_ids:
        steps = json.loads(json.dumps(SNAPSHOT_STEPS))
        steps["premises"]["floor_area"] = 40 + office_id % 100
        snapshot = json.dumps({"round_id": round_id, "office": {}, "steps": steps}, ensure_ascii=False)
        rows.append({"office_id": office_id, "round_id": round_id, "number": 1, "snapshot": snapshot,
                     "sha256": hashlib.sha256(snapshot.encode()).hexdigest(), "tracking_code": f"{office_id:010d}",
                     "submitted_at": submitted_at, "draft_version": 1})
    return rows
