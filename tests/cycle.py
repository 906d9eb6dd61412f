"""Fixtures of the cycle after the window, shared by tests/results and tests/admin (their conftest.py import them):
published results, and a violation recorded by the Tehran region."""

import pytest
import sqlalchemy as sa

from wizard.extensions import db
from wizard.models import Violation

RECORD = {"occurred_on-day": "۱", "occurred_on-month": "۹", "occurred_on-year": "۱۴۰۵", "kind": "overcharging",
          "description": "دریافت ۵۰٬۰۰۰ ریال بیش از تعرفه برای صدور گواهی", "points": "۴",
          "note": "در جلسهٔ ۱۴۰۵/۱۰/۰۵ کمیسیون بررسی می‌شود"}


def decided_violation(app, office, points, replace=False):
    """A violation the committee decided against the office, worth `points` (replace: the office's only one)."""
    from datetime import date

    with app.app_context():
        if replace:
            db.session.execute(sa.delete(Violation).where(Violation.office_id == office))
        db.session.add(Violation(round_id=1, office_id=office, occurred_on=date(2026, 11, 20), kind="overcharging",
                                 description="دریافت وجه بیش از تعرفه", points=points, status="decided"))
        db.session.commit()


def run(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result


def record(client, office, **changes):
    return client.post(f"/admin/offices/{office}/violations/new", data={**RECORD, **changes})


def violations(app) -> list[Violation]:
    with app.app_context():
        found = db.session.scalars(sa.select(Violation).order_by(Violation.id)).all()
        db.session.expunge_all()
        return found


@pytest.fixture
def published(submitted, demo_data):
    """The demo holder's submitted office, with version 1 of the results published (the window is open)."""
    run(demo_data, "results", "compute")
    run(demo_data, "results", "publish")
    return submitted


@pytest.fixture
def recorded(demo_data, tehran, office):
    """A violation the Tehran region recorded against the demo holder's first office."""
    response = record(tehran, office)
    assert response.status_code == 303, response.data[:300]
    [violation] = violations(demo_data)
    assert response.headers["Location"] == f"/admin/violations/{violation.id}"
    return violation
