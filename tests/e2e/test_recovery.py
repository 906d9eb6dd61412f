"""A holder who forgot her password recovers it in the browser by the code texted to her mobile (file provider)."""

import re

from playwright.sync_api import Page
from playwright.sync_api import expect

from tests.auth.test_recovery import code_in
from tests.auth.test_recovery import sent

PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def test_a_holder_recovers_her_password_by_text_message(page: Page, live_app, screenshot):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/login")
    page.get_by_role("link", name="رمز عبور را فراموش کرده‌اید؟").click()
    expect(page).to_have_url("/account/recover")
    page.get_by_role("button", name="ارسال کد").click()
    expect(page.locator(".error-summary")).to_be_focused()
    page.get_by_label("کد ملی یا نام کاربری").fill("۰۰۱۲۳۴۵۶۷۹")
    screenshot("recover-phone")
    page.get_by_role("button", name="ارسال کد").click()
    expect(page).to_have_url("/account/recover/code")
    expect(page.locator("main")).to_contain_text("۰۹۴۸***۶۴۵۴")
    [message] = sent(live_app)
    code = code_in(message)
    page.get_by_label("کد شش‌رقمی پیامک").fill(code.translate(PERSIAN))  # typed on a Persian keyboard
    screenshot("recover-code-phone")
    page.get_by_role("button", name="ادامه").click()
    expect(page).to_have_url("/account/recover/password")
    page.get_by_label("نام کاربری تازه").fill("maryam")
    page.get_by_label("رمز عبور تازه", exact=True).fill("باغ انار ۱۴۰۵")
    page.get_by_label("تکرار رمز عبور تازه").fill("باغ انار ۱۴۰۵")
    screenshot("recover-password-phone")
    page.get_by_role("button", name="ذخیرهٔ رمز عبور تازه").click()
    expect(page).to_have_url(re.compile(r"/declaration/$"))
    expect(page.get_by_role("status")).to_contain_text("رمز عبور تازهٔ شما")
    page.get_by_role("button", name="خروج").click()
    page.get_by_label("نام کاربری").fill("maryam")
    page.get_by_label("رمز عبور").fill("باغ انار ۱۴۰۵")
    page.get_by_role("button", name="ورود").click()
    expect(page).to_have_url(re.compile(r"/declaration/$"))
