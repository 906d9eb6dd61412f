"""The whole journey of a holder in Chromium: sign in, six steps, staff rows without JavaScript,
check answers, submit, receipt. Screenshots land in tests/e2e/shots/."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page
from playwright.sync_api import expect

from wizard.extensions import db
from wizard.models import Submission

PASSWORD = "باغ انار ۱۴۰۵"


@pytest.fixture
def browser_context_args(browser_context_args):
    # Forms must work with JavaScript off: the journey runs without it.
    return {**browser_context_args, "java_script_enabled": False}


def fill_person(page: Page, index: int, code: str, name: str, role: str, insured: bool):
    page.fill(f"#staff-{index}-national_code", code)
    page.fill(f"#staff-{index}-full_name", name)
    page.check(f"#staff-{index}-role-{0 if role == 'manager' else 1}")
    page.select_option(f"#staff-{index}-education", "bachelor")
    page.check(f"#staff-{index}-insured-{0 if insured else 1}")
    if insured:
        page.fill(f"#staff-{index}-insurance_number", "۱۲۳۴۵۶۷")
    page.check(f"#staff-{index}-disability-1")
    page.fill(f"#staff-{index}-start_date-day", "۱")
    page.fill(f"#staff-{index}-start_date-month", "۷")
    page.fill(f"#staff-{index}-start_date-year", "۱۳۹۸")


def save(page: Page):
    page.get_by_role("button", name="ذخیره و ادامه").last.click()


def test_a_holder_declares_and_submits_without_javascript(page: Page, screenshot, live_app):
    page.goto("/login")
    page.get_by_label("نام کاربری").fill("۰۰۱۲۳۴۵۶۷۹")
    page.get_by_label("رمز عبور").fill("۰۰۱۲۳۴۵۶۷۹")
    page.get_by_role("button", name="ورود").click()
    page.get_by_label("رمز عبور فعلی").fill("0012345679")
    page.get_by_label("نام کاربری تازه").fill("maryam")
    page.get_by_label("رمز عبور تازه", exact=True).fill(PASSWORD)
    page.get_by_label("تکرار رمز عبور تازه").fill(PASSWORD)
    page.get_by_role("button", name="ذخیرهٔ رمز عبور تازه").click()

    page.goto("/declaration/")
    screenshot("journey-0-offices")
    page.locator(".office-list a").first.click()
    expect(page.locator("h1")).to_have_text("خوداظهاری شما")
    screenshot("journey-1-tasks")
    page.get_by_role("link", name="پروانه و دفتر").click()

    page.get_by_label("تلفن دفتر").fill("۰۲۱-۸۸۷۷۶۶۵۵")
    page.get_by_label("تلفن همراه").fill("۰۹۱۲۱۲۳۴۵۶۷")
    page.fill("#activity_start-day", "۱")
    page.fill("#activity_start-month", "۷")
    page.fill("#activity_start-year", "۱۳۹۵")
    screenshot("journey-2-license")
    save(page)

    expect(page.locator("h1")).to_have_text("نشانی و محدودهٔ خدمت")
    page.get_by_label("کد پستی").fill("۱۴۳۵۶۷۸۹۰۱")
    page.get_by_label("نشانی").fill("تهران، خیابان ولیعصر، کوچه ۱۰، پلاک ۲")
    save(page)

    expect(page.locator("h1")).to_have_text("محل و تجهیزات")
    for label, value in (("مساحت (مترمربع)", "۸۰"), ("تعداد باجه", "۴"), ("رایانه", "۶"), ("چاپگر", "۲"),
                         ("اسکنر", "۱"), ("کارت‌خوان و پایانهٔ فروش", "۲"),
                         ("پهنای باند اینترنت (مگابیت بر ثانیه)", "۵۰"), ("صندلی انتظار", "۱۲")):
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("استیجاری").check()
    page.locator("#accessible-0").check()
    save(page)
    expect(page.locator("h1")).to_have_text("کاربران")

    fill_person(page, 0, "۰۰۱۲۳۴۵۶۷۹", "مریم احمدی", "manager", insured=True)
    page.get_by_role("button", name="افزودن فرد دیگر").click()
    fill_person(page, 1, "۱۵۸۳۲۵۰۶۸۹", "علی کریمی", "operator", insured=False)
    page.get_by_role("button", name="افزودن فرد دیگر").click()
    fill_person(page, 2, "۴۱۱۱۱۱۱۱۱۴", "سارا نوری", "operator", insured=False)
    expect(page.locator("fieldset.staff-row")).to_have_count(3)
    screenshot("journey-3-staff-three-rows")
    page.get_by_role("button", name="حذف فرد ۲").click()
    expect(page.locator("fieldset.staff-row")).to_have_count(2)
    expect(page.locator("#staff-1-full_name")).to_have_value("سارا نوری")
    save(page)

    expect(page.locator("h1")).to_have_text("ساعات کار و خدمات")
    page.get_by_label("روزهای کاری در هفته").fill("۶")
    page.get_by_label("ساعت شروع کار (ساعت:دقیقه)").fill("۰۷:۳۰")
    page.get_by_label("ساعت پایان کار (ساعت:دقیقه)").fill("۱۵:۳۰")
    page.get_by_label("تعداد نوبت کاری در روز").fill("۱")
    page.get_by_label("خدماتی که اکنون ارائه می‌شود").fill("۱۲۰")
    page.get_by_label("میانگین تراکنش در ماه").fill("۲۵۰۰")
    save(page)

    expect(page.locator("h1")).to_have_text("بررسی پاسخ‌ها و اعلام")
    expect(page.locator("main")).to_contain_text("سارا نوری")
    expect(page.locator("main")).not_to_contain_text("علی کریمی")
    screenshot("journey-4-review")
    page.get_by_role("button", name="ارسال خوداظهاری").click()
    expect(page.locator(".error-summary")).to_contain_text("خانهٔ اعلام را علامت بزنید")
    page.locator("#declare").check()
    page.get_by_role("button", name="ارسال خوداظهاری").click()

    expect(page.locator("h1")).to_have_text("خوداظهاری ثبت شد")
    code = page.locator(".tracking-code").inner_text()
    assert re.fullmatch("[۰-۹]{4}-[۰-۹]{4}-[۰-۹]{2}", code)
    screenshot("journey-5-receipt")
    page.emulate_media(media="print")
    screenshot("journey-6-receipt-print")
    page.go_back()  # Back and refresh after the submit show pages, never a second submission
    page.reload()
    with live_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 1
