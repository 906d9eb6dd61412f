"""Accessibility of the message pages (issue 22): the outbox, the reminder plan (with errors) and the region's
reminder preview have no serious or critical axe-core finding, in Persian and in English."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page

from tests.e2e.test_accessibility import axe  # noqa: F401 (a fixture)
from tests.e2e.test_accessibility import sign_out
from tests.e2e.test_accessibility_objections import choose_language
from tests.e2e.test_objection import staff_sign_in
from wizard.extensions import db
from wizard.models import Round


@pytest.mark.parametrize("language", ["fa", "en"])
def test_message_pages(page: Page, live_app, axe, language, frozen_clock):  # noqa: F811
    with live_app.app_context():
        opens_at = db.session.scalar(sa.select(Round.opens_at))
    frozen_clock(opens_at + timedelta(hours=10))  # the round's first day, outside the quiet hours
    staff_sign_in(page, live_app, "admin")
    choose_language(page, language)
    page.goto("/admin/messages")
    axe("the outbox")
    page.goto("/admin/messages?status=failed")
    axe("the outbox, filtered to nothing")
    page.goto("/admin/rounds/1/reminders")
    axe("the reminder plan")
    page.locator("#days").fill("x")
    page.locator("form button[type=submit].primary").click()
    axe("the reminder plan with errors")
    sign_out(page)

    staff_sign_in(page, live_app, "tehran")
    choose_language(page, language)
    page.goto("/admin/non-submitters")
    axe("non-submitters with the reminder link")
    page.goto("/admin/non-submitters/message?note=" + "x" * 70)
    axe("the reminder preview with an error")
    page.goto("/admin/non-submitters/message")
    axe("the reminder preview")
