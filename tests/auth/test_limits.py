"""Failed sign-ins per client address: Flask-Limiter counts failures only; with Redis the count
holds across app processes."""

import os
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.conftest import HOLDER
from tests.conftest import OTHER_HOLDER
from tests.conftest import POSTGRES_URL
from tests.conftest import login
from tests.conftest import make_app

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/15"
pytestmark = pytest.mark.xdist_group("redis-15")  # shared with tests/test_scale_out.py: one worker runs these


@pytest.fixture
def limited(tmp_path):
    app = make_app(tmp_path, LOGIN_ADDRESS_LIMIT="3 per 15 minutes")
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    return app


def test_failures_from_one_address_are_limited(limited):
    client = limited.test_client()
    for number in range(3):
        assert login(client, f"user{number}", "wrong-password").status_code == 200
    response = login(client, HOLDER, HOLDER)
    assert response.status_code == 429
    assert "تلاش‌های بیش از حد" in response.get_data(as_text=True)


def test_a_429_says_when_to_try_again(limited):
    """Retry-After (an HTTP date) and the same moment on the page, in Tehran time (issue 23, finding 10)."""
    from datetime import UTC
    from datetime import datetime

    from werkzeug.http import parse_date

    client = limited.test_client()
    for number in range(3):
        login(client, f"user{number}", "wrong-password")
    response = login(client, HOLDER, HOLDER)
    retry_at = parse_date(response.headers["Retry-After"])
    assert 0 < (retry_at - datetime.now(UTC)).total_seconds() <= 16 * 60  # rounded up to a whole minute
    assert "(به وقت تهران) دوباره تلاش کنید" in response.get_data(as_text=True)


def test_the_sign_in_429_page_shows_the_retry_after_moment_in_jalali_tehran_time(limited):
    """The moment on the page is the header's, to the minute: the header is rounded up to a whole minute,
    so a user who comes back at the minute shown is not refused again."""
    from bs4 import BeautifulSoup
    from werkzeug.http import parse_date

    from wizard.rules import jalali

    client = limited.test_client()
    for number in range(3):
        login(client, f"user{number}", "wrong-password")
    for language in ("fa", "en"):
        with client.session_transaction() as session:
            session["lang"] = language
        response = login(client, HOLDER, HOLDER)
        assert response.status_code == 429
        retry_at = parse_date(response.headers["Retry-After"])
        assert retry_at.second == 0
        text = " ".join(BeautifulSoup(response.data, "html.parser").select_one("main").get_text().split())
        assert jalali.format_datetime(retry_at, locale=language) in text, text
        if language == "fa":
            assert "ساعت" in text and not any(char in "0123456789" for char in text)


def test_a_429_with_retry_after_in_seconds_says_when_too(app, frozen_clock):
    from datetime import datetime

    from werkzeug.exceptions import TooManyRequests

    from wizard.access import public
    from wizard.rules.deadline import TEHRAN

    frozen_clock(datetime(2026, 11, 28, 10, 0, 30, tzinfo=TEHRAN))

    @app.get("/busy")
    @public
    def busy():
        raise TooManyRequests(retry_after=90)

    response = app.test_client().get("/busy")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "Sat, 28 Nov 2026 06:32:00 GMT"  # 10:02 in Tehran, rounded up
    assert "۷ آذر ۱۴۰۵، ساعت ۱۰:۰۲" in response.get_data(as_text=True)


def test_successful_sign_ins_do_not_count(limited):
    client = limited.test_client()
    for _attempt in range(5):
        assert login(limited.test_client(), OTHER_HOLDER, OTHER_HOLDER).status_code == 302
    assert login(client, HOLDER, HOLDER).status_code == 302


def test_another_address_is_not_affected(limited):
    for number in range(4):
        login(limited.test_client(), f"user{number}", "wrong-password")
    other = limited.test_client()
    response = other.post("/login", data={"username": HOLDER, "password": HOLDER},
                          environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert response.status_code == 302


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_available() and not os.environ.get("CI"), reason="no Redis on 127.0.0.1:6379")
def test_the_limit_holds_across_two_processes_sharing_redis(tmp_path):
    """Two real app processes: with memory storage each would allow the limit again."""
    database = POSTGRES_URL or f"sqlite:///{tmp_path / 'shared.sqlite'}"
    prefix = f"test-{uuid.uuid4().hex}"
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=database)
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    env = {**os.environ, "DATABASE_URL": database, "REDIS_URL": REDIS_URL, "SECRET_KEY": "x" * 50,
           "WIZARD_TEST_LIMITS": f"4 per 15 minutes;{prefix}"}
    ports = [free_port(), free_port()]
    servers = [subprocess.Popen([sys.executable, "-m", "tests.serve_app", str(port)], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) for port in ports]
    try:
        for server in servers:
            assert server.stdout.readline().strip() == "ready"
        statuses = [failed_login(ports[attempt % 2], f"someone{attempt}") for attempt in range(6)]
        assert statuses == [200, 200, 200, 200, 429, 429]  # alternating between the two processes
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
            server.stdout.close()
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"*{prefix}*"):
            client.delete(key)
        client.close()


def failed_login(port: int, username: str) -> int:
    body = urllib.parse.urlencode({"username": username, "password": "wrong-password"}).encode()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", data=body, timeout=10) as reply:
            return reply.status
    except urllib.error.HTTPError as refused:
        refused.close()
        return refused.code


def test_the_public_verify_page_is_limited_per_address(limited):
    client = limited.test_client()
    assert all(client.get("/verify").status_code == 200 for _ in range(30))
    assert client.get("/verify").status_code == 429
    assert client.get("/").status_code == 200  # pages without a limit are not counted at all
