"""The scoring phase in Chromium (issue 21 item 3): the region enters a score, imports a file after its preview and
confirms; the province's association enters its own score; at desktop width and on a 360 px phone. Then the
accessibility of every scoring page, in Persian and in English."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page
from playwright.sync_api import expect

from tests.e2e.test_accessibility import axe  # noqa: F401 (a fixture)
from tests.e2e.test_accessibility import sign_out
from tests.e2e.test_accessibility_objections import choose_language
from tests.e2e.test_objection import staff_sign_in
from wizard import clock
from wizard.extensions import db
from wizard.models import Office
from wizard.models import Round
from wizard.models import Score

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
SCORES_CSV = "office_code,score,value\nTEH52461,satisfaction,۷۵\nTEH77997,agency_opinion,3\n"
BAD_CSV = "office_code,score,value\nTEH52461,satisfaction,750\nISF37385,inspection,50\n"


def after_the_window(app) -> int:
    """The clock on the morning after the demo round's window; the id of office P-1038."""
    with app.app_context():
        deadline = db.session.scalar(sa.select(Round.deadline))
        office = db.session.scalar(sa.select(Office.id).where(Office.license_number == "P-1038"))
    clock.freeze(deadline + timedelta(hours=9))
    return office


def scores(app) -> dict[tuple[str, str], tuple[int, str]]:
    with app.app_context():
        rows = db.session.execute(sa.select(Office.office_code, Score.name, Score.value, Score.status)
                                  .join(Office, Office.id == Score.office_id)).all()
    return {(code, name): (value, status) for code, name, value, status in rows}


def no_sideways_scroll(page: Page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_region_and_its_association_score_the_offices(page: Page, live_app, frozen_clock, screenshot):
    office = after_the_window(live_app)
    page.set_viewport_size(DESKTOP)
    staff_sign_in(page, live_app, "tehran")
    page.locator(".admin-nav").get_by_role("link", name="امتیازها").click()
    expect(page.locator("h1")).to_have_text("امتیازها")
    card = page.locator("[data-countdown]")
    expect(card).to_contain_text("مرحلهٔ امتیازدهی")
    expect(card.locator("[data-unit=days]")).to_have_text(re.compile("^[۰-۹]+$"))
    expect(page.locator("main")).to_contain_text("وزن‌های موقت")
    screenshot("scoring-1-list")

    # Enter one office's scores by hand.
    page.locator(f"#scores a[href='/admin/offices/{office}/scores']").first.click()
    page.get_by_label(re.compile("^نمرهٔ بازرسی")).fill("۸۵")
    page.get_by_label(re.compile("^رضایتمندی متقاضیان")).fill("۱۲۰")
    page.get_by_role("button", name="ذخیرهٔ امتیازها").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(".error-summary")).to_contain_text("۰ تا ۱۰۰")
    page.get_by_label(re.compile("^رضایتمندی متقاضیان")).fill("۸۰")
    page.get_by_role("button", name="ذخیرهٔ امتیازها").click()
    expect(page.locator(".notice-success, .flash-success, [role=status]").first).to_contain_text("ذخیره شد")
    assert scores(live_app)[("TEH21059", "inspection")] == (85, "entered")
    screenshot("scoring-2-office")
    page.set_viewport_size(PHONE)
    no_sideways_scroll(page)
    screenshot("scoring-2-office-360")
    page.set_viewport_size(DESKTOP)

    # Import a file: a bad one shows every problem, a good one what would change, then it is applied.
    page.goto("/admin/scores/import")
    page.locator("input[type=file]").set_input_files({"name": "bad.csv", "mimeType": "text/csv",
                                                      "buffer": BAD_CSV.encode()})
    page.get_by_role("button", name="بررسی فایل").click()
    problems = page.locator("table tbody tr")
    expect(problems).to_have_count(2)
    expect(problems.first).to_contain_text("۰ تا ۱۰۰")
    expect(problems.nth(1)).to_contain_text("ISF37385")
    expect(page.get_by_role("button", name="تأیید و ورود اطلاعات")).to_have_count(0)
    screenshot("scoring-3-import-problems")
    page.get_by_role("link", name="بارگذاری فایل اصلاح‌شده").click()
    page.locator("input[type=file]").set_input_files({"name": "scores.csv", "mimeType": "text/csv",
                                                      "buffer": SCORES_CSV.encode()})
    page.get_by_role("button", name="بررسی فایل").click()
    expect(page.locator("main")).to_contain_text("هنوز چیزی ثبت نشده")
    screenshot("scoring-4-import-preview")
    page.set_viewport_size(PHONE)
    no_sideways_scroll(page)
    screenshot("scoring-4-import-preview-360")
    page.set_viewport_size(DESKTOP)
    assert ("TEH52461", "satisfaction") not in scores(live_app)
    page.get_by_role("button", name="تأیید و ورود اطلاعات").click()
    expect(page.locator("main")).to_contain_text("بارگذاری شد")
    assert scores(live_app)[("TEH52461", "satisfaction")] == (75, "entered")

    # Confirm one, then every one shown.
    rows = page.locator("#scores tbody tr")
    expect(rows).to_have_count(4)  # the two imported and the two entered by hand, awaiting confirmation
    rows.first.get_by_role("button", name=re.compile("^تأیید")).click()
    expect(page.locator("#scores tbody tr")).to_have_count(3)
    page.get_by_role("button", name=re.compile("^تأیید هر")).click()
    expect(page.locator("main")).to_contain_text("تأیید شد")
    assert {status for _value, status in scores(live_app).values()} == {"confirmed"}
    screenshot("scoring-5-confirmed")
    sign_out(page)

    # The province's association enters its own score, and sees nothing else.
    page.set_viewport_size(PHONE)
    staff_sign_in(page, live_app, "tehran-association")
    expect(page).to_have_url(re.compile("/admin/scores$"))
    expect(page.locator("#scores tbody")).not_to_contain_text("نمرهٔ بازرسی")
    no_sideways_scroll(page)
    screenshot("scoring-6-association-360")
    page.goto(f"/admin/offices/{office}/scores")
    page.get_by_label(re.compile("^امتیاز انجمن صنفی استان")).fill("۹۲")
    page.get_by_role("button", name="ذخیرهٔ امتیازها").click()
    expect(page.locator("main")).to_contain_text("کارشناس استان آن‌ها را تأیید می‌کند")
    expect(page.locator("main button[name=score]")).to_have_count(0)
    assert scores(live_app)[("TEH21059", "association")] == (92, "entered")
    page.set_viewport_size(DESKTOP)
    screenshot("scoring-7-association")


@pytest.mark.parametrize("language", ["fa", "en"])
def test_the_scoring_pages_are_accessible(page: Page, live_app, axe, frozen_clock, language):  # noqa: F811
    office = after_the_window(live_app)
    staff_sign_in(page, live_app, "tehran")
    choose_language(page, language)
    page.goto("/admin/scores")
    axe("scores")
    page.goto("/admin/scores?state=missing&q=TEH")
    axe("scores, filtered")
    page.goto(f"/admin/offices/{office}/scores")
    page.locator("input[name=value_inspection]").fill("999")
    page.locator("form:has(input[name=value_inspection]) button[type=submit]").click()
    axe("an office's scores with an error")
    page.locator("input[name=value_inspection]").fill("80")
    page.locator("form:has(input[name=value_inspection]) button[type=submit]").click()
    axe("an office's scores awaiting confirmation")
    page.goto("/admin/scores/import")
    axe("score import")
    page.locator("input[type=file]").set_input_files({"name": "bad.csv", "mimeType": "text/csv",
                                                      "buffer": BAD_CSV.encode()})
    page.locator("form[enctype] button[type=submit]").click()
    axe("score import with problems")
    page.goto("/admin/scores/import")
    page.locator("input[type=file]").set_input_files({"name": "scores.csv", "mimeType": "text/csv",
                                                      "buffer": SCORES_CSV.encode()})
    page.locator("form[enctype] button[type=submit]").click()
    axe("score import preview")
    page.goto("/admin/rounds")
    sign_out(page)
    staff_sign_in(page, live_app, "tehran-association")
    choose_language(page, language)
    axe("the association's scores")
    page.goto(f"/admin/offices/{office}/scores")
    axe("the association's office scores")
