"""Activation-code mode: a random, single-use, expiring first credential instead of the national code."""

import csv
from pathlib import Path
from datetime import datetime
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import HOLDER
from tests.conftest import login
from tests.conftest import make_app
from tests.conftest import staff_client
from wizard.extensions import db
from wizard.models import User
from wizard.rules.deadline import TEHRAN

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=TEHRAN)


@pytest.fixture
def coded(tmp_path, frozen_clock):
    """The demo data imported in activation-code mode, with the codes file the regions get."""
    frozen_clock(NOW)
    app = make_app(tmp_path, INITIAL_CREDENTIAL="activation_code")
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    path = max(Path(app.instance_path).glob("activation-codes-*.csv"), key=lambda p: p.stat().st_mtime)
    with path.open(encoding="utf-8-sig") as stream:
        codes = {row["national_code"]: row for row in csv.DictReader(stream)}
    path.unlink()
    yield app, codes
    with app.app_context():
        db.engine.dispose()


def test_import_writes_a_code_for_every_new_holder(coded):
    app, codes = coded
    assert len(codes) == 12
    row = codes[HOLDER]
    assert row["full_name"] == "مریم احمدی" and row["provinces"] == "تهران"
    assert row["expires"] == "1405/10/07"  # 30 days later, Jalali
    with app.app_context():
        stored = db.session.scalar(sa.select(User.activation_code_hash).where(User.username == HOLDER))
    assert stored and row["activation_code"] not in stored  # only a keyed hash is kept


def test_the_national_code_is_not_a_credential_in_this_mode(coded):
    app, _codes = coded
    assert login(app.test_client(), HOLDER, HOLDER).status_code == 200
    page = app.test_client().get("/login").get_data(as_text=True)
    assert "کد فعال‌سازی" in page


NEW_PASSWORD = "باغ انار ۱۴۰۵"


def activate(client, code, password=NEW_PASSWORD):
    """Sign in with the code and make the forced change, typing the code as the current credential."""
    first = login(client, HOLDER, code.lower().replace("-", " "))
    assert first.status_code == 302 and first.headers["Location"] == "/account/password"
    return client.post("/account/password", data={"current_password": code, "new_password": password,
                                                  "confirm_password": password, "new_username": "maryam"})


def test_the_code_activates_the_account_once(coded):
    app, codes = coded
    code = codes[HOLDER]["activation_code"]
    client = app.test_client()
    changed = activate(client, code)
    assert changed.status_code == 302 and changed.headers["Location"] == "/declaration/"
    assert client.get("/").status_code == 200
    assert login(app.test_client(), HOLDER, code).status_code == 200  # used up by the change
    assert login(app.test_client(), HOLDER, NEW_PASSWORD).status_code == 200  # the national code is no username now
    assert login(app.test_client(), "maryam", NEW_PASSWORD).status_code == 302


def test_a_browser_closed_before_the_change_can_sign_in_with_the_code_again(coded):
    app, codes = coded
    code = codes[HOLDER]["activation_code"]
    assert login(app.test_client(), HOLDER, code).status_code == 302
    assert activate(app.test_client(), code).headers["Location"] == "/declaration/"


def test_the_change_page_asks_for_the_activation_code(coded):
    app, codes = coded
    client = app.test_client()
    login(client, HOLDER, codes[HOLDER]["activation_code"])
    text = client.get("/account/password").get_data(as_text=True)
    assert "کد فعال‌سازی" in text and "کد ملی شما را دیگران" not in text


def test_the_code_expires(coded, frozen_clock):
    app, codes = coded
    frozen_clock(NOW + timedelta(days=30, seconds=1))
    assert login(app.test_client(), HOLDER, codes[HOLDER]["activation_code"]).status_code == 200


def test_a_staff_reset_issues_a_new_code_shown_once(coded):
    app, codes = coded
    region = staff_client(app, "tehran")
    with app.app_context():
        holder_id = db.session.scalar(sa.select(User.id).where(User.username == HOLDER))
    page = region.post(f"/admin/holders/{holder_id}/reset-password", follow_redirects=True).get_data(as_text=True)
    new_code = page.split("(فقط همین یک بار نشان داده می‌شود): ")[1][:14]
    assert login(app.test_client(), HOLDER, codes[HOLDER]["activation_code"]).status_code == 200
    assert activate(app.test_client(), new_code).headers["Location"] == "/declaration/"


def test_a_staff_reset_after_activation_starts_a_new_activation(coded):
    app, codes = coded
    activate(app.test_client(), codes[HOLDER]["activation_code"])
    region = staff_client(app, "tehran")
    with app.app_context():
        holder_id = db.session.scalar(sa.select(User.id).where(User.national_code == HOLDER))
    page = region.post(f"/admin/holders/{holder_id}/reset-password", follow_redirects=True).get_data(as_text=True)
    new_code = page.split("(فقط همین یک بار نشان داده می‌شود): ")[1][:14]
    assert login(app.test_client(), HOLDER, NEW_PASSWORD).status_code == 200
    assert activate(app.test_client(), new_code, "کوه دماوند ۵۶۷۱").headers["Location"] == "/declaration/"


def test_codes_can_be_reissued_for_a_province(coded, tmp_path):
    app, codes = coded
    out = tmp_path / "tehran.csv"
    result = app.test_cli_runner().invoke(args=["activation-codes", "--province", "تهران", "--output", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig") as stream:
        fresh = {row["national_code"]: row["activation_code"] for row in csv.DictReader(stream)}
    assert HOLDER in fresh and "0836388887" not in fresh  # Isfahan holders are not in Tehran's file
    assert login(app.test_client(), HOLDER, codes[HOLDER]["activation_code"]).status_code == 200
    assert login(app.test_client(), HOLDER, fresh[HOLDER]).status_code == 302
