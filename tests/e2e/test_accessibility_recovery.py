"""Accessibility of password recovery (issue 22): its three pages, with and without errors, in Persian and English."""

import pytest
from playwright.sync_api import Page
from playwright.sync_api import expect

from tests.auth.test_recovery import code_in
from tests.auth.test_recovery import sent
from tests.e2e.test_accessibility import axe  # noqa: F401 (a fixture)
from tests.e2e.test_accessibility_objections import choose_language


def submit(page: Page):
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


@pytest.mark.parametrize("language", ["fa", "en"])
def test_recovery_pages(page: Page, live_app, axe, language):  # noqa: F811
    page.goto("/")
    choose_language(page, language)
    page.goto("/account/recover")
    axe("recovery: who")
    submit(page)
    axe("recovery: who, with an error")
    page.locator("#identifier").fill("0012345679")
    submit(page)
    expect(page).to_have_url("/account/recover/code")
    axe("recovery: the code")
    page.locator("#code").fill("12")
    submit(page)
    axe("recovery: the code, with an error")
    page.locator("#code").fill(code_in(sent(live_app)[-1]))
    submit(page)
    expect(page).to_have_url("/account/recover/password")
    axe("recovery: the new password")
    page.locator("#new_password").fill("short")
    submit(page)
    axe("recovery: the new password, with errors")
    assert axe.found == []
