"""The home page as a Persian user's browser shows it."""

import re

from playwright.sync_api import Page
from playwright.sync_api import expect

PERSIAN_DIGIT = re.compile("[۰-۹]")


def fonts_used(page: Page, selector: str) -> set[str]:
    """Font families Chromium really drew the node's text with (catches a broken @font-face)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return {f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}


def test_home_page_is_persian_rtl_with_the_round_countdown(page: Page, screenshot):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "fa")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    expect(page.locator("h1")).to_have_text("ارزیابی و رتبه‌بندی دفاتر پیشخوان خدمات دولت")
    countdown = page.locator(".countdown")
    expect(countdown).to_contain_text("روز")
    assert PERSIAN_DIGIT.search(countdown.inner_text())
    assert "به وقت تهران" in page.locator(".round-card").inner_text()
    page.evaluate("document.fonts.ready.then(() => true)")
    assert fonts_used(page, "h1") == {"Vazirmatn"}
    screenshot("home-fa")


def test_home_page_fits_a_small_phone(page: Page, screenshot):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("home-fa-360")


def test_language_switch_to_english_and_back(page: Page, screenshot):
    page.goto("/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("h1")).to_have_text("Evaluation and ranking of government service counter offices")
    screenshot("home-en")
    page.get_by_role("button", name="فارسی").click()
    expect(page.locator("html")).to_have_attribute("lang", "fa")
