"""SQLite under concurrent writers in several processes: WAL, busy timeout, write transactions that
take the lock at BEGIN (and wait in the kernel): no "database is locked", every save kept."""

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from bench import seed
from bench.harness import STEPS
from bench.harness import Browser
from bench.harness import gunicorn
from tests.conftest import POSTGRES_URL
from tests.conftest import make_app
from tests.faults.conftest import FULL
from tests.conftest import password_hash
from wizard import clock
from wizard import rounds
from wizard.extensions import db
from wizard.models import AuditEvent
from wizard.models import Declaration
from wizard.models import Office
from wizard.rounds import DEFAULT_RUBRIC_PATH
from wizard.rounds import load_rubric
from wizard.rules.rubric import to_stored

pytestmark = pytest.mark.skipif(bool(POSTGRES_URL), reason="SQLite only")
HOLDERS = 12
SAVES = 40 if FULL else 12
PASSWORD = "a sturdy passphrase"


@pytest.fixture
def national_data(tmp_path):
    app = make_app(tmp_path)
    with app.app_context():
        seed.load(HOLDERS)
        now = clock.now()
        rounds.create_round("round", now - timedelta(days=1), now + timedelta(days=19),
                            to_stored(load_rubric(DEFAULT_RUBRIC_PATH)), app.config["SERVICE_PERCENTS"])
        hashed = password_hash(PASSWORD)
        offices = db.session.scalars(sa.select(Office).order_by(Office.id)).all()
        for office in offices:
            office.holder.password_hash, office.holder.must_change_password = hashed, False
        db.session.commit()
        return app, [(office.holder.username, office.id) for office in offices]


def test_concurrent_writers_in_four_processes_never_see_database_is_locked(national_data, tmp_path):
    app, holders = national_data
    log = tmp_path / "server.log"
    env = {"DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "s" * 60}
    answers = {**STEPS["premises"]}
    failures, saved = [], []

    def holder_at_work(username, office):
        browser = Browser(base)
        try:
            browser.sign_in(username, PASSWORD)
            for _save in range(SAVES):
                status, _page = browser.get(f"/declaration/{office}/premises")  # the first visit writes the draft
                if status != 200:
                    failures.append(f"GET {status}")
                    continue
                status, location = browser.post(f"/declaration/{office}/premises",
                                                 {**answers, "version": browser.version()})
                if status == 303 and location.endswith("/staff"):
                    saved.append(office)
                else:
                    failures.append(f"POST {status} {location[:80]}")
        except Exception as error:  # noqa: BLE001 - every failure is reported below
            failures.append(repr(error))

    with gunicorn("wsgi:app", env=env, workers=4, extra=["--error-logfile", str(log)]) as (base, _master):
        workers = [threading.Thread(target=holder_at_work, args=holder) for holder in holders]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    assert failures == []
    assert "database is locked" not in log.read_text()
    with app.app_context():
        versions = dict(db.session.execute(sa.select(Declaration.office_id, Declaration.version)).all())
        audited = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                                    .where(AuditEvent.action == "save"))
    assert len(saved) == HOLDERS * SAVES == audited
    assert all(versions[office] == 1 + SAVES for _username, office in holders)
