"""The English pages as a reader sees them (issue 20, item 7): Latin digits in dates, a round named by its half-year,
and user data isolated so a caption's Persian and Latin parts keep their order."""

from playwright.sync_api import Page
from playwright.sync_api import expect

from tests.conftest import HOLDER
from tests.conftest import office_id
from tests.e2e.test_accessibility import PASSWORD
from tests.e2e.test_accessibility import holder_with_password
from tests.e2e.test_accessibility import sign_in


def test_a_holder_reads_the_license_step_in_english(page: Page, live_app, screenshot):
    holder_with_password(live_app)
    office = office_id(live_app, "P-1038")
    sign_in(page, HOLDER, PASSWORD)
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(f"/declaration/{office}/license")
    caption = page.locator("p.caption").first
    expect(caption).to_contain_text("Evaluation round H2 1405")  # not the Persian title
    # The area's Persian name and the Latin license number sit in isolated runs, in the caption's own order.
    parts = caption.locator("bdi")
    expect(parts).to_have_count(3)
    assert [parts.nth(i).evaluate("e => getComputedStyle(e).unicodeBidi") for i in range(3)] == ["isolate"] * 3
    expect(caption.locator("bdi.code")).to_have_text("P-1038")
    locked = page.locator("section[aria-labelledby=locked-title]")
    expect(locked).to_contain_text("1393/10/28")  # the license date in Latin digits on an English page
    assert not any("\u06f0" <= c <= "\u06f9" for c in locked.inner_text().replace("مریم احمدی", ""))
    screenshot("license-en")
