"""A region's day in Chromium: dashboard → non-submitters → export → accept a correction request."""

import csv
import io

import sqlalchemy as sa
from playwright.sync_api import Page
from playwright.sync_api import expect

from tests.conftest import STAFF_PASSWORD
from tests.conftest import enroll_staff
from tests.conftest import totp_code
from wizard.extensions import db
from wizard.models import CorrectionRequest
from wizard.models import Office
from wizard.models import User


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
    enroll_staff(live_app, "tehran")
    page.goto("/login")
    page.get_by_label("نام کاربری").fill("tehran")
    page.get_by_label("رمز عبور").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="ورود").click()
    page.get_by_label("کد شش‌رقمی برنامهٔ احراز هویت").fill(totp_code())
    page.get_by_role("button", name="ادامه").click()

    expect(page.locator("h1")).to_have_text("نمای کلی پیشرفت")
    expect(page.locator("table.progress tbody tr")).to_have_count(1)
    screenshot("region-1-dashboard")

    page.locator(".admin-nav").get_by_role("link", name="دفاتر بدون ارسال").click()
    expect(page.locator("main")).to_contain_text("۰۹۴۸۰۶۰۶۴۵۴")  # the holder's mobile, for a reminder call
    expect(page.locator("main")).not_to_contain_text("فاطمه حسینی")  # Isfahan is not Tehran's business
    screenshot("region-2-non-submitters")

    with page.expect_download() as download_info:
        page.locator("a[href$='.csv']").first.click()
    with open(download_info.value.path(), "rb") as stream:
        data = stream.read()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel shows the Persian correctly
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) >= 2 and any("مریم احمدی" in cell for row in rows for cell in row)

    page.locator(".admin-nav").get_by_role("link", name="درخواست‌های اصلاح").click()
    expect(page.locator("main")).to_contain_text("TEH21060")
    screenshot("region-3-corrections")
    page.get_by_role("link", name="پذیرش یا رد").first.click()
    page.get_by_role("button", name="می‌پذیرم و پرونده اصلاح شود").click()
    expect(page.locator(".notice-success")).to_be_visible()
    screenshot("region-4-accepted")
    with live_app.app_context():
        assert db.session.get(Office, office_id).office_code == "TEH21060"
