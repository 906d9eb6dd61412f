"""A region's day in Chromium: dashboard with its chart → office list in pages → non-submitters → exports
(CSV and Excel) → accept a correction request; at desktop width and on a 360 px phone."""

import csv
import io
from datetime import date
from datetime import timedelta

import sqlalchemy as sa
from openpyxl import load_workbook
from playwright.sync_api import Page
from playwright.sync_api import expect

from tests.conftest import STAFF_PASSWORD
from tests.conftest import enroll_staff
from tests.conftest import totp_code
from wizard import clock
from wizard.extensions import db
from wizard.models import Area
from wizard.models import CorrectionRequest
from wizard.models import Office
from wizard.models import Round
from wizard.models import Submission
from wizard.models import User

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
NAMES = ("پرستو", "کامران", "ژیلا", "هومن", "گلناز", "بیژن", "چکاوک", "وحید", "یلدا", "سامان")


def a_busy_province(app, offices: int = 600) -> None:
    """Tehran with many offices, in a round that opened a week ago, submitted on some of its days."""
    with app.app_context():
        round_ = db.session.get(Round, 1)
        round_.opens_at = clock.now() - timedelta(days=6)
        area = db.session.scalar(sa.select(Area).where(Area.province == "تهران"))
        holders = []
        for number, name in enumerate(NAMES):
            holder = User(username=f"busy{number}", role="holder", full_name=f"{name} نمونه", mobile=f"0912000{number:04d}",
                          must_change_password=True)
            db.session.add(holder)
            holders.append(holder)
        db.session.flush()
        for number in range(offices):
            db.session.add(Office(license_number=f"B-{number:04d}", office_code=f"BUSY{number:04d}",
                                  office_type="pishkhan", province="تهران", area_id=area.id,
                                  license_date=date(2020, 1, 1), holder_id=holders[number % len(holders)].id))
        db.session.flush()
        busy = db.session.scalars(sa.select(Office.id).where(Office.license_number.like("B-%"))
                                  .order_by(Office.license_number)).all()
        per_day = (40, 0, 25, 60, 10, 0, 35)  # days 1..7 of the window, today last
        start = 0
        for day, count in enumerate(per_day):
            for office_id in busy[start:start + count]:
                db.session.add(Submission(office_id=office_id, round_id=1, number=1, snapshot="{}", sha256="0" * 64,
                                          tracking_code=f"{office_id:010d}", draft_version=2,
                                          submitted_at=round_.opens_at + timedelta(days=day, minutes=5)))
            start += count
        db.session.commit()


def file_a_correction_request(app) -> int:
    with app.app_context():
        office = db.session.scalar(sa.select(Office).where(Office.license_number == "P-1038"))
        holder = db.session.scalar(sa.select(User).where(User.national_code == "0012345679"))
        db.session.add(CorrectionRequest(office_id=office.id, requested_by=holder.id, field="office_code",
                                         current_value=office.office_code, requested_value="TEH21060",
                                         reason="کد دفتر در پروانه یک رقم اشتباه دارد."))
        db.session.commit()
        return office.id


def test_a_region_runs_its_day_in_the_browser(page: Page, live_app, screenshot):
    office_id = file_a_correction_request(live_app)
    a_busy_province(live_app)
    page.set_viewport_size(DESKTOP)
    enroll_staff(live_app, "tehran")
    page.goto("/login")
    page.get_by_label("نام کاربری").fill("tehran")
    page.get_by_label("رمز عبور").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="ورود").click()
    page.get_by_label("کد شش‌رقمی برنامهٔ احراز هویت").fill(totp_code())
    page.get_by_role("button", name="ادامه").click()

    expect(page.locator("h1")).to_have_text("نمای کلی پیشرفت")
    expect(page.locator("table.progress tbody tr")).to_have_count(1)
    chart = page.get_by_role("img", name="دفاتری که برای نخستین بار اظهارنامه فرستادند، روز به روز")
    expect(chart).to_be_visible()
    expect(chart.locator(".chart-bars rect")).to_have_count(7)
    bars = chart.locator(".chart-bars rect").evaluate_all("rects => rects.map(r => r.getBoundingClientRect().height)")
    assert bars[3] > bars[0] > bars[6] > bars[4] > 0 and bars[1] == bars[5] == 0  # 60 > 40 > 35 > 10, none on two days
    table = page.locator("table.trend")
    chart_box, table_box = chart.bounding_box(), table.bounding_box()
    assert table_box["x"] + table_box["width"] <= chart_box["x"] + 1  # the table beside the chart (to its left)
    screenshot("region-1-dashboard")
    page.set_viewport_size(PHONE)
    chart_box = chart.bounding_box()
    assert chart_box["width"] <= PHONE["width"] and chart_box["height"] > 100  # scaled down, still readable
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing sticks out
    screenshot("region-1-dashboard-360")
    page.set_viewport_size(DESKTOP)

    page.locator(".admin-nav").get_by_role("link", name="دفاتر", exact=True).click()
    pages = page.get_by_role("navigation", name="صفحه‌ها")
    expect(pages.locator("[aria-current=page]")).to_have_text("۱")
    assert pages.get_by_role("link").count() <= 12  # a window of pages, not one link for each of thirteen
    expect(pages).to_contain_text("…")
    page.get_by_role("link", name="دارندهٔ پروانه (مرتب‌سازی بر اساس این ستون)").click()
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("دارندهٔ پروانه")
    expect(page.locator("table.office-list tbody tr").first).to_contain_text("امیر نوری")  # ا before ب پ …
    pages.get_by_role("link", name="صفحهٔ ۱۳").click()
    expect(pages.locator("[aria-current=page]")).to_have_text("۱۳")
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("دارندهٔ پروانه")  # kept across pages
    expect(page.locator("table.office-list tbody tr").last).to_contain_text("یلدا")
    screenshot("region-2-offices")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot("region-2-offices-360")
    page.set_viewport_size(DESKTOP)

    page.locator(".admin-nav").get_by_role("link", name="دفاتر بدون ارسال").click()
    expect(page.locator("main a[href^='tel:']").first).to_be_visible()  # holders' mobiles, for reminder calls
    expect(page.get_by_role("navigation", name="صفحه‌ها")).to_contain_text("…")
    expect(page.locator("main")).not_to_contain_text("فاطمه حسینی")  # Isfahan is not Tehran's business
    screenshot("region-3-non-submitters")

    with page.expect_download() as download_info:
        page.locator("a[href$='.csv']").first.click()
    with open(download_info.value.path(), "rb") as stream:
        data = stream.read()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel shows the Persian correctly
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) >= 2 and any("مریم احمدی" in cell for row in rows for cell in row)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="دریافت به صورت فایل اکسل (.xlsx)").click()
    assert download_info.value.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(download_info.value.path().read_bytes()))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    name = header.index("دارندهٔ پروانه")
    holder = next(row for row in sheet.iter_rows(min_row=2, values_only=True) if row[name] == "مریم احمدی")
    assert holder[header.index("کد ملی")] == "0012345679" and sheet.sheet_view.rightToLeft  # the leading zeros kept
    workbook.close()

    page.locator(".admin-nav").get_by_role("link", name="درخواست‌های اصلاح").click()
    expect(page.locator("main")).to_contain_text("TEH21060")
    screenshot("region-4-corrections")
    page.get_by_role("link", name="پذیرش یا رد").first.click()
    page.get_by_role("button", name="می‌پذیرم و پرونده اصلاح شود").click()
    expect(page.locator(".notice-success")).to_be_visible()
    screenshot("region-5-accepted")
    with live_app.app_context():
        assert db.session.get(Office, office_id).office_code == "TEH21060"
