"""A worker killed at a random SQL statement of a save: the browser's retry succeeds, nothing is half-written."""

import http.client
import random

import pytest
import sqlalchemy as sa

from bench.harness import STEPS
from tests.conftest import office_id
from tests.faults.conftest import FULL
from tests.faults.conftest import signed_in
from wizard.extensions import db
from wizard.models import AuditEvent
from wizard.models import Declaration

RUNS = 50 if FULL else 6


def stored(app, office: int) -> tuple:
    """The draft's version and premises answers, and how many saves are audited."""
    with app.app_context():
        found = db.session.scalar(sa.select(Declaration).where(Declaration.office_id == office))
        saves = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "save"))
        return (found.version, (found.data.get("premises") or {}).get("raw")) if found else (None, None), saves


def test_a_worker_killed_mid_save_loses_nothing_and_the_retry_succeeds(demo_data, served):
    base, _master = served
    office = office_id(demo_data, "P-1038")
    path = f"/declaration/{office}/premises"
    browser = signed_in(base)
    browser.get(path)
    browser.post(path, {**STEPS["premises"], "version": browser.version()})
    statements = int(browser.headers["X-Fault-Statements"])  # what one save runs, commit included
    assert statements >= 5
    chance = random.Random(1405)
    for run in range(RUNS):
        answers = {**STEPS["premises"], "floor_area": str(100 + run)}
        browser.get(path)
        form = {"csrf_token": browser.token(), **answers, "version": browser.version()}
        before = stored(demo_data, office)
        kill_at = chance.randint(1, statements)
        with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
            browser.request("POST", path, form, headers={"X-Fault-Kill-At": str(kill_at)})
        assert stored(demo_data, office) == before, f"statement {kill_at} of {statements} left a half-written save"
        status, location = browser.request("POST", path, form)  # the user presses the button again
        assert status == 303 and location.endswith("/staff"), (kill_at, status, location)
        (version, raw), saves = stored(demo_data, office)
        assert (version, saves) == (before[0][0] + 1, before[1] + 1)
        assert raw["floor_area"] == [str(100 + run)]
