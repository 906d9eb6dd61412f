"""The results page prints on exactly one A4 page, without navigation, with the rank in Persian digits."""

import io
from datetime import timedelta

import sqlalchemy as sa
from playwright.sync_api import Page
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.conftest import HOLDER
from tests.conftest import login
from tests.declaration.test_declaration import fill_all
from tests.declaration.test_declaration import review_version
from tests.declaration.test_declaration import url
from tests.conftest import password_hash
from wizard import clock
from wizard.extensions import db
from wizard.models import Office
from wizard.models import Result
from wizard.models import Round
from wizard.models import User

PASSWORD = "a sturdy passphrase"


def declare_and_publish(app) -> tuple[int, Result]:
    with app.app_context():  # the demo round opened today, whatever day the test runs
        opens_at, deadline = db.session.execute(sa.select(Round.opens_at, Round.deadline)).one()
    clock.freeze(opens_at + timedelta(hours=10))
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == HOLDER))
        user.password_hash, user.must_change_password = password_hash(PASSWORD), False
        db.session.commit()
        office_id = db.session.scalar(sa.select(Office.id).where(Office.license_number == "P-1038"))
    client = app.test_client()
    login(client, HOLDER, PASSWORD)
    fill_all(client, app, office_id)
    client.post(url(office_id, "submit"), data={"declare": "y", "version": review_version(client, office_id)})
    clock.freeze(deadline + timedelta(hours=9))  # the morning after the window closed
    runner = app.test_cli_runner()
    assert runner.invoke(args=["results", "compute"]).exit_code == 0
    assert runner.invoke(args=["results", "publish"]).exit_code == 0
    with app.app_context():
        result = db.session.scalar(sa.select(Result).where(Result.office_id == office_id))
        db.session.expunge(result)
    return office_id, result


def test_the_results_page_prints_on_one_a4_page(page: Page, live_app, frozen_clock, screenshot):
    office_id, result = declare_and_publish(live_app)
    page.goto("/login")
    page.get_by_label("نام کاربری").fill(HOLDER)
    page.get_by_label("رمز عبور").fill(PASSWORD)
    page.get_by_role("button", name="ورود").click()
    page.goto(f"/results/{office_id}")
    rank = "۰۱۲۳"[result.rank]
    expect(page.locator(".rank-value")).to_have_text(rank)
    screenshot("results-screen")
    page.emulate_media(media="print")
    screenshot("results-print")
    assert page.locator(".site-header").is_hidden() and page.locator("[data-print]").is_hidden()
    page.evaluate("document.fonts.ready.then(() => true)")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    assert len(pdf.pages) == 1
    text = pdf.pages[0].extract_text()
    assert rank in text and result.verification_code in text
