"""A holder's objection in Chromium (issue 21, item 5): the results page with the objection window's countdown,
an objection with a PDF and its tracking code; the region previews and accepts a corrected value; after the
admin computes and publishes, the holder sees version 2 and what became of her objection. Phone and desktop."""

import re
from datetime import timedelta

import sqlalchemy as sa
from playwright.sync_api import Page
from playwright.sync_api import expect

from tests.conftest import HOLDER
from tests.conftest import STAFF_PASSWORD
from tests.conftest import enroll_staff
from tests.conftest import totp_code
from tests.e2e.test_accessibility import sign_in
from tests.e2e.test_accessibility import sign_out
from tests.e2e.test_results_print import PASSWORD
from tests.e2e.test_results_print import declare_and_publish
from tests.results.test_objections import PDF
from wizard import clock
from wizard.extensions import db
from wizard.models import Objection
from wizard.models import Result

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def staff_sign_in(page: Page, app, username: str):
    """Sign in with the second factor; the frozen clock moves to the next code's time step (a code is used once)."""
    clock.freeze(clock.now() + timedelta(seconds=30))
    enroll_staff(app, username)
    sign_in(page, username, STAFF_PASSWORD)
    page.locator("#code").fill(totp_code())
    page.locator("form:has(#code) button[type=submit]").click()
    expect(page.locator("#sign-out-form")).to_be_attached()


def test_a_holder_objects_and_sees_the_new_version(page: Page, live_app, frozen_clock, screenshot):
    office, first = declare_and_publish(live_app)
    page.set_viewport_size(PHONE)
    sign_in(page, HOLDER, PASSWORD)
    page.goto(f"/results/{office}")
    card = page.locator("[data-countdown]")
    expect(card).to_contain_text("مهلت اعتراض به نتایج")
    expect(card.locator("[data-unit=days]")).to_have_text(re.compile("^[۰-۹]+$"))
    assert "tone-calm" in card.get_attribute("class")
    screenshot("objection-results-phone")
    page.set_viewport_size(DESKTOP)
    screenshot("objection-results-desktop")

    page.locator("a[href$='criterion=floor_area']").click()
    expect(page.get_by_role("heading", name="اعتراض به نتیجه")).to_be_visible()
    expect(page.locator("input[name=criterion][value=floor_area]")).to_be_checked()
    page.get_by_label("چرا نادرست است").fill("مساحت دفتر ۱۶۰ متر مربع است؛ سند اجاره پیوست است.")
    page.locator("input[type=file]").set_input_files(
        {"name": "سند اجاره.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.set_viewport_size(PHONE)
    screenshot("objection-form-phone")
    page.get_by_role("button", name="ارسال اعتراض").click()
    with live_app.app_context():
        objection = db.session.scalar(sa.select(Objection))
        code, objection_id = objection.tracking_code, objection.id
    grouped = f"{code[:4]}-{code[4:8]}-{code[8:]}".translate(PERSIAN_DIGITS)
    expect(page.locator(".tracking-code")).to_have_text(grouped)
    expect(page.locator(".timeline")).to_contain_text("در انتظار پاسخ ادارهٔ استان")
    expect(page.get_by_role("link", name="سند اجاره.pdf")).to_be_visible()
    screenshot("objection-filed-phone")
    sign_out(page)

    page.set_viewport_size(DESKTOP)
    staff_sign_in(page, live_app, "tehran")
    page.goto("/admin/objections")
    page.get_by_role("link", name=re.compile(grouped[:4])).click()
    page.get_by_label("مقدار درست").fill("۱۶۰")
    page.get_by_role("button", name="نمایش امتیاز این مقدار").click()
    expect(page.locator(".notice-success")).to_contain_text("۱۵ امتیاز")
    screenshot("objection-region-preview-desktop")
    page.get_by_role("button", name="پذیرش اعتراض").click()
    expect(page.locator(".notice-success")).to_contain_text("اعتراض پذیرفته شد")
    sign_out(page)

    runner = live_app.test_cli_runner()
    assert runner.invoke(args=["results", "compute"]).exit_code == 0
    assert runner.invoke(args=["results", "publish"]).exit_code == 0
    with live_app.app_context():
        second = db.session.scalar(sa.select(Result).where(Result.office_id == office, Result.version == 2))
        assert second.breakdown["values"]["floor_area"] == 160 and second.score > first.score

    page.set_viewport_size(PHONE)
    sign_in(page, HOLDER, PASSWORD)
    page.goto(f"/results/{office}/objections/{objection_id}")
    expect(page.locator(".timeline")).to_contain_text("در نسخهٔ ۲ نتایج اعمال شد")
    screenshot("objection-applied-phone")
    page.get_by_role("link", name="دیدن نتیجه").click()
    expect(page.locator(".verification-code")).to_have_text(second.verification_code)
    expect(page.locator(".objections")).to_contain_text("این نسخهٔ ۲ نتایج است")
    screenshot("objection-new-version-phone")
    page.set_viewport_size(DESKTOP)
    screenshot("objection-new-version-desktop")
