"""The database goes away: requests meanwhile get a Persian "try again" page (503), and the first
request after it is back succeeds (pool_pre_ping replaces the dead connections)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from bench.harness import STEPS
from tests.conftest import POSTGRES_URL
from tests.conftest import make_app
from tests.conftest import office_id
from tests.faults.conftest import signed_in

UNAVAILABLE = "سامانه لحظاتی در دسترس نیست"


def test_an_unreachable_database_gets_the_persian_try_again_page(tmp_path):
    app = make_app(tmp_path, schema=False, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'missing' / 'x.sqlite'}")
    response = app.test_client().get("/")  # the home page asks for the round
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "10"
    page = BeautifulSoup(response.data, "html.parser")
    assert page.html["lang"] == "fa" and page.html["dir"] == "rtl"
    assert UNAVAILABLE in page.select_one("h1").get_text()


def _cluster() -> list[str]:
    version = sorted(os.listdir("/etc/postgresql"))[0]
    return ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]


@pytest.mark.alone  # stopping the server would fail whatever else runs against it meanwhile
@pytest.mark.skipif(not POSTGRES_URL or not shutil.which("pg_ctlcluster") or not Path("/etc/postgresql").is_dir()
                    or os.geteuid() != 0, reason="restarts the local PostgreSQL cluster (CI's PostgreSQL pass)")
def test_postgresql_restarted_mid_run(demo_data, served):
    base, _master = served
    office = office_id(demo_data, "P-1038")
    path = f"/declaration/{office}/premises"
    browser = signed_in(base)
    assert browser.get(path)[0] == 200
    token, version = browser.token(), browser.version()
    subprocess.run([*_cluster(), "stop", "--", "-m", "fast"], check=True)
    try:
        status, page = browser.get(path)
        assert status == 503 and UNAVAILABLE in page
        assert browser.headers["Retry-After"] == "10"
        status, page = browser.request("POST", path, {"csrf_token": token, **STEPS["premises"], "version": version})
        assert status == 503 and UNAVAILABLE in page
    finally:
        subprocess.run([*_cluster(), "start"], check=True)  # waits until the server accepts connections
    assert browser.get(path)[0] == 200
    status, location = browser.post(path, {**STEPS["premises"], "version": browser.version()})
    assert status == 303 and location.endswith("/staff")
