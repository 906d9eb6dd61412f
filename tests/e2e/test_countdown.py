"""The live countdown in Chromium: driven by the server's time even when the device clock is wrong (SPEC §3)."""

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
# Device clocks years off either way: a script reading Date would show years left, or "closed" at once.
WRONG_CLOCKS = [datetime(2031, 3, 1, 9, 0), datetime(2012, 6, 1, 9, 0)]
WIZARD_STEP = """{% extends "base.html" %}{% block content %}
<h1>Step</h1>
<form method="post" data-window-write>
  <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
  <label for="office-name">Office name</label> <input id="office-name" name="office_name">
  <label for="notes">Notes</label> <textarea id="notes" name="notes"></textarea>
  <button type="submit">Save</button>
</form>
{% endblock %}"""


def demo_deadline(app) -> datetime:
    with app.app_context():
        return open_round().deadline


def countdown_text(page: Page):
    return page.locator("[data-countdown-text]")


@pytest.mark.parametrize("device_clock", WRONG_CLOCKS, ids=["device-years-ahead", "device-years-behind"])
def test_the_live_countdown_runs_on_server_time_and_closes_at_zero(
        live_app, page: Page, frozen_clock, screenshot, device_clock):
    deadline = demo_deadline(live_app)
    frozen_clock(deadline - timedelta(minutes=2, seconds=30))
    page.clock.install(time=device_clock)
    page.goto("/")
    card = page.locator("[data-countdown]")
    expect(countdown_text(page)).to_have_text("زمان باقی‌مانده: ۰ روز، ۰ ساعت و ۲ دقیقه")
    expect(card).to_have_class("round-card countdown-card tone-urgent")
    page.evaluate("window.sameDocument = true")  # gone if anything reloads the page

    page.clock.run_for(30_001)  # 1 min 59.999 s left
    expect(countdown_text(page)).to_have_text("زمان باقی‌مانده: ۰ روز، ۰ ساعت و ۱ دقیقه")
    page.clock.run_for("01:00")  # 59.999 s left: still open
    expect(countdown_text(page)).to_have_text("زمان باقی‌مانده: ۰ روز، ۰ ساعت و ۰ دقیقه")
    page.clock.run_for("01:00")  # past the deadline
    expect(countdown_text(page)).to_have_text("مهلت ثبت اطلاعات به پایان رسیده است.")
    expect(card).to_have_class("round-card countdown-card tone-closed")
    assert page.evaluate("window.sameDocument") is True
    screenshot(f"countdown-closed-live-{device_clock.year}")


def test_the_tone_changes_in_the_last_24_hours(live_app, page: Page, frozen_clock):
    deadline = demo_deadline(live_app)
    frozen_clock(deadline - timedelta(hours=24, seconds=30))
    page.clock.install(time=WRONG_CLOCKS[0])
    page.goto("/")
    card = page.locator("[data-countdown]")
    expect(card).to_have_class("round-card countdown-card tone-soon")
    expect(countdown_text(page)).to_have_text("زمان باقی‌مانده: ۱ روز، ۰ ساعت و ۰ دقیقه")
    page.clock.run_for(30_001)
    expect(card).to_have_class("round-card countdown-card tone-urgent")
    expect(countdown_text(page)).to_have_text("زمان باقی‌مانده: ۰ روز، ۲۳ ساعت و ۵۹ دقیقه")


@pytest.fixture
def wizard_step(live_app):
    """A holder page with a [data-window-write] form, as the wizard's steps have (registered before any request)."""
    @roles("holder")
    def step():
        return render_template_string(WIZARD_STEP)

    live_app.add_url_rule("/test/step", "test_step", step)
    with live_app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == HOLDER))
        user.password_hash, user.must_change_password = password_hash(PASSPHRASE), False
        db.session.commit()
    return "/test/step"


def sign_in(page: Page):
    page.goto("/login")
    page.get_by_label("نام کاربری").fill(HOLDER)
    page.get_by_label("رمز عبور").fill(PASSPHRASE)
    page.get_by_role("button", name="ورود").click()
    expect(page.locator(".account .who")).to_have_text("مریم احمدی")


def test_at_zero_the_wizard_form_becomes_read_only_without_a_reload(
        live_app, page: Page, frozen_clock, screenshot, wizard_step):
    deadline = demo_deadline(live_app)
    frozen_clock(deadline - timedelta(minutes=2, seconds=30))
    page.clock.install(time=WRONG_CLOCKS[1])
    sign_in(page)
    page.goto(wizard_step)
    expect(countdown_text(page)).to_have_text("زمان باقی‌مانده: ۰ روز، ۰ ساعت و ۲ دقیقه")
    form = page.locator("form[data-window-write]")
    page.get_by_label("Office name").fill("دفتر پیشخوان ۱۲۳")
    page.get_by_label("Notes").fill("نوشته‌ای که نباید گم شود")
    expect(form.locator("input, textarea, button")).to_have_count(4)
    for control in form.locator("input, textarea, button").all():
        expect(control).to_be_enabled()

    page.clock.run_for("03:00")
    expect(countdown_text(page)).to_have_text("مهلت ثبت اطلاعات به پایان رسیده است.")
    for control in form.locator("input, textarea, button").all():
        expect(control).to_be_disabled()
    expect(page.get_by_label("Office name")).to_have_value("دفتر پیشخوان ۱۲۳")  # nothing typed is lost
    expect(page.get_by_label("Notes")).to_have_value("نوشته‌ای که نباید گم شود")
    notice = form.locator("xpath=preceding-sibling::*[1]")
    expect(notice).to_have_text("مهلت ثبت اطلاعات به پایان رسیده است و این فرم دیگر فرستاده نمی‌شود. "
                                "آنچه نوشته‌اید همچنان در این صفحه دیده می‌شود.")
    expect(notice).to_be_focused()  # the focus was in the notes field, which can no longer hold it
    # The language switch and sign-out are not declaration writes: they stay usable.
    expect(page.get_by_role("button", name="English")).to_be_enabled()
    screenshot("countdown-form-read-only")
