"""SMS to holders seen from the staff console (issue 22): the events that queue them, the outbox page (scoped to
the region's province), retries, the CSV, the round's reminder plan with `flask messages tick`, and a region's
reminder to its non-submitters with its preview and confirm step."""

import csv
import io
from datetime import datetime

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from tests.conftest import AFTER
from tests.conftest import HOLDER
from tests.declaration.test_declaration import fill_all
from tests.declaration.test_declaration import review_version
from tests.declaration.test_declaration import url
from tests.notify.helpers import sent
from tests.notify.helpers import sent_to
from wizard.extensions import db
from wizard.models import AuditEvent
from wizard.models import Message
from wizard.models import Office
from wizard.models import User
from wizard.rules.deadline import TEHRAN

pytestmark = pytest.mark.usefixtures("in_the_window")  # the demo round is open

TEHRAN_MOBILES = {"09480606454", "09161089089", "09067333742", "09077476864", "09349896941"}
ISFAHAN_MOBILES = {"09933816566", "09211306704", "09922594783", "09907808438"}
GILAN_MOBILES = {"09299771392", "09755125316", "09142943846"}
HOLDER_MOBILE = "09480606454"
SEND_FORM = "form[action$='/non-submitters/message'][method=post]"


def page(response) -> BeautifulSoup:
    assert response.status_code == 200, response.data[:300]
    return BeautifulSoup(response.data, "html.parser")


def messages(app, **where) -> list[Message]:
    with app.app_context():
        query = sa.select(Message).order_by(Message.id)
        for name, value in where.items():
            query = query.where(getattr(Message, name) == value)
        return list(db.session.scalars(query))


def test_opening_the_round_told_every_holder_once(demo_data, runner):
    opened = messages(demo_data, event="round_opened")
    assert {m.mobile for m in opened} == TEHRAN_MOBILES | ISFAHAN_MOBILES | GILAN_MOBILES
    assert len(opened) == 12  # one per holder, though مریم احمدی has two offices
    assert all(m.status == "delivered" and m.parts <= 2 for m in opened)
    assert "آغاز شد" in sent_to(demo_data, HOLDER_MOBILE)[0]
    assert runner.invoke(args=["messages", "tick"]).exit_code == 0
    assert len(messages(demo_data, event="round_opened")) == 12  # tick sends nothing twice


def test_a_submission_sends_its_receipt_with_the_tracking_code(holder_client, demo_data, office):
    fill_all(holder_client, demo_data, office)
    response = holder_client.post(url(office, "submit"), data={"declare": "y",
                                                               "version": review_version(holder_client, office)})
    assert response.status_code == 303
    [receipt] = messages(demo_data, event="receipt")
    with demo_data.app_context():
        from wizard.models import Submission

        code = db.session.scalar(sa.select(Submission.tracking_code))
    from wizard.rules.text import to_persian_digits

    assert to_persian_digits(code) in receipt.text and "TEH21059" in receipt.text
    assert receipt.office_id == office and receipt.province == "تهران" and receipt.status == "delivered"


def test_an_extension_tells_the_holders_who_have_not_submitted(demo_data, runner):
    result = runner.invoke(args=["round", "extend", "--days", "3"])
    assert result.exit_code == 0, result.output
    extended = messages(demo_data, event="deadline_extended")
    assert {m.mobile for m in extended} == TEHRAN_MOBILES | ISFAHAN_MOBILES | GILAN_MOBILES
    assert "تمدید شد" in extended[0].text


def test_the_region_sees_only_its_province_in_the_outbox(demo_data, tehran, isfahan, admin):
    shown = page(tehran.get("/admin/messages"))
    text = shown.get_text(" ", strip=True)
    assert "۰۹۴۸۰۶۰۶۴۵۴" in text and "۰۹۹۳۳۸۱۶۵۶۶" not in text
    figures = shown.select("table")[0].select("tbody tr")
    assert [cell.get_text(strip=True) for cell in figures[0].select("th, td")][-2:] == ["۵", "۱۰۰٪"]
    assert "۰۹۴۸۰۶۰۶۴۵۴" not in page(isfahan.get("/admin/messages")).get_text()
    assert "۱۲ پیام" in page(admin.get("/admin/messages")).get_text(" ", strip=True)
    exported = list(csv.reader(io.StringIO(tehran.get("/admin/messages.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert {row[3] for row in exported[1:]} == TEHRAN_MOBILES
    with demo_data.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "export")) == 1


def test_filters_by_status_and_event(demo_data, admin):
    shown = page(admin.get("/admin/messages?status=failed"))
    assert "۰ پیام" in shown.get_text(" ", strip=True)
    shown = page(admin.get("/admin/messages?event=round_opened&status=delivered&page=²"))
    assert "۱۲ پیام" in shown.get_text(" ", strip=True)
    assert shown.select_one("#event option[selected]")["value"] == "round_opened"
    assert page(admin.get("/admin/messages?status=nonsense")).select_one("#status option[selected]") is None


def _fail_one(app, mobile):
    with app.app_context():
        message = db.session.scalar(sa.select(Message).where(Message.mobile == mobile))
        message.status, message.last_error, message.attempts = "failed", "HTTP 503: service unavailable", 5
        db.session.commit()
        return message.id


def test_a_failed_message_is_sent_again_on_request_and_audited(demo_data, tehran, isfahan):
    message_id = _fail_one(demo_data, HOLDER_MOBILE)
    shown = page(tehran.get("/admin/messages?status=failed"))
    assert "HTTP 503" in shown.get_text()
    assert isfahan.post(f"/admin/messages/{message_id}/retry").status_code == 404  # another province's
    response = tehran.post(f"/admin/messages/{message_id}/retry", data={"back": "/admin/messages?status=failed"})
    assert response.status_code == 303 and response.headers["Location"] == "/admin/messages?status=failed"
    [again] = [m for m in messages(demo_data) if m.id == message_id]
    assert (again.status, again.attempts) == ("delivered", 1)
    assert len(sent_to(demo_data, HOLDER_MOBILE)) == 2
    with demo_data.app_context():
        audit = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "message-retry"))
        assert audit.target == f"message:{message_id}" and audit.details["last_error"].startswith("HTTP 503")
    response = tehran.post(f"/admin/messages/{message_id}/retry", data={"back": "https://evil.example/"})
    assert response.headers["Location"] == "/admin/messages"  # not failed: nothing happens, and no open redirect
    assert len(sent_to(demo_data, HOLDER_MOBILE)) == 2


def test_the_reminder_plan_and_tick_remind_only_the_non_submitters(holder_client, demo_data, office, admin,
                                                                    tehran, runner, frozen_clock):
    fill_all(holder_client, demo_data, office)
    holder_client.post(url(office, "submit"), data={"declare": "y", "version": review_version(holder_client, office)})
    with demo_data.app_context():  # her second office is still open: she stays a non-submitter; give it away
        second = db.session.scalar(sa.select(Office).where(Office.license_number == "P-1073"))
        second.holder_id = db.session.scalar(sa.select(User.id).where(User.national_code == "1021153087"))
        db.session.commit()
        round_id = db.session.scalar(sa.select(Office.id).limit(1)) and 1
    assert tehran.get(f"/admin/rounds/{round_id}/reminders").status_code == 403
    shown = page(admin.get(f"/admin/rounds/{round_id}/reminders"))
    assert shown.select_one("#days") is not None
    response = admin.post(f"/admin/rounds/{round_id}/reminders", data={
        "days": "۷، ۳، ۱", "max_per_holder": "3", "min_gap_hours": "12", "quiet_start": "22", "quiet_end": "8"})
    assert response.status_code == 303
    bad = admin.post(f"/admin/rounds/{round_id}/reminders", data={
        "days": "7,x", "max_per_holder": "30", "min_gap_hours": "12", "quiet_start": "22", "quiet_end": "8"})
    assert bad.status_code == 400 and "error-summary" in bad.get_data(as_text=True)
    assert "۱۹ آذر ۱۴۰۵" in page(admin.get(f"/admin/rounds/{round_id}/reminders")).get_text()

    frozen_clock(datetime(2026, 12, 10, 7, 30, tzinfo=TEHRAN))  # the 7-day reminder's day, in the quiet hours
    assert "reminders=0" in runner.invoke(args=["messages", "tick"]).output
    frozen_clock(datetime(2026, 12, 10, 9, 0, tzinfo=TEHRAN))
    result = runner.invoke(args=["messages", "tick"])
    assert "reminders=11" in result.output, result.output
    reminded = {m.mobile for m in messages(demo_data, event="reminder")}
    assert HOLDER_MOBILE not in reminded and len(reminded) == 11
    text = [m.text for m in messages(demo_data, event="reminder") if m.mobile == "09161089089"][0]
    assert "۷ روز" in text and "۲ دفتر" in text  # his own office and the one he was given
    assert "reminders=0" in runner.invoke(args=["messages", "tick"]).output  # idempotent
    frozen_clock(datetime(2026, 12, 14, 9, 0, tzinfo=TEHRAN))
    assert "reminders=11" in runner.invoke(args=["messages", "tick"]).output
    frozen_clock(AFTER)
    assert "reminders=0" in runner.invoke(args=["messages", "tick"]).output  # the window has closed
    assert HOLDER_MOBILE not in {line["mobile"] for line in sent(demo_data) if "روز تا پایان" in line["text"]}


def test_the_region_previews_then_sends_a_reminder_to_its_non_submitters(demo_data, tehran, admin):
    shown = page(tehran.get("/admin/non-submitters"))
    assert shown.select_one("a[href='/admin/non-submitters/message']") is not None
    shown = page(tehran.get("/admin/non-submitters/message?note=تلفن ۰۲۱۸۸۸۸۸۸۸۸"))
    text = shown.get_text(" ", strip=True)
    assert "پیشخوان، استان تهران" in shown.select_one(".sms-preview").get_text()
    assert "تلفن ۰۲۱۸۸۸۸۸۸۸۸" in shown.select_one(".sms-preview").get_text()
    assert "۵ دارنده" in text and "شمار پیامک: ۲" in text
    form = shown.select_one(SEND_FORM)
    data = {field["name"]: field.get("value", "") for field in form.select("input")}
    assert tehran.post(form["action"], data=data).status_code == 303
    bulk = messages(demo_data, event="bulk_reminder")
    assert {m.mobile for m in bulk} == TEHRAN_MOBILES and all(m.province == "تهران" for m in bulk)
    assert tehran.post(form["action"], data=data).status_code == 303  # the confirm sent twice
    assert len(messages(demo_data, event="bulk_reminder")) == 5
    with demo_data.app_context():
        audit = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "bulk-message"))
        assert audit.details["province"] == "تهران" and audit.details["recipients"] == 5
    assert "۱۲ دارنده" in page(admin.get("/admin/non-submitters/message")).get_text()  # the admin: every province


def test_a_note_too_long_for_two_parts_is_refused(demo_data, tehran):
    shown = page(tehran.get("/admin/non-submitters/message?note=" + "س" * 61))
    assert shown.select_one(".error-summary") is not None and shown.select_one(SEND_FORM) is None
    response = tehran.post("/admin/non-submitters/message", data={"note": "س" * 61, "batch": "b"})
    assert response.status_code == 303 and messages(demo_data, event="bulk_reminder") == []


def test_no_bulk_message_in_the_quiet_hours(demo_data, tehran, frozen_clock):
    late = frozen_clock(datetime(2026, 11, 28, 23, 0, tzinfo=TEHRAN))
    with tehran.session_transaction() as session:  # signed in a moment ago, not at 10:00
        session["seen"] = session["started"] = int(late.timestamp())
    shown = page(tehran.get("/admin/non-submitters/message"))
    assert shown.select_one(SEND_FORM) is None and "۲۲:۰۰" in shown.get_text()
    response = tehran.post("/admin/non-submitters/message", data={"note": "", "batch": "b"})
    assert response.status_code == 303 and messages(demo_data, event="bulk_reminder") == []


def test_the_bulk_message_with_csrf_protection_on(tmp_path, in_the_window):
    from tests.conftest import STAFF_PASSWORD
    from tests.conftest import enroll_staff
    from tests.conftest import make_app
    from tests.conftest import totp_code
    from tests.test_csrf import token_from

    base = tmp_path / "protected"
    base.mkdir()
    app = make_app(base, WTF_CSRF_ENABLED=True)
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    enroll_staff(app, "tehran")
    client = app.test_client()
    response = client.post("/login", data={"username": "tehran", "password": STAFF_PASSWORD,
                                           "csrf_token": token_from(client)})
    assert response.status_code == 302, response.data
    assert client.post("/account/two-factor", data={"code": totp_code(),
                                                    "csrf_token": token_from(client, "/account/two-factor")}).status_code == 302
    shown = page(client.get("/admin/non-submitters/message"))
    form = shown.select_one(SEND_FORM)
    data = {field["name"]: field.get("value", "") for field in form.select("input")}
    assert client.post(form["action"], data={**data, "csrf_token": "forged"}).status_code == 400
    assert messages(app, event="bulk_reminder") == []
    assert client.post(form["action"], data=data).status_code == 303
    assert len(messages(app, event="bulk_reminder")) == 5


def test_a_holder_cannot_reach_the_outbox(holder_client):
    assert holder_client.get("/admin/messages").status_code in (403, 404)
    assert HOLDER  # the demo holder signed in
