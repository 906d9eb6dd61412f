"""Final approval, the agencies' file and API tokens, and the public statistics in Chromium (issue 21, items 6 and
7): the admin approves the published results on the rounds page and downloads the agencies' workbook and CSV (an
office code's leading zeros kept); axe-core finds no serious or critical violation on any new page, in Persian and
in English."""

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from playwright.sync_api import Page
from playwright.sync_api import expect

from tests.agencies import set_office_code
from tests.conftest import HOLDER
from tests.e2e.test_accessibility import axe  # noqa: F401 (a fixture)
from tests.e2e.test_accessibility import sign_in
from tests.e2e.test_accessibility import sign_out
from tests.e2e.test_accessibility_objections import choose_language
from tests.e2e.test_objection import staff_sign_in
from tests.e2e.test_results_print import PASSWORD
from tests.e2e.test_results_print import declare_and_publish
from wizard import clock
from wizard.extensions import db
from wizard.models import Round


def after_the_objection_window(app) -> None:
    with app.app_context():
        closes = db.session.scalar(sa.select(Round.objections_close_at))
    clock.freeze(closes + timedelta(minutes=5))


def test_the_admin_approves_and_downloads_the_agencies_file(page: Page, live_app, frozen_clock, screenshot):
    declare_and_publish(live_app)
    set_office_code(live_app, "P-1078", "00412345")
    after_the_objection_window(live_app)
    staff_sign_in(page, live_app, "admin")
    page.goto("/admin/exports")
    expect(page.get_by_text("پس از تأیید نهایی نتایج منتشرشده به دست ستاد در دسترس است.")).to_be_visible()
    page.goto("/admin/rounds")
    page.get_by_role("link", name="تأیید نهایی نتایج").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("تأیید نهایی نتایج")
    page.get_by_role("button", name="تأیید: تأیید نهایی نتایج").click()
    expect(page.locator(".notice-success")).to_contain_text("نسخهٔ ۱ نتایج قطعی شد")
    expect(page.get_by_text("قطعی: نسخهٔ ۱")).to_be_visible()
    screenshot("agencies-approved")

    page.get_by_role("navigation", name="مدیریت").get_by_role("link", name="خروجی‌ها").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="رتبه‌های قطعی برای دستگاه‌ها (اکسل)").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    codes = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert "00412345" in codes and len(codes) == 13
    assert sheet.cell(row=1, column=1).value == "کد دفتر"
    with page.expect_download() as download:
        page.locator("a[href='/admin/exports/agencies.csv']").click()
    text = download.value.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["کد دفتر"] for row in rows} == set(codes)
    assert download.value.suggested_filename.startswith("agencies-") and download.value.suggested_filename.endswith(".csv")
    page.goto("/admin/agencies")
    page.locator("#agency").fill("سازمان تأمین اجتماعی")
    page.locator("main form:has(#agency) button[type=submit]").click()
    expect(page.locator("#new-token")).to_be_visible()
    screenshot("agencies-token-issued")
    page.goto("/statistics")
    expect(page.locator("svg.chart")).to_have_count(2)
    screenshot("statistics")


@pytest.mark.parametrize("language", ["fa", "en"])
def test_the_new_pages_are_accessible(page: Page, live_app, axe, language):  # noqa: F811
    office, _result = declare_and_publish(live_app)
    page.goto("/")
    choose_language(page, language)
    page.goto("/statistics")
    axe("public statistics (published)")
    after_the_objection_window(live_app)
    staff_sign_in(page, live_app, "admin")  # the language chosen is kept across the sign-in
    page.goto("/admin/")
    axe("dashboard with the results' charts")
    page.goto("/admin/rounds/1/approve")
    axe("approval confirmation")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".notice-success")).to_be_visible()
    axe("rounds after approval")
    page.goto("/admin/exports")
    axe("exports with the agencies' file")
    page.goto("/admin/agencies")
    axe("agencies' tokens, none yet")
    page.locator("main form:has(#agency) button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    axe("a token without an agency")
    page.locator("#agency").fill("سازمان تأمین اجتماعی")
    page.locator("main form:has(#agency) button[type=submit]").click()
    expect(page.locator("#new-token")).to_be_visible()
    axe("a token issued")
    page.goto("/admin/agencies")
    page.locator("main table form button").first.click()
    expect(page.locator(".notice-success")).to_be_visible()
    axe("a token revoked")
    sign_out(page)
    page.goto("/statistics/1")
    axe("public statistics (final)")
    sign_in(page, HOLDER, PASSWORD)
    page.goto(f"/results/{office}")
    expect(page.locator(".final")).to_be_visible()
    axe("a final result")
    assert axe.found == []
