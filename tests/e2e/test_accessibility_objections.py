"""Accessibility of the violations and objections pages (issue 21, items 4 and 5): axe-core finds no serious or
critical violation on any of them, in Persian and in English, errors shown included."""

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page
from playwright.sync_api import expect

from tests.conftest import HOLDER
from tests.cycle import RECORD
from tests.e2e.test_accessibility import LANGUAGE_BUTTON
from tests.e2e.test_accessibility import axe  # noqa: F401 (a fixture)
from tests.e2e.test_accessibility import sign_in
from tests.e2e.test_accessibility import sign_out
from tests.e2e.test_objection import staff_sign_in
from tests.e2e.test_results_print import PASSWORD
from tests.e2e.test_results_print import declare_and_publish
from tests.results.test_objections import PDF
from wizard.extensions import db
from wizard.models import Objection
from wizard.models import Violation


def choose_language(page: Page, language: str):
    if LANGUAGE_BUTTON[language]:
        page.get_by_role("button", name=LANGUAGE_BUTTON[language]).click()
        expect(page.locator("html")).to_have_attribute("lang", language)


@pytest.mark.parametrize("language", ["fa", "en"])
def test_violation_and_objection_pages(page: Page, live_app, axe, language):  # noqa: F811
    office, _result = declare_and_publish(live_app)
    staff_sign_in(page, live_app, "tehran")
    choose_language(page, language)
    page.goto(f"/admin/offices/{office}/violations/new")
    page.locator("#description").fill("x")
    page.locator("form button[type=submit].primary").click()
    axe("record a violation, with errors")
    for name, value in RECORD.items():
        page.locator(f"[name='{name}']").fill(value) if name != "kind" else page.locator("#kind").select_option(value)
    page.locator("form button[type=submit].primary").click()
    axe("a violation awaiting the defence")
    page.goto("/admin/violations")
    axe("violations")
    page.goto(f"/admin/offices/{office}/violations")
    axe("an office's violations")
    sign_out(page)

    sign_in(page, HOLDER, PASSWORD)
    choose_language(page, language)
    with live_app.app_context():
        violation = db.session.scalar(sa.select(Violation.id))
    page.goto(f"/results/{office}/violations")
    axe("the holder's violations")
    page.goto(f"/results/{office}/violations/{violation}")
    page.locator("#defence").fill("کوتاه")
    page.locator("form:has(#defence) button[type=submit]").click()
    axe("a defence with an error")
    page.goto(f"/results/{office}")
    axe("results with the objection window")
    page.goto(f"/results/{office}/objections/new")
    page.locator("#reason").fill("کوتاه")
    page.locator("form[enctype] button[type=submit]").click()
    axe("an objection with errors")
    page.locator("input[name=criterion]").first.check()
    page.locator("#reason").fill("مساحت دفتر ۱۶۰ متر مربع است؛ سند اجاره پیوست است.")
    page.locator("input[type=file]").set_input_files({"name": "lease.pdf", "mimeType": "application/pdf",
                                                      "buffer": PDF})
    page.locator("form[enctype] button[type=submit]").click()
    expect(page.locator(".tracking-code")).to_be_visible()
    axe("an objection filed")
    sign_out(page)

    staff_sign_in(page, live_app, "tehran")
    choose_language(page, language)
    with live_app.app_context():
        objection = db.session.scalar(sa.select(Objection.id))
    page.goto("/admin/objections")
    axe("objections")
    page.goto(f"/admin/objections/{objection}")
    page.locator("#accept-corrected_value").fill("160")
    page.locator("button[name=preview]").click()
    axe("an objection with a preview")
    page.locator("#reject-answer").fill("")
    page.locator("form[action$='/reject'] button").click()
    axe("a rejection without a reason")
    assert axe.found == []
