"""Correction requests for locked fields: the holder asks, the region of the office accepts or rejects."""

from datetime import date

import pytest

import sqlalchemy as sa
from bs4 import BeautifulSoup

from tests.declaration.test_declaration import url
from wizard.extensions import db
from wizard.models import Area
from wizard.models import AuditEvent
from wizard.models import CorrectionRequest
from wizard.models import Office


pytestmark = pytest.mark.usefixtures("in_the_window")  # the demo round is open


def ask(holder_client, app, office_id, field, value) -> int:
    """The holder files a correction request; its id."""
    response = holder_client.post(url(office_id, "correction"), data={
        "field": field, "requested_value": value, "reason": "پروانهٔ پیوست این را نشان می‌دهد."})
    assert response.status_code == 303
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.max(CorrectionRequest.id)))


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def text(response) -> str:
    return page(response).get_text(" ", strip=True)


def office_row(app, office_id) -> dict:
    with app.app_context():
        found = db.session.get(Office, office_id)
        return {"license_number": found.license_number, "office_code": found.office_code,
                "office_type": found.office_type, "province": found.province, "area_id": found.area_id,
                "license_date": found.license_date, "holder_name": found.holder.full_name,
                "national_code": found.holder.national_code, "username": found.holder.username}


def status_of(app, request_id) -> tuple[str, str | None]:
    with app.app_context():
        found = db.session.get(CorrectionRequest, request_id)
        return found.status, found.answer


def events(app, action) -> list[AuditEvent]:
    with app.app_context():
        found = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()
        db.session.expunge_all()
        return found


def test_the_region_of_the_office_sees_the_request(holder_client, demo_data, office, tehran, isfahan):
    request_id = ask(holder_client, demo_data, office, "license_number", "P-۱۰۳۹")
    listed = tehran.get("/admin/corrections")
    assert listed.status_code == 200
    assert "P-1039" in text(listed) and "شمارهٔ پروانه" in text(listed)
    assert page(listed).select_one(f"a[href='/admin/corrections/{request_id}']") is not None
    shown = tehran.get(f"/admin/corrections/{request_id}")
    assert shown.status_code == 200
    assert page(shown).select_one(f"form[action='/admin/corrections/{request_id}/accept']") is not None
    assert all(form.select_one("input[name=csrf_token]") for form in page(shown).select("form[method=post]"))
    assert "P-1039" not in text(isfahan.get("/admin/corrections"))


def test_another_province_gets_404_and_nothing_changes(holder_client, demo_data, office, isfahan):
    request_id = ask(holder_client, demo_data, office, "license_number", "P-1039")
    before = office_row(demo_data, office)
    assert isfahan.get(f"/admin/corrections/{request_id}").status_code == 404
    assert isfahan.post(f"/admin/corrections/{request_id}/accept").status_code == 404
    assert isfahan.post(f"/admin/corrections/{request_id}/reject", data={"answer": "نه، درست است."}).status_code == 404
    assert office_row(demo_data, office) == before
    assert status_of(demo_data, request_id) == ("open", None)
    assert isfahan.get("/admin/corrections/99999").status_code == 404


def test_accepting_changes_the_record_and_is_audited(holder_client, demo_data, office, tehran):
    request_id = ask(holder_client, demo_data, office, "license_number", " p-۱۰۳۹ ")
    response = tehran.post(f"/admin/corrections/{request_id}/accept")
    assert response.status_code == 303 and response.headers["Location"] == "/admin/corrections"
    assert office_row(demo_data, office)["license_number"] == "P-1039"
    assert status_of(demo_data, request_id) == ("accepted", None)
    [event] = events(demo_data, "correction-accept")
    assert event.target == f"office:{office}" and event.details["old"] == "P-1038"
    assert event.details["new"] == "P-1039" and event.details["field"] == "license_number"
    assert "P-1039" in text(tehran.get("/admin/corrections"))  # flash message on the page that follows


@pytest.mark.parametrize(("field", "typed", "changed", "expected"), [
    ("license_date", "۱۳۹۳/۱۰/۲۹", "license_date", date(2015, 1, 19)),
    ("national_code", "۱۵۸۳۲۵۰۶۸۹", "national_code", "1583250689"),
    ("holder_name", "مريم  احمدي‌نژاد", "holder_name", "مریم احمدی‌نژاد"),
    ("office_type", "rural_ict", "office_type", "rural_ict"),
    ("office_type", "دفتر ICT روستایی", "office_type", "rural_ict"),
    ("office_code", "teh21060", "office_code", "TEH21060"),
])
def test_each_locked_field_can_be_corrected(holder_client, demo_data, office, tehran, field, typed, changed, expected):
    request_id = ask(holder_client, demo_data, office, field, typed)
    assert tehran.post(f"/admin/corrections/{request_id}/accept").status_code == 303
    assert status_of(demo_data, request_id)[0] == "accepted"
    assert office_row(demo_data, office)[changed] == expected


def test_a_new_national_code_becomes_the_holder_username(holder_client, demo_data, office, tehran):
    request_id = ask(holder_client, demo_data, office, "national_code", "1583250689")
    tehran.post(f"/admin/corrections/{request_id}/accept")
    assert office_row(demo_data, office)["username"] == "1583250689"


@pytest.mark.parametrize(("field", "typed", "message"), [
    ("national_code", "0012345678", "کد ملی معتبر نیست"),
    ("national_code", "1021153087", "حساب دیگری"),  # علی رضایی's code
    ("license_number", "P-1078", "دفتر دیگری"),
    ("office_code", "ISF37385", "دفتر دیگری"),
    ("license_number", "P 10<script>", "فقط حروف لاتین"),
    ("province", "آتلانتیس", "«آتلانتیس»"),
    ("office_type", "bank", "نوع دفتر"),
    ("license_date", "1393/13/01", "تاریخ پروانه"),
    ("license_number", "P-1038", "همین مقدار"),
])
def test_a_bad_value_is_refused_in_persian_and_changes_nothing(holder_client, demo_data, office, admin,
                                                               field, typed, message):
    request_id = ask(holder_client, demo_data, office, field, typed)
    before = office_row(demo_data, office)
    assert message in text(admin.get(f"/admin/corrections/{request_id}"))  # said before anyone presses accept
    response = admin.post(f"/admin/corrections/{request_id}/accept", follow_redirects=True)
    assert response.status_code == 200
    assert page(response).select_one(".notice-error") is not None and message in text(response)
    assert "<script>" not in response.get_data(as_text=True)
    assert office_row(demo_data, office) == before
    assert status_of(demo_data, request_id) == ("open", None) and events(demo_data, "correction-accept") == []


def test_only_an_admin_moves_an_office_to_another_province(holder_client, demo_data, office, tehran, admin):
    request_id = ask(holder_client, demo_data, office, "province", "اصفهان")
    refused = tehran.post(f"/admin/corrections/{request_id}/accept", follow_redirects=True)
    assert "فقط" in text(refused) and office_row(demo_data, office)["province"] == "تهران"
    without_area = admin.post(f"/admin/corrections/{request_id}/accept", follow_redirects=True)
    assert page(without_area).select_one(".notice-error") is not None
    assert office_row(demo_data, office)["province"] == "تهران"
    with demo_data.app_context():
        tehran_area = db.session.scalar(sa.select(Area.id).where(Area.province == "تهران"))
        isfahan_area = db.session.scalar(sa.select(Area.id).where(Area.province == "اصفهان"))
    admin.post(f"/admin/corrections/{request_id}/accept", data={"area": str(tehran_area)})
    assert office_row(demo_data, office)["province"] == "تهران"  # an area of the old province is refused
    assert admin.post(f"/admin/corrections/{request_id}/accept", data={"area": str(isfahan_area)}).status_code == 303
    moved = office_row(demo_data, office)
    assert (moved["province"], moved["area_id"]) == ("اصفهان", isfahan_area)
    assert tehran.get(f"/admin/corrections/{request_id}").status_code == 404  # out of Tehran's scope now


def test_rejecting_needs_a_reason_that_the_holder_then_sees(holder_client, demo_data, office, tehran):
    request_id = ask(holder_client, demo_data, office, "license_date", "1393/10/29")
    empty = tehran.post(f"/admin/corrections/{request_id}/reject", data={"answer": "  "})
    assert empty.status_code == 400 and page(empty).select_one(".error-summary") is not None
    assert status_of(demo_data, request_id) == ("open", None)
    reason = "در سامانهٔ پروانه‌ها تاریخ ۱۳۹۳/۱۰/۲۸ ثبت است؛ <b>سند</b> بفرستید."
    response = tehran.post(f"/admin/corrections/{request_id}/reject", data={"answer": reason})
    assert response.status_code == 303
    assert status_of(demo_data, request_id) == ("rejected", reason)
    assert office_row(demo_data, office)["license_date"] == date(2015, 1, 18)
    [event] = events(demo_data, "correction-reject")
    assert event.details["answer"] == reason and event.target == f"office:{office}"
    holder_page = holder_client.get(url(office, "correction"))
    assert reason in text(holder_page) and "<b>سند</b>" not in holder_page.get_data(as_text=True)


def test_a_request_is_answered_only_once(holder_client, demo_data, office, tehran, admin):
    request_id = ask(holder_client, demo_data, office, "license_number", "P-1039")
    tehran.post(f"/admin/corrections/{request_id}/reject", data={"answer": "شماره درست است."})
    again = admin.post(f"/admin/corrections/{request_id}/accept", follow_redirects=True)
    assert "پیش‌تر پاسخ" in text(again)
    assert page(again).select_one(f"form[action='/admin/corrections/{request_id}/accept']") is None
    assert admin.post(f"/admin/corrections/{request_id}/reject", data={"answer": "باز هم نه."}).status_code == 303
    assert office_row(demo_data, office)["license_number"] == "P-1038"
    assert status_of(demo_data, request_id) == ("rejected", "شماره درست است.")
    assert len(events(demo_data, "correction-reject")) == 1 and events(demo_data, "correction-accept") == []


def test_holders_may_not_answer_requests(holder_client, demo_data, office):
    request_id = ask(holder_client, demo_data, office, "license_number", "P-1039")
    assert holder_client.get("/admin/corrections").status_code == 403
    assert holder_client.get(f"/admin/corrections/{request_id}").status_code == 403
    assert holder_client.post(f"/admin/corrections/{request_id}/accept").status_code == 403
    assert holder_client.post(f"/admin/corrections/{request_id}/reject", data={"answer": "خودم"}).status_code == 403
    assert status_of(demo_data, request_id) == ("open", None)
