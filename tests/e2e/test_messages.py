"""Reminders end to end (issue 22): the admin sets the round's reminder plan in the browser, the clock is on the
7-day reminder's morning, `flask messages tick` runs, and the file provider shows the reminder for the holders who
have not submitted, and none for the one who has; the outbox page lists them."""

from datetime import timedelta

import sqlalchemy as sa
from playwright.sync_api import Page
from playwright.sync_api import expect

from tests.conftest import login
from tests.declaration.test_declaration import fill_all
from tests.declaration.test_declaration import review_version
from tests.declaration.test_declaration import url
from tests.e2e.test_accessibility import PASSWORD
from tests.e2e.test_accessibility import holder_with_password
from tests.e2e.test_objection import staff_sign_in
from tests.notify.helpers import sent
from wizard.extensions import db
from wizard.models import Office
from wizard.models import Round
from wizard.models import User
from wizard.rules.reminders import reminder_moment

HOLDER_MOBILE = "09480606454"  # مریم احمدی, who submits


def submit_for_the_holder(app):
    """The demo holder submits her first office; her second goes to another holder, so she has nothing left to do."""
    holder_with_password(app)
    client = app.test_client()
    assert login(client, "0012345679", PASSWORD).status_code == 302
    with app.app_context():
        first = db.session.scalar(sa.select(Office.id).where(Office.license_number == "P-1038"))
    fill_all(client, app, first)
    assert client.post(url(first, "submit"), data={"declare": "y",
                                                   "version": review_version(client, first)}).status_code == 303
    with app.app_context():
        second = db.session.scalar(sa.select(Office).where(Office.license_number == "P-1073"))
        second.holder_id = db.session.scalar(sa.select(User.id).where(User.national_code == "1021153087"))
        db.session.commit()


def test_the_admin_plans_reminders_and_tick_sends_them_to_non_submitters_only(page: Page, live_app, frozen_clock,
                                                                              screenshot):
    with live_app.app_context():
        round_ = db.session.scalar(sa.select(Round))
        morning = reminder_moment(round_.deadline, 7) + timedelta(hours=9)
    frozen_clock(morning)
    submit_for_the_holder(live_app)
    opened = len(sent(live_app))  # the round's opening told every holder; her submission sent its receipt

    staff_sign_in(page, live_app, "admin")
    page.goto("/admin/rounds")
    page.get_by_role("link", name="یادآوری‌ها").click()
    page.locator("#days").fill("۷، ۳، ۱")
    page.locator("#max_per_holder").fill("۳")
    page.locator("form button[type=submit].primary").click()
    expect(page.locator(".notice-success")).to_contain_text("برنامه یادآوری ذخیره شد")
    expect(page.locator("main li").first).to_contain_text("۷ روز پیش از پایان مهلت")
    screenshot("reminder-plan")

    result = live_app.test_cli_runner().invoke(args=["messages", "tick"])
    assert "reminders=11" in result.output, result.output
    reminders = [line for line in sent(live_app)[opened:] if "روز تا پایان مهلت" in line["text"]]
    assert len(reminders) == 11 and HOLDER_MOBILE not in {line["mobile"] for line in reminders}
    assert all("۷ روز" in line["text"] for line in reminders)
    assert "reminders=0" in live_app.test_cli_runner().invoke(args=["messages", "tick"]).output
    assert len(sent(live_app)) == opened + 11  # nothing twice

    page.goto("/admin/messages")
    page.locator("#event").select_option("reminder")
    page.locator("form.filter-row button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("۱۱ پیام")
    expect(page.locator("main table").first).to_contain_text("یادآوری مهلت")
    screenshot("outbox")
