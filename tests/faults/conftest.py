"""Fault tests: the app served by gunicorn in its own processes, on the test database.

`make faults` sets FAULTS_FULL=1 for the long versions (e.g. 50 killed workers instead of 6)."""

import os
import secrets

import pytest
import sqlalchemy as sa

from bench.harness import Browser
from bench.harness import gunicorn
from tests.conftest import HOLDER
from tests.conftest import password_hash
from wizard.extensions import db
from wizard.models import User

FULL = os.environ.get("FAULTS_FULL") == "1"
PASSWORD = "a sturdy passphrase"


@pytest.fixture
def served(demo_data):
    """(base URL, gunicorn master) for tests/faults/fault_app.py on this test's database."""
    with demo_data.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == HOLDER))
        user.password_hash, user.must_change_password = password_hash(PASSWORD), False
        db.session.commit()
    env = {"DATABASE_URL": demo_data.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": secrets.token_urlsafe(50)}
    with gunicorn("tests.faults.fault_app:app", env=env) as server:
        yield server


def signed_in(base: str) -> Browser:
    browser = Browser(base)
    browser.sign_in(HOLDER, PASSWORD)
    return browser
