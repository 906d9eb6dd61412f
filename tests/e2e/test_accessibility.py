"""Accessibility: axe-core (npm, pinned in package.json) on every page type, in Persian and in English,
must find no serious or critical violation; and a holder can declare with the keyboard alone."""

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page
from playwright.sync_api import expect

from tests.admin.test_office_list import add_holders
from tests.conftest import HOLDER
from tests.conftest import OTHER_HOLDER
from tests.conftest import STAFF_PASSWORD
from tests.conftest import enroll_staff
from tests.conftest import login
from tests.conftest import office_id
from tests.conftest import totp_code
from tests.declaration.test_declaration import LICENSE
from tests.declaration.test_declaration import fill_all
from tests.conftest import password_hash
from wizard.extensions import db
from wizard.models import Result
from wizard.models import User

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "a sturdy passphrase"
LANGUAGE_BUTTON = {"fa": None, "en": "English"}


@pytest.fixture
def axe(page: Page):
    """check(label) runs axe-core on the current page; serious and critical findings are collected."""
    if not AXE.exists():
        pytest.exit("axe-core is missing: run 'make browser' (npm install)", returncode=3)
    page.context.add_init_script(path=str(AXE))  # an init script is not subject to the page's CSP
    found: list[str] = []

    def check(label: str):
        page.wait_for_load_state()  # a click that navigates may still be loading the next page
        result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        for violation in result["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"][:3]]
                found.append(f"{label}: {violation['id']} ({violation['impact']}) {targets}")
    check.found = found
    return check


def holder_with_password(app, username=HOLDER):
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        user.password_hash, user.must_change_password = password_hash(PASSWORD), False
        db.session.commit()


def sign_in(page: Page, username: str, password: str):
    page.goto("/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill(password)
    with page.expect_navigation():  # axe must not run on a page that is being replaced
        page.locator("form:has(#password) button[type=submit]").click()


def sign_out(page: Page):
    page.locator("#sign-out-form button").click()


@pytest.mark.parametrize("language", ["fa", "en"])
def test_every_page_type_has_no_serious_accessibility_violation(page: Page, live_app, axe, language):
    holder_with_password(live_app)
    office = office_id(live_app, "P-1038")
    page.goto("/")
    if LANGUAGE_BUTTON[language]:
        page.get_by_role("button", name=LANGUAGE_BUTTON[language]).click()
        expect(page.locator("html")).to_have_attribute("lang", language)
    axe("home")
    page.goto("/no-such-page")
    axe("404 page")
    sign_in(page, HOLDER, "wrong password")
    axe("sign-in with an error")

    sign_in(page, HOLDER, PASSWORD)
    page.goto("/declaration/")
    axe("office choice")
    page.goto(f"/declaration/{office}/license")
    page.locator("#mobile").fill("123")
    page.locator("button.primary[value=save]").click()
    axe("step with errors")
    for slug in ("address", "premises", "staff", "hours"):
        page.goto(f"/declaration/{office}/{slug}")
        axe(f"step {slug}")
    page.goto(f"/declaration/{office}/correction")
    axe("correction request")
    client = live_app.test_client()
    login(client, HOLDER, PASSWORD)
    fill_all(client, live_app, office)
    page.goto(f"/declaration/{office}/")
    axe("task list")
    page.goto(f"/declaration/{office}/review")
    axe("check answers")
    page.locator("#declare").check()
    page.locator("form:has(#declare) button[type=submit]").click()
    expect(page.locator(".tracking-code")).to_be_visible()
    axe("receipt")
    sign_out(page)

    sign_in(page, OTHER_HOLDER, OTHER_HOLDER)
    axe("forced password change")
    sign_out(page)

    add_holders(live_app, [f"دارنده {n}" for n in range(120)])  # lists long enough for page links
    enroll_staff(live_app, "admin")
    sign_in(page, "admin", STAFF_PASSWORD)
    axe("second factor")
    page.locator("#code").fill(totp_code())
    page.locator("form:has(#code) button[type=submit]").click()
    for path in ("/admin/", "/admin/offices", "/admin/offices?sort=holder&order=desc&page=2",
                 f"/admin/offices/{office}", "/admin/non-submitters",
                 "/admin/corrections", "/admin/exports", "/admin/rounds", "/admin/audit", "/admin/imports",
                 "/admin/holders"):
        page.goto(path)
        axe(path)
    page.goto("/admin/")
    expect(page.get_by_role("img", name=re.compile("روز به روز|day by day"))).to_be_visible()  # the chart was checked
    page.goto("/admin/imports")
    page.locator("input[name=kind]").first.check()
    page.locator("#upload").set_input_files({"name": "offices.xlsx", "mimeType": "application/octet-stream",
                                             "buffer": b"PK\x03\x04" + bytes(64)})
    page.locator("form[enctype] button[type=submit]").click()
    expect(page.locator("#upload-problem")).to_be_visible()
    axe("an import it cannot read")
    sign_out(page)

    runner = live_app.test_cli_runner()
    for command in (["round", "close"], ["results", "compute"], ["results", "publish"]):
        assert runner.invoke(args=command).exit_code == 0
    sign_in(page, HOLDER, PASSWORD)
    page.goto(f"/results/{office}")
    axe("results")
    with live_app.app_context():
        code = db.session.scalar(sa.select(Result.verification_code).where(Result.office_id == office))
    page.goto(f"/verify/{code}")
    axe("verification")
    assert axe.found == []


def tab_to(page: Page, selector: str, limit: int = 80):
    """Press Tab until the element matching selector has the focus (as a keyboard user would)."""
    for _press in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the keyboard focus")


def test_a_holder_declares_with_the_keyboard_alone(page: Page, live_app):
    holder_with_password(live_app)
    office = office_id(live_app, "P-1038")
    page.goto("/login")
    tab_to(page, "#username")
    page.keyboard.type(HOLDER)
    tab_to(page, "#password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("#sign-out-form")).to_be_attached()
    page.goto(f"/declaration/{office}/")
    tab_to(page, f"a[href$='/declaration/{office}/license']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"/declaration/{office}/license")
    for name in ("office_phone", "mobile", "email", "activity_start-day", "activity_start-month",
                 "activity_start-year"):
        tab_to(page, f"[name='{name}']")
        page.keyboard.type(LICENSE[name])
    page.keyboard.press("Enter")  # the form's default button saves and goes on
    expect(page).to_have_url(f"/declaration/{office}/address")
    tab_to(page, "#postal_code")
    page.keyboard.type("1435678901")
    tab_to(page, "#address")
    page.keyboard.type("تهران، خیابان ولیعصر، کوچه ۱۰، پلاک ۲")
    tab_to(page, "button[value=save]")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"/declaration/{office}/premises")
    for name in ("floor_area", "counters", "computers", "printers", "scanners", "card_readers",
                 "bandwidth_mbps", "waiting_seats"):
        tab_to(page, f"#{name}")
        page.keyboard.type("۱۲")  # Persian digits, as on a Persian keyboard
    for group in ("ownership", "accessible"):
        tab_to(page, f"input[name={group}]")
        page.keyboard.press("Space")  # the first option is chosen
    tab_to(page, "button[value=save]")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"/declaration/{office}/staff")
    with live_app.app_context():
        from wizard.models import Declaration

        saved = db.session.scalar(sa.select(Declaration.data).where(Declaration.office_id == office))
    assert {slug: entry["state"] for slug, entry in saved.items()} == {
        "license": "complete", "address": "complete", "premises": "complete"}
