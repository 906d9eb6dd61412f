"""The declaration wizard through the test client: steps, drafts, conflicts, expiry, submission (SPEC §4)."""

import json
from datetime import datetime
from hashlib import sha256

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from tests.conftest import DEMO_DAY
from tests.conftest import HOLDER
from tests.conftest import OTHER_HOLDER
from tests.conftest import login
from wizard.extensions import db
from wizard.models import AuditEvent
from wizard.models import CorrectionRequest
from wizard.models import Declaration
from wizard.models import KeptInput
from wizard.models import Office
from wizard.models import Round
from wizard.models import Submission
from wizard.rules import tracking
from wizard.rules.deadline import TEHRAN

NOW = DEMO_DAY
DEADLINE = datetime(2026, 12, 17, 23, 59, 59, tzinfo=TEHRAN)

LICENSE = {"office_phone": "۰۲۱-۸۸۷۷ ۶۶۵۵", "mobile": "0912 123 4567", "email": "Office@Example.ir",
           "activity_start-day": "۱", "activity_start-month": "٧", "activity_start-year": "1395"}
PREMISES = {"floor_area": "۸۰", "ownership": "leased", "counters": "4", "computers": "6", "printers": "2",
            "scanners": "1", "card_readers": "2", "bandwidth_mbps": "۵۰", "accessible": "yes", "waiting_seats": "12"}
STAFF = {"staff-0-national_code": "۰۰۱۲۳۴۵۶۷۹", "staff-0-full_name": "مريم احمدي", "staff-0-role": "manager",
         "staff-0-education": "bachelor", "staff-0-insured": "yes", "staff-0-insurance_number": "۱۲۳۴۵۶۷",
         "staff-0-disability": "no", "staff-0-start_date-day": "1", "staff-0-start_date-month": "7",
         "staff-0-start_date-year": "1395",
         "staff-1-national_code": "1583250689", "staff-1-full_name": "علی کریمی", "staff-1-role": "operator",
         "staff-1-education": "diploma", "staff-1-insured": "no", "staff-1-insurance_number": "",
         "staff-1-disability": "yes", "staff-1-start_date-day": "15", "staff-1-start_date-month": "12",
         "staff-1-start_date-year": "1403"}
HOURS = {"working_days": "6", "opens_at": "۰۷:۳۰", "closes_at": "15:30", "shifts": "1", "services_offered": "120",
         "monthly_transactions": "۲۵۰۰"}


pytestmark = pytest.mark.usefixtures("in_the_window")  # the demo round is open


@pytest.fixture
def other_office(demo_data):
    with demo_data.app_context():
        return db.session.scalar(sa.select(Office.id).join(Office.holder).where(Office.license_number == "P-1153"))


def address(app) -> dict:
    with app.app_context():
        area = db.session.scalar(sa.select(Office.area_id).where(Office.license_number == "P-1038"))
    return {"area": str(area), "postal_code": "۱۴۳۵۶-۷۸۹۰۱", "address": "تهران، خيابان وليعصر، كوچه ۱۰، پلاک ۲"}


def steps(app) -> dict:
    return {"license": LICENSE, "address": address(app), "premises": PREMISES, "staff": STAFF, "hours": HOURS}


def url(office_id, slug=""):
    return f"/declaration/{office_id}/{slug}"


def version_of(client, office_id, slug="license") -> str:
    page = BeautifulSoup(client.get(url(office_id, slug)).data, "html.parser")
    return page.select_one("input[name=version]")["value"]


def save(client, office_id, slug, data, version=None):
    version = version_of(client, office_id, slug) if version is None else version
    return client.post(url(office_id, slug), data={**data, "version": version})


def fill_all(client, app, office_id):
    for slug, data in steps(app).items():
        response = save(client, office_id, slug, data)
        assert response.status_code == 303, slug


def draft(app, office_id) -> Declaration:
    with app.app_context():
        found = db.session.scalar(sa.select(Declaration).where(Declaration.office_id == office_id))
        db.session.expunge_all()
        return found


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def summary(response) -> list[str]:
    return [" ".join(a.get_text().split()) for a in page(response).select(".error-summary a")]


# --- offices and the task list -------------------------------------------------------------------

def test_a_holder_with_two_offices_chooses_one(holder_client, office):
    listing = page(holder_client.get("/declaration/"))
    links = [a["href"] for a in listing.select(".office-list a")]
    assert len(links) == 2 and url(office) in links


def test_a_holder_with_one_office_goes_straight_to_it(demo_data):
    client = demo_data.test_client()
    login(client, OTHER_HOLDER, OTHER_HOLDER)
    client.post("/account/password", data={"current_password": OTHER_HOLDER, "new_password": "باغ انار ۱۴۰۵",
                                           "confirm_password": "باغ انار ۱۴۰۵", "new_username": "fatemeh"})
    assert client.get("/declaration/").headers["Location"].startswith("/declaration/")


def test_the_task_list_shows_each_steps_status(holder_client, demo_data, office):
    save(holder_client, office, "license", LICENSE)
    save(holder_client, office, "premises", {**PREMISES, "counters": "0"})
    holder_client.post(url(office, "staff"), data={"version": version_of(holder_client, office, "staff"),
                                                    "action": "add"})
    tags = [t.get_text() for t in page(holder_client.get(url(office))).select(".task-list .tag")]
    assert tags == ["کامل", "شروع نشده", "دارای خطا", "در حال تکمیل", "شروع نشده"]


# --- the steps -----------------------------------------------------------------------------------

@pytest.mark.parametrize("slug", ["license", "address", "premises", "staff", "hours"])
def test_a_valid_step_is_saved_and_leads_on(holder_client, demo_data, office, slug):
    response = save(holder_client, office, slug, steps(demo_data)[slug])
    assert response.status_code == 303
    following = {"license": "address", "address": "premises", "premises": "staff", "staff": "hours", "hours": "review"}
    assert response.headers["Location"] == url(office, following[slug])
    assert draft(demo_data, office).data[slug]["state"] == "complete"


@pytest.mark.parametrize(("slug", "change", "message"), [
    ("license", {"office_phone": "12"}, "شماره تلفن را با پیش‌شماره وارد کنید"),
    ("license", {"mobile": "0812345678"}, "شماره همراه را مانند"),
    ("license", {"email": "not-an-email"}, "نشانی رایانامه را مانند"),
    ("license", {"activity_start-day": "30", "activity_start-month": "12", "activity_start-year": "1404"},
     "تاریخی درست وارد کنید"),
    ("license", {"activity_start-year": "2016"}, "سال را به تقویم شمسی وارد کنید"),
    ("address", {"postal_code": "12345"}, "کد پستی ۱۰ رقم دارد."),
    ("address", {"area": "999999"}, ""),
    ("address", {"address": "کوتاه"}, "نشانی باید ۱۰ تا ۵۰۰ نویسه باشد."),
    ("premises", {"counters": "۰"}, "عددی از ۱ تا ۱۰۰ وارد کنید."),
    ("premises", {"floor_area": "eighty"}, "یک عدد صحیح وارد کنید"),
    ("premises", {"ownership": "rented"}, ""),
    ("staff", {"staff-1-national_code": "1234567890"}, "کد ملی معتبر نیست."),
    ("staff", {"staff-1-national_code": "0012345679"}, "این کد ملی دو بار در فهرست کاربران آمده است."),
    ("staff", {"staff-1-insured": "yes"}, "شمارهٔ بیمهٔ فرد بیمه‌شده را وارد کنید."),
    ("hours", {"closes_at": "07:00"}, "ساعت پایان کار باید پس از ساعت شروع باشد."),
    ("hours", {"working_days": "8"}, "عددی از ۱ تا ۷ وارد کنید."),
    ("hours", {"opens_at": "7-30"}, "ساعت را مانند ۰۷:۳۰ وارد کنید."),
    ("license", {"email": "a\x00b@example.ir"}, "این خانه نویسه‌های غیرمجاز دارد."),
])
def test_invalid_input_is_kept_and_shown_with_errors(holder_client, demo_data, office, slug, change, message):
    sent = {**steps(demo_data)[slug], **change}
    response = save(holder_client, office, slug, sent)
    assert response.status_code == 303 and response.headers["Location"] == url(office, slug)
    shown = holder_client.get(url(office, slug))
    errors = summary(shown)
    assert errors and (not message or any(message in error for error in errors)), errors
    for name, value in change.items():
        if "\x00" not in value and name not in ("area", "ownership"):
            assert page(shown).select_one(f"[name='{name}']")["value" if "address" != name else "name"] is not None
    assert draft(demo_data, office).data[slug]["state"] == "errors"


def test_typed_values_come_back_exactly(holder_client, demo_data, office):
    save(holder_client, office, "premises", {**PREMISES, "counters": "صفر"})
    shown = page(holder_client.get(url(office, "premises")))
    assert shown.select_one("input[name=counters]")["value"] == "صفر"
    assert shown.select_one("input[name=floor_area]")["value"] == "۸۰"


def test_a_step_page_links_each_error_to_its_field(holder_client, demo_data, office):
    save(holder_client, office, "license", {**LICENSE, "mobile": "", "activity_start-day": ""})
    shown = page(holder_client.get(url(office, "license")))
    targets = [a["href"] for a in shown.select(".error-summary a")]
    assert "#mobile" in targets and "#activity_start-day" in targets
    for target in targets:
        assert shown.select_one(target) is not None


def test_locked_fields_are_read_only_with_a_correction_link(holder_client, office):
    shown = page(holder_client.get(url(office, "license")))
    locked = shown.select_one("section[aria-labelledby=locked-title]").get_text()
    assert "مریم احمدی" in locked
    codes = [c.get_text() for c in shown.select("section[aria-labelledby=locked-title] bdi.code")]
    assert codes == ["P-1038", "TEH21059"]  # codes as written, one script each, marked
    assert shown.select_one("input[name=license_number]") is None
    assert shown.select_one(f"a[href='{url(office, 'correction')}']") is not None


def test_a_correction_request_goes_to_the_region(holder_client, demo_data, office):
    response = holder_client.post(url(office, "correction"), data={
        "field": "license_date", "requested_value": "۱۳۹۳/۱۰/۲۹", "reason": "تاریخ پروانه یک روز اشتباه است."})
    assert response.status_code == 303
    with demo_data.app_context():
        request = db.session.scalar(sa.select(CorrectionRequest))
        assert (request.field, request.current_value, request.status) == ("license_date", "1393/10/28", "open")


def test_the_address_step_offers_only_areas_of_the_office_province(holder_client, office):
    options = [o.get_text() for o in page(holder_client.get(url(office, "address"))).select("select[name=area] option")]
    assert any("تهران" in text for text in options)
    assert not any("رشت" in text or "اصفهان" in text for text in options)


# --- staff rows without JavaScript ---------------------------------------------------------------

def test_staff_rows_are_added_and_removed_without_javascript(holder_client, demo_data, office):
    version = version_of(holder_client, office, "staff")
    added = holder_client.post(url(office, "staff"), data={**STAFF, "version": version, "action": "add"})
    assert added.status_code == 303 and added.headers["Location"].endswith("#staff-2")
    shown = page(holder_client.get(url(office, "staff")))
    assert len(shown.select("fieldset.staff-row")) == 3
    assert shown.select_one("input[name='staff-1-full_name']")["value"] == "علی کریمی"
    version = shown.select_one("input[name=version]")["value"]
    form = {i["name"]: i.get("value", "") for i in shown.select("input[name^=staff-]") if i.get("type") != "radio"}
    form.update({i["name"]: i["value"] for i in shown.select("input[name^=staff-][type=radio][checked]")})
    form.update({s["name"]: (s.select_one("option[selected]") or {"value": ""})["value"]
                 for s in shown.select("select[name^=staff-]")})
    removed = holder_client.post(url(office, "staff"), data={**form, "version": version, "action": "remove-0"})
    assert removed.status_code == 303
    shown = page(holder_client.get(url(office, "staff")))
    assert len(shown.select("fieldset.staff-row")) == 2
    assert shown.select_one("input[name='staff-0-full_name']")["value"] == "علی کریمی"


def test_the_default_button_saves_instead_of_removing(holder_client, office):
    form = page(holder_client.get(url(office, "staff"))).select_one("form[data-window-write]")
    first = form.select_one("button[type=submit]")
    assert first["value"] == "save"


# --- drafts: versions, conflicts, expiry ---------------------------------------------------------

def test_a_save_without_a_version_is_never_a_silent_overwrite(holder_client, demo_data, office):
    save(holder_client, office, "license", LICENSE)
    response = holder_client.post(url(office, "license"), data={**LICENSE, "email": "x@example.ir"})
    assert "restore=" in response.headers["Location"]


def test_kept_input_is_shown_only_to_its_owner(holder_client, demo_data, office):
    version = version_of(holder_client, office, "license")
    save(holder_client, office, "license", LICENSE, version=version)
    kept_at = save(holder_client, office, "license", {**LICENSE, "email": "mine@example.ir"},
                   version=version).headers["Location"]
    stranger = demo_data.test_client()
    login(stranger, OTHER_HOLDER, OTHER_HOLDER)
    assert stranger.get(kept_at).status_code in (302, 404)


# --- Post/Redirect/Get and caching ---------------------------------------------------------------

def test_every_wizard_post_answers_with_a_redirect(holder_client, demo_data, office):
    for slug, data in steps(demo_data).items():
        assert save(holder_client, office, slug, data).status_code == 303
        assert save(holder_client, office, slug, {}).status_code == 303


def test_step_pages_are_never_cached(holder_client, office):
    assert holder_client.get(url(office, "license")).headers["Cache-Control"] == "no-store"


def test_a_step_page_stays_small(holder_client, demo_data, office):
    save(holder_client, office, "staff", STAFF)
    for slug in ("license", "staff", "review"):
        assert len(holder_client.get(url(office, slug)).data) < 40_000


# --- submission ----------------------------------------------------------------------------------

def review_version(client, office_id) -> str:
    return page(client.get(url(office_id, "review"))).select_one("input[name=version]")["value"]


def test_submission_needs_every_step(holder_client, office):
    save(holder_client, office, "license", LICENSE)
    shown = page(holder_client.get(url(office, "review")))
    assert shown.select_one("form[action$=submit]") is None
    response = holder_client.post(url(office, "submit"), data={"declare": "y", "version": "2"})
    assert response.headers["Location"] == url(office, "review")


def test_submission_needs_the_declaration_ticked(holder_client, demo_data, office):
    fill_all(holder_client, demo_data, office)
    response = holder_client.post(url(office, "submit"), data={"version": review_version(holder_client, office)})
    assert "unticked=1" in response.headers["Location"]
    assert "برای ارسال، خانهٔ اعلام را علامت بزنید." in summary(holder_client.get(response.headers["Location"]))
    assert count(demo_data, Submission) == 0


def test_submission_freezes_a_snapshot_with_hash_and_tracking_code(holder_client, demo_data, office):
    fill_all(holder_client, demo_data, office)
    response = holder_client.post(url(office, "submit"), data={"declare": "y",
                                                                "version": review_version(holder_client, office)})
    assert response.status_code == 303 and response.headers["Location"] == url(office, "receipt/1")
    with demo_data.app_context():
        submission = db.session.scalar(sa.select(Submission))
        snapshot = json.loads(submission.snapshot)
        assert sha256(submission.snapshot.encode()).hexdigest() == submission.sha256
        assert tracking.is_valid(submission.tracking_code)
        assert snapshot["steps"]["staff"]["staff"][0]["full_name"] == "مریم احمدی"  # ي stored as ی
        assert snapshot["steps"]["address"]["address"] == "تهران، خیابان ولیعصر، کوچه ۱۰، پلاک ۲"
        assert snapshot["steps"]["address"]["postal_code"] == "1435678901"
        assert snapshot["steps"]["premises"]["floor_area"] == 80
        assert snapshot["steps"]["license"]["activity_start"] == {"year": 1395, "month": 7, "day": 1}
        assert snapshot["office"]["license_number"] == "P-1038"
        code = submission.tracking_code
    receipt = page(holder_client.get(response.headers["Location"])).get_text()
    persian = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert f"{persian[:4]}-{persian[4:8]}-{persian[8:]}" in receipt
    assert ("submit", "ok") in [(e.action, e.outcome) for e in audit_events(demo_data)]


def audit_events(app):
    with app.app_context():
        events = db.session.scalars(sa.select(AuditEvent)).all()
        db.session.expunge_all()
        return events


def test_submitting_twice_creates_nothing_twice(holder_client, demo_data, office):
    fill_all(holder_client, demo_data, office)
    version = review_version(holder_client, office)
    first = holder_client.post(url(office, "submit"), data={"declare": "y", "version": version})
    second = holder_client.post(url(office, "submit"), data={"declare": "y", "version": version})
    assert first.headers["Location"] == second.headers["Location"]
    assert count(demo_data, Submission) == 1


def test_reopen_and_resubmit_keeps_every_version(holder_client, demo_data, office):
    fill_all(holder_client, demo_data, office)
    holder_client.post(url(office, "submit"), data={"declare": "y", "version": review_version(holder_client, office)})
    save(holder_client, office, "premises", {**PREMISES, "counters": "5"})
    tasks = page(holder_client.get(url(office))).get_text()
    assert "فقط اگر پیش از پایان مهلت دوباره ارسال کنید" in tasks
    with demo_data.app_context():
        first = json.loads(db.session.scalar(sa.select(Submission.snapshot)))
    assert first["steps"]["premises"]["counters"] == 4  # the unsubmitted change erases nothing
    second = holder_client.post(url(office, "submit"), data={"declare": "y",
                                                              "version": review_version(holder_client, office)})
    assert second.headers["Location"] == url(office, "receipt/2")
    assert count(demo_data, Submission) == 2


# --- the deadline --------------------------------------------------------------------------------

# --- access --------------------------------------------------------------------------------------

def declaration_routes(app, office_id):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("declaration.") and "office_id" in rule.arguments:
            values = {"office_id": office_id, "slug": "license", "number": 1}
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                yield method, rule.build({k: v for k, v in values.items() if k in rule.arguments})[1]


def test_another_holders_office_is_a_404_everywhere_and_nothing_changes(holder_client, demo_data, other_office):
    before = (count(demo_data, Declaration), count(demo_data, KeptInput), count(demo_data, CorrectionRequest))
    checked = 0
    for method, address_ in declaration_routes(demo_data, other_office):
        response = holder_client.open(address_, method=method, data={**LICENSE, "version": "1", "declare": "y",
                                                                     "field": "province", "requested_value": "x",
                                                                     "reason": "because"})
        assert response.status_code == 404, (method, address_)
        checked += 1
    assert checked >= 7
    assert (count(demo_data, Declaration), count(demo_data, KeptInput), count(demo_data, CorrectionRequest)) == before


def test_staff_and_strangers_cannot_use_the_wizard(demo_data, office, client):
    assert client.get(url(office, "license")).headers["Location"].startswith("/login")


def test_unknown_steps_are_404(holder_client, office):
    assert holder_client.get(url(office, "nope")).status_code == 404


# --- prefill from the last round -----------------------------------------------------------------

def test_a_new_round_starts_from_the_last_submission(holder_client, demo_data, office, runner, frozen_clock):
    fill_all(holder_client, demo_data, office)
    holder_client.post(url(office, "submit"), data={"declare": "y", "version": review_version(holder_client, office)})
    with demo_data.app_context():
        db.session.execute(sa.update(Round).values(status="closed"))
        db.session.commit()
    later = datetime(2027, 4, 21, 9, 0, tzinfo=TEHRAN)
    frozen_clock(later)
    result = demo_data.test_cli_runner().invoke(args=["round", "open", "--title", "بعدی", "--opens", "1406/02/01"])
    assert result.exit_code == 0, result.output
    fresh = demo_data.test_client()
    login(fresh, HOLDER, "a sturdy passphrase")
    tags = [t.get_text() for t in page(fresh.get(url(office))).select(".task-list .tag")]
    assert tags == ["تأییدشده مگر آنکه تغییر دهید"] * 5
    shown = page(fresh.get(url(office, "premises")))
    assert shown.select_one("input[name=floor_area]")["value"] == "۸۰"  # a stored number, shown in Persian digits
    review = page(fresh.get(url(office, "review")))
    assert review.select_one("form[action$=submit]") is not None


def test_a_wizard_page_reads_office_area_round_and_draft_in_one_statement(holder_client, demo_data, office):
    from flask_login import login_user

    from wizard.access import Account
    from wizard.declaration.drafts import wizard_page
    from wizard.models import User

    save(holder_client, office, "premises", PREMISES)
    with demo_data.test_request_context():
        holder = db.session.scalar(sa.select(User).where(User.username == HOLDER))
        login_user(Account.of(holder))
        statements = []

        def record(_connection, _cursor, statement, *_args):
            statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            page_office, page_round, page_draft = wizard_page(office)
            area_name = page_office.area.name  # loaded with the office: no further statement
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)
        assert len(statements) == 1
        assert page_office is db.session.get(Office, office) and area_name
        assert page_round is db.session.scalar(sa.select(Round))
        assert page_draft is db.session.scalar(sa.select(Declaration).where(Declaration.office_id == office))
        assert page_draft.data["premises"]["state"] == "complete"
        assert page_round.phase(NOW) == "open"


def test_a_wizard_page_without_a_draft_or_a_round_reads_none_for_them(holder_client, demo_data, office):
    from flask_login import login_user

    from wizard.access import Account
    from wizard.declaration.drafts import wizard_page
    from wizard.models import User

    with demo_data.test_request_context():
        login_user(Account.of(db.session.scalar(sa.select(User).where(User.username == HOLDER))))
        assert wizard_page(office)[2] is None  # no draft until the holder first opens the wizard
        db.session.execute(sa.update(Round).values(status="draft"))
        assert wizard_page(office)[1:] == (None, None)
