"""A holder's first sign-in in the browser: national code in Persian digits, forced change, her declaration."""

import re

from playwright.sync_api import Page
from playwright.sync_api import expect


def test_first_login_forces_a_password_change_then_reaches_the_declaration(page: Page, screenshot):
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.get_by_label("نام کاربری").fill("۰۰۱۲۳۴۵۶۷۹")
    page.get_by_label("رمز عبور").fill("۰۰۱۲۳۴۵۶۷۹")
    screenshot("login-fa")
    page.get_by_role("button", name="ورود").click()
    expect(page).to_have_url("/account/password")
    expect(page.locator("h1")).to_have_text("تغییر رمز عبور")
    page.goto("/")  # anything else leads back to the change page
    expect(page).to_have_url("/account/password")

    page.get_by_label("رمز عبور فعلی").fill("0012345679")
    page.get_by_label("رمز عبور تازه", exact=True).fill("123")
    page.get_by_label("تکرار رمز عبور تازه").fill("123")
    page.get_by_role("button", name="ذخیرهٔ رمز عبور تازه").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("دست‌کم ۸ نویسه")
    expect(summary).to_contain_text("یک نام کاربری برگزینید")  # the national code stops signing in
    expect(summary).to_be_focused()  # GOV.UK's pattern: the summary is read first
    screenshot("change-password-error")
    summary.get_by_role("link", name="دست‌کم ۸ نویسه").click()
    expect(page.get_by_label("رمز عبور تازه", exact=True)).to_be_focused()

    page.get_by_label("رمز عبور فعلی").fill("0012345679")
    page.get_by_label("نام کاربری تازه").fill("maryam")
    page.get_by_label("رمز عبور تازه", exact=True).fill("باغ انار ۱۴۰۵")
    page.get_by_label("تکرار رمز عبور تازه").fill("باغ انار ۱۴۰۵")
    page.get_by_role("button", name="ذخیرهٔ رمز عبور تازه").click()
    expect(page).to_have_url(re.compile(r"/declaration/$"))  # her declaration: she has two offices to pick from
    expect(page.get_by_role("status")).to_have_text("رمز عبور شما تغییر کرد.")
    expect(page.locator(".account .who")).to_have_text("مریم احمدی")
    screenshot("home-signed-in")

    page.get_by_role("button", name="خروج").click()
    expect(page).to_have_url("/login")
