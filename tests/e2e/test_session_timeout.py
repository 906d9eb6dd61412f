"""The session-timeout warning in Chromium: a keyboard-usable modal dialog whose "stay" really extends the session."""

import re
from datetime import datetime
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import render_template_string
from playwright.sync_api import Page
from playwright.sync_api import expect

from tests.conftest import HOLDER
from tests.conftest import password_hash
from wizard.access import roles
from wizard.extensions import db
from wizard.models import User
from wizard.rounds import open_round

PASSPHRASE = "a sturdy passphrase"
DEVICE_CLOCK = datetime(2031, 3, 1, 9, 0)  # deliberately wrong: only elapsed time counts
WARNED_AT = timedelta(minutes=28, seconds=10)  # the warning opens at 28:00 of the 30-minute idle limit
STEP = """{% extends "base.html" %}{% block content %}
<h1>Step</h1>
<form method="post" data-window-write>
  <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
  <label for="notes">Notes</label> <textarea id="notes" name="notes"></textarea>
  <button type="submit">Save</button>
</form>
{% endblock %}"""
FOCUS_IN_DIALOG = "document.activeElement.closest('dialog[open]') !== null"
TOKENS = """() => [document.querySelector('meta[name="csrf-token"]').content,
                  ...[...document.querySelectorAll('input[name="csrf_token"]')].map(i => i.value)]"""


@pytest.fixture
def signed_in_at(live_app, page: Page, frozen_clock):
    """A holder signed in (CSRF protection on, as in production) on a wizard-like page; returns the sign-in time."""
    @roles("holder")
    def step():
        return render_template_string(STEP)

    live_app.add_url_rule("/test/step", "test_step", step)
    live_app.config["WTF_CSRF_ENABLED"] = True
    with live_app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == HOLDER))
        user.password_hash, user.must_change_password = password_hash(PASSPHRASE), False
        db.session.commit()
        start = frozen_clock(open_round().opens_at + timedelta(days=1, hours=9))
    page.clock.install(time=DEVICE_CLOCK)
    page.goto("/login")
    page.get_by_label("نام کاربری").fill(HOLDER)
    page.get_by_label("رمز عبور").fill(PASSPHRASE)
    page.get_by_role("button", name="ورود").click()
    expect(page.locator(".account .who")).to_have_text("مریم احمدی")
    page.goto("/test/step")
    page.get_by_label("Notes").fill("نوشته‌ای که نباید گم شود")
    return start


def open_warning(page: Page, frozen_clock, start):
    frozen_clock(start + WARNED_AT)  # what the server's clock says when the holder answers
    dialog = page.locator("dialog#session-dialog")
    page.clock.run_for("27:59")
    expect(dialog).to_be_hidden()
    page.clock.run_for(WARNED_AT // timedelta(milliseconds=1) - 27 * 60_000 - 59_000)
    expect(dialog).to_be_visible()
    return dialog


@pytest.mark.parametrize("stay", [True, False], ids=["stays", "control-without-keep-alive"])
def test_staying_signed_in_extends_the_session_and_refreshes_the_csrf_tokens(
        page: Page, frozen_clock, screenshot, signed_in_at, stay):
    dialog = open_warning(page, frozen_clock, signed_in_at)
    stay_button = dialog.get_by_role("button", name="ادامه می‌دهم")
    expect(dialog).to_have_accessible_name("نشست شما به‌زودی به پایان می‌رسد")
    expect(dialog.locator("[data-session-left]")).to_have_text("۱:۵۰")
    expect(dialog).to_have_accessible_description(re.compile("^مدتی است با این صفحه کاری نکرده‌اید.*۱:۵۰ دیگر"))
    expect(dialog.locator("[data-countdown-mirror]")).to_contain_text("زمان باقی‌مانده: ۱۸ روز")
    expect(stay_button).to_be_focused()
    screenshot("session-warning")
    for key in ["Tab"] * 4 + ["Shift+Tab"] * 4:  # the modal keeps the keyboard inside it
        page.keyboard.press(key)
        assert page.evaluate(FOCUS_IN_DIALOG), key
    page.clock.run_for(1000)
    expect(dialog.locator("[data-session-left]")).to_have_text("۱:۴۹")

    if stay:
        # Tokens gone stale in the page's forms; the script must replace every one with the server's fresh token.
        page.evaluate("document.querySelectorAll('input[name=csrf_token]').forEach(i => { i.value = 'stale'; })")
        stay_button.focus()
        with page.expect_response("**/account/keep-alive") as answer:
            page.keyboard.press("Enter")
        assert answer.value.status == 200 and answer.value.request.method == "POST"
        fresh = answer.value.json()["csrf_token"]
        expect(dialog).to_be_hidden()
        assert set(page.evaluate(TOKENS)) == {fresh}
        assert len(page.evaluate(TOKENS)) >= 4  # the meta tag, sign-out, language switch and the step's form

    # 57 min 10 s after the last page load: idle far beyond 30 minutes unless the keep-alive counted.
    frozen_clock(signed_in_at + WARNED_AT + timedelta(minutes=29))
    page.goto("/test/step")
    if not stay:
        expect(page).to_have_url("/login?next=%2Ftest%2Fstep")
        return
    expect(page).to_have_url("/test/step")
    expect(page.locator(".account .who")).to_have_text("مریم احمدی")
    page.evaluate("document.querySelectorAll('input[name=csrf_token]').forEach(i => { i.value = 'stale'; })")
    with page.expect_response("**/account/keep-alive") as answer:  # the timer restarted with the new page
        page.clock.run_for("28:00")
        dialog.get_by_role("button", name="ادامه می‌دهم").click()
    # The refreshed token works for a real form (CSRF is on): the language switch.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url("/test/step")


def test_escape_also_stays_signed_in(page: Page, frozen_clock, signed_in_at):
    dialog = open_warning(page, frozen_clock, signed_in_at)
    with page.expect_response("**/account/keep-alive") as answer:
        page.keyboard.press("Escape")
    assert answer.value.ok
    expect(dialog).to_be_hidden()


def test_a_session_that_already_ended_is_said_so_and_the_page_is_left_alone(
        page: Page, frozen_clock, screenshot, signed_in_at):
    dialog = open_warning(page, frozen_clock, signed_in_at)
    frozen_clock(signed_in_at + timedelta(minutes=31))  # e.g. the computer slept: the server has ended the session
    with page.expect_response("**/account/keep-alive") as answer:
        dialog.get_by_role("button", name="ادامه می‌دهم").click()
    assert answer.value.status == 302
    expired = dialog.locator("p[data-session-expired]")
    expect(expired).to_have_text("نشست شما پیش از این به پایان رسیده است و تمدید نشد. برای ادامه دوباره وارد شوید.")
    expect(dialog).to_have_accessible_name("نشست شما به پایان رسید")
    expect(dialog).to_have_accessible_description(re.compile("^نشست شما پیش از این به پایان رسیده است"))
    expect(dialog.locator("p[data-session-warning]")).to_be_hidden()
    expect(dialog.get_by_role("button", name="ادامه می‌دهم")).to_be_hidden()
    close = dialog.get_by_role("button", name="بستن")
    expect(close).to_be_focused()
    screenshot("session-expired")
    close.press("Enter")
    expect(dialog).to_be_hidden()
    expect(page).to_have_url("/test/step")
    expect(page.get_by_label("Notes")).to_have_value("نوشته‌ای که نباید گم شود")


def test_without_an_answer_the_dialog_says_the_session_has_ended(page: Page, frozen_clock, signed_in_at):
    dialog = open_warning(page, frozen_clock, signed_in_at)
    page.clock.run_for("01:51")  # 30:01 after the page loaded
    expect(dialog.locator("p[data-session-expired]")).to_be_visible()
    expect(dialog.get_by_role("button", name="بستن")).to_be_focused()
