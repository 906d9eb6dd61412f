"""Fixtures and helpers of the final approval, the agencies' file and API (issue 21, item 6), shared by tests/admin,
tests/api and tests/public."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.cycle import run
from wizard.extensions import db
from wizard.models import Round


def after_objections(app) -> object:
    """A moment one second after the objection window of round 1 closed."""
    with app.app_context():
        return db.session.get(Round, 1).objections_close_at + timedelta(seconds=1)


def at(frozen_clock, moment, *clients):
    """Move the clock, keeping the clients' sessions alive (the idle timeout counts on the same clock)."""
    frozen_clock(moment)
    for client in clients:
        with client.session_transaction() as session:
            session["seen"] = session["started"] = int(moment.timestamp())
    return moment


@pytest.fixture
def approved(published, demo_data, frozen_clock):
    """Version 1 of the results published, its objection window over, approved as final from the command line."""
    frozen_clock(after_objections(demo_data))
    result = run(demo_data, "results", "approve")
    assert "قطعی" in result.output, result.output
    return published


def round_row(app, round_id: int = 1) -> Round:
    with app.app_context():
        found = db.session.get(Round, round_id)
        db.session.expunge(found)
        return found


def set_office_code(app, license_number: str, code: str) -> None:
    from wizard.models import Office

    with app.app_context():
        db.session.execute(sa.update(Office).where(Office.license_number == license_number).values(office_code=code))
        db.session.commit()
