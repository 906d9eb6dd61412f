"""Two app processes on different ports sharing the database and Redis, as behind a load balancer:
a session made on one works on the other, and the sign-in limits hold across both."""

import contextlib
import uuid

import pytest
import redis
import sqlalchemy as sa

from bench.harness import STEPS
from bench.harness import Browser
from bench.harness import gunicorn
from tests.conftest import HOLDER
from tests.conftest import OTHER_HOLDER
from tests.conftest import office_id
from tests.auth.test_limits import redis_available
from tests.conftest import password_hash
from wizard.extensions import db
from wizard.models import User

REDIS_URL = "redis://127.0.0.1:6379/15"
PASSWORD = "a sturdy passphrase"

pytestmark = [pytest.mark.skipif(not redis_available(), reason="no Redis on 127.0.0.1:6379"),
              pytest.mark.xdist_group("redis-15")]  # Redis database 15 is shared: one worker runs these


@pytest.fixture
def two_processes(demo_data):
    with demo_data.app_context():
        for username in (HOLDER, OTHER_HOLDER):
            user = db.session.scalar(sa.select(User).where(User.username == username))
            user.password_hash, user.must_change_password = password_hash(PASSWORD), False
        db.session.commit()
    prefix = f"scale-{uuid.uuid4().hex}"
    env = {"DATABASE_URL": demo_data.config["SQLALCHEMY_DATABASE_URI"], "REDIS_URL": REDIS_URL,
           "SECRET_KEY": "one secret shared by every process " * 2, "WIZARD_LOGIN_LIMIT": "3 per 15 minutes",
           "WIZARD_LIMIT_PREFIX": prefix}
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(gunicorn("tests.scale_app:app", env=env, workers=1))[0] for _ in range(2)]
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)
    client.close()


def on(base: str, cookies: dict) -> Browser:
    browser = Browser(base)
    browser.cookies = dict(cookies)
    return browser


def test_a_session_made_on_one_process_works_on_the_other(demo_data, two_processes):
    first, second = two_processes
    office = office_id(demo_data, "P-1038")
    signed_in = Browser(first)
    signed_in.sign_in(HOLDER, PASSWORD)
    elsewhere = on(second, signed_in.cookies)
    status, _page = elsewhere.get(f"/declaration/{office}/premises")
    assert status == 200
    status, location = elsewhere.post(f"/declaration/{office}/premises", {**STEPS["premises"],
                                                                          "version": elsewhere.version()})
    assert status == 303 and location.endswith("/staff")  # the CSRF token of one process passes on the other
    assert elsewhere.post("/logout", {})[0] in (302, 303)
    back_on_first = on(first, signed_in.cookies)
    status, location = back_on_first.get(f"/declaration/{office}/")
    assert status == 302 and "/login" in location  # signing out on one process ended it on both


def test_sign_in_limits_hold_across_both_processes(two_processes):
    first, second = two_processes
    answers = []
    for attempt in range(4):  # three failures allowed per address, wherever they land
        browser = Browser((first, second)[attempt % 2])
        browser.get("/login")
        answers.append(browser.post("/login", {"username": f"someone{attempt}", "password": "wrong password"})[0])
    assert answers == [200, 200, 200, 429]
    browser = Browser(second)
    browser.get("/login")
    assert browser.post("/login", {"username": OTHER_HOLDER, "password": PASSWORD})[0] == 429

