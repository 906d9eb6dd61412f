"""Activation-code mode in the browser: the code from the province's office, the forced change, and the
code no longer working once a password is set (issue 23, finding 2)."""

import csv
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page
from playwright.sync_api import expect

from tests.conftest import HOLDER
from tests.conftest import make_app
from tests.e2e import conftest as e2e

NEW_PASSWORD = "باغ انار ۱۴۰۵"


@pytest.fixture
def activation_code(tmp_path, live_app):
    """The demo data imported in activation-code mode behind the browser's server; returns the holder's code."""
    (tmp_path / "coded").mkdir()  # on PostgreSQL both apps share the test database: this one empties it first
    app = make_app(tmp_path / "coded", INITIAL_CREDENTIAL="activation_code")
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    codes = max(Path(app.instance_path).glob("activation-codes-*.csv"), key=lambda p: p.stat().st_mtime)
    with codes.open(encoding="utf-8-sig") as stream:
        code = next(row["activation_code"] for row in csv.DictReader(stream) if row["national_code"] == HOLDER)
    codes.unlink()
    e2e._current.app = app
    yield code
    e2e._current.app = live_app
    e2e.retire(app)


def sign_in(page: Page, username: str, password: str):
    page.goto("/login")
    page.get_by_label("نام کاربری").fill(username)
    page.get_by_label("رمز عبور").fill(password)
    page.get_by_role("button", name="ورود").click()


def test_a_holder_activates_the_account_with_the_code(page: Page, activation_code, screenshot):
    page.goto("/login")
    expect(page.locator("main")).to_contain_text("کد فعال‌سازی")
    typed = activation_code.lower().replace("-", " ")  # as read off paper: lower case, spaces
    sign_in(page, "۰۰۱۲۳۴۵۶۷۹", typed)
    expect(page).to_have_url("/account/password")
    expect(page.locator(".lead")).to_contain_text("کد فعال‌سازی شما فقط تا آن زمان کار می‌کند")
    screenshot("activation-change-password")

    page.get_by_label("رمز عبور فعلی").fill("WRONG-CODE-0000")
    page.get_by_label("رمز عبور تازه", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("تکرار رمز عبور تازه").fill(NEW_PASSWORD)
    page.get_by_role("button", name="ذخیرهٔ رمز عبور تازه").click()
    expect(page.locator(".error-summary")).to_contain_text("رمز عبور فعلی درست نیست")

    page.get_by_label("رمز عبور فعلی").fill(activation_code)
    page.get_by_label("نام کاربری تازه").fill("maryam")
    page.get_by_label("رمز عبور تازه", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("تکرار رمز عبور تازه").fill(NEW_PASSWORD)
    page.get_by_role("button", name="ذخیرهٔ رمز عبور تازه").click()
    expect(page).to_have_url(re.compile(r"/declaration/"))
    expect(page.get_by_role("status")).to_have_text("رمز عبور شما تغییر کرد.")
    expect(page.locator(".account .who")).to_have_text("مریم احمدی")
    page.get_by_role("button", name="خروج").click()
    expect(page).to_have_url("/login")

    sign_in(page, HOLDER, activation_code)  # used up by the change
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page).to_have_url("/login")
    sign_in(page, "maryam", NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/declaration/"))
    screenshot("activation-done")


def test_a_holder_who_left_before_the_change_signs_in_with_the_code_again(page: Page, activation_code):
    sign_in(page, HOLDER, activation_code)
    expect(page).to_have_url("/account/password")
    page.context.clear_cookies()  # the browser closed before the new password was chosen
    sign_in(page, HOLDER, activation_code)
    expect(page).to_have_url("/account/password")
