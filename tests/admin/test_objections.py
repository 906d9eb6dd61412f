"""Objections (issue 21, item 5), the region's side: the province's list and one objection's page, accepting with
a previewed value or rejecting with a reason, scoping, and the whole cycle: publish, object, accept, compute,
publish again, with verification codes that stay right."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import AFTER
from tests.cycle import run
from tests.results.test_objections import PDF
from tests.results.test_objections import file_objection
from tests.results.test_objections import objections
from tests.results.test_objections import page
from tests.results.test_objections import text
from tests.test_persian_pages import assert_persian
from wizard.extensions import db
from wizard.models import AuditEvent
from wizard.models import Objection
from wizard.models import Result
from wizard.models import User

pytestmark = pytest.mark.usefixtures("in_the_window")


@pytest.fixture
def filed(published, holder_client, demo_data):
    """The holder objected to her office's floor area, with a PDF."""
    assert file_objection(holder_client, published, upload=("سند.pdf", PDF)).status_code == 303
    return objections(demo_data)[0]


def refresh(*clients):
    for client in clients:
        with client.session_transaction() as session:
            session["seen"] = session["started"] = int(AFTER.timestamp())


def result_of(app, office, version) -> Result:
    with app.app_context():
        found = db.session.scalar(sa.select(Result).where(Result.office_id == office, Result.version == version))
        db.session.expunge_all()
        return found


def accept(client, objection_id, value, **extra):
    return client.post(f"/admin/objections/{objection_id}/accept",
                       data={"accept-corrected_value": value, "accept": "1", **extra})


def test_the_region_sees_its_provinces_objections(filed, demo_data, tehran, isfahan, admin):
    refresh(tehran, isfahan, admin)
    listed = page(tehran.get("/admin/objections"))
    assert listed.select_one(f"a[href='/admin/objections/{filed.id}']") is not None
    assert "مساحت دفتر" in listed.get_text()
    assert page(isfahan.get("/admin/objections")).select_one(f"a[href='/admin/objections/{filed.id}']") is None
    for address in (f"/admin/objections/{filed.id}", f"/admin/objections/{filed.id}/attachment"):
        assert isfahan.get(address).status_code == 404, address
    assert isfahan.post(f"/admin/objections/{filed.id}/reject", data={"reject-answer": "خیر، درست است"}).status_code == 404
    assert accept(isfahan, filed.id, "95").status_code == 404
    shown = page(tehran.get(f"/admin/objections/{filed.id}"))
    assert "سند اجاره پیوست است" in shown.get_text()  # the holder's reason
    assert shown.select_one(f"a[href='/admin/objections/{filed.id}/attachment']").get_text() == "سند.pdf"
    download = tehran.get(f"/admin/objections/{filed.id}/attachment")
    assert download.data == PDF and download.headers["Content-Disposition"].startswith("attachment;")
    assert admin.get(f"/admin/objections/{filed.id}/attachment").status_code == 200
    with demo_data.app_context():
        reads = db.session.execute(sa.select(User.username, AuditEvent.target, AuditEvent.details)
                                   .join(User, User.id == AuditEvent.actor_id)
                                   .where(AuditEvent.action == "objection-attachment")
                                   .order_by(AuditEvent.id)).all()
    assert [(who, target, details["file"]) for who, target, details in reads] == [
        ("tehran", f"objection:{filed.id}", "سند.pdf"), ("admin", f"objection:{filed.id}", "سند.pdf")]
    for client in (tehran, admin):
        for address in ("/admin/objections", f"/admin/objections/{filed.id}", "/admin/objections?status=open"):
            assert_persian(client, address)


def test_preview_shows_what_a_value_scores_and_saves_nothing(filed, demo_data, tehran):
    refresh(tehran)
    response = tehran.post(f"/admin/objections/{filed.id}/accept",
                           data={"accept-corrected_value": "۱۶۰", "preview": "1"})
    assert response.status_code == 200
    assert "۱۵ امتیاز" in text(response)  # 160 m² is the top band: 5 points × weight 3
    assert page(response).select_one("#accept-corrected_value")["value"] == "۱۶۰"
    assert objections(demo_data)[0].status == "open"


@pytest.mark.parametrize(("value", "status", "message"), [
    ("", 400, "مقدار درست را وارد کنید"), ("12.5", 400, None), ("-3", 409, "عددی از ۰ تا"),
])
def test_a_value_must_be_a_whole_number_in_range(filed, demo_data, tehran, value, status, message):
    refresh(tehran)
    response = accept(tehran, filed.id, value)
    assert response.status_code == status
    if message:
        assert message in text(response)
    assert objections(demo_data)[0].status == "open"


def test_the_value_already_counted_is_refused(filed, demo_data, tehran, published):
    refresh(tehran)
    counted = result_of(demo_data, published, 1).breakdown["values"]["floor_area"]
    response = accept(tehran, filed.id, str(counted))
    assert response.status_code == 409 and "همان مقداری است که حساب شده" in text(response)


def test_a_rejection_needs_a_reason_and_the_holder_sees_it(filed, demo_data, tehran, holder_client, published):
    refresh(tehran, holder_client)
    assert tehran.post(f"/admin/objections/{filed.id}/reject", data={"reject-answer": ""}).status_code == 400
    response = tehran.post(f"/admin/objections/{filed.id}/reject",
                           data={"reject-answer": "سند اجاره مساحت ۸۰ متر را نشان می‌دهد."})
    assert response.status_code == 303
    assert objections(demo_data)[0].status == "rejected"
    again = accept(tehran, filed.id, "95")
    assert again.status_code == 409 and "پیش‌تر پاسخ داده شده" in text(again)
    story = text(holder_client.get(f"/results/{published}/objections/{filed.id}"))
    assert "رد شد" in story and "مساحت ۸۰ متر" in story
    with demo_data.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "objection-reject"))
        assert event.details["objection"] == filed.id


def test_the_whole_cycle(filed, demo_data, tehran, admin, holder_client, published):
    """Publish v1 → objection accepted → compute v2 → publish v2: the office's new result and code, the old code
    says replaced, every other office keeps its code."""
    refresh(tehran, admin, holder_client)
    before = result_of(demo_data, published, 1)
    assert accept(tehran, filed.id, "160", **{"accept-answer": "سند اجاره پذیرفته شد"}).status_code == 303
    objection = objections(demo_data)[0]
    assert (objection.status, objection.corrected_value) == ("accepted", 160)
    assert "۱" in text(admin.get("/admin/rounds"))
    assert page(admin.get("/admin/rounds")).select_one("a[href='/admin/objections?status=accepted']") is not None
    holder_view = text(holder_client.get(f"/results/{published}/objections/{filed.id}"))
    assert "پذیرفته شد" in holder_view and "با انتشار نسخهٔ بعدی نتایج اعمال می‌شود" in holder_view

    run(demo_data, "results", "compute")  # version 2: holders still see version 1
    assert page(admin.get("/admin/rounds")).select_one("a[href='/admin/objections?status=accepted']") is None
    assert "با انتشار نسخهٔ بعدی" in text(holder_client.get(f"/results/{published}/objections/{filed.id}"))
    assert "در نسخهٔ ۲ اعمال شد" in text(tehran.get(f"/admin/objections/{filed.id}"))
    run(demo_data, "results", "publish")

    after = result_of(demo_data, published, 2)
    assert after.breakdown["values"]["floor_area"] == 160
    assert after.score == before.score + (15 - 9)  # 80 m² earned 3 × 3, 160 m² earns 5 × 3
    assert after.verification_code != before.verification_code
    story = text(holder_client.get(f"/results/{published}/objections/{filed.id}"))
    assert "در نسخهٔ ۲ نتایج اعمال شد" in story
    result_page = page(holder_client.get(f"/results/{published}"))
    assert result_page.select_one(".verification-code").get_text() == after.verification_code
    assert "این نسخهٔ ۲ نتایج است" in result_page.get_text()
    replaced = text(demo_data.test_client().get(f"/verify/{before.verification_code}"))
    assert after.verification_code in replaced
    with demo_data.app_context():
        versions = db.session.execute(sa.select(Result.office_id, Result.version, Result.verification_code)
                                      .where(Result.office_id != published)).all()
    codes = {}
    for office, version, code in versions:
        codes.setdefault(office, {})[version] = code
    assert all(found[1] == found[2] for found in codes.values())  # every other office keeps its code
    with demo_data.app_context():
        actions = [a for a in db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id))
                   if a.startswith(("objection-", "results-"))]
    assert actions == ["results-compute", "results-publish", "objection-file", "objection-accept",
                       "results-compute", "results-publish"]


def test_no_answer_once_the_results_are_final(filed, demo_data, tehran):
    refresh(tehran)
    with demo_data.app_context():
        from wizard.models import Round

        db.session.get(Round, 1).approved_version = 1
        db.session.commit()
    response = accept(tehran, filed.id, "160")
    assert response.status_code == 409 and "قطعی شده" in text(response)
    assert db_status(demo_data, filed.id) == "open"


def db_status(app, objection_id):
    with app.app_context():
        return db.session.get(Objection, objection_id).status



def test_final_approval_waits_for_every_objection_to_be_answered_and_published(filed, demo_data, tehran,
                                                                               frozen_clock):
    """A result cannot become final while an objection to it is unanswered, or accepted but not yet in the
    published version (issue 21, items 5 and 6)."""
    from wizard import ranking
    from wizard.models import Round

    def approve() -> str:
        with demo_data.app_context():
            try:
                ranking.approve(db.session.get(Round, filed.round_id))
            except ranking.RankingError as refused:
                return str(refused)
            return "approved"

    with demo_data.app_context():
        after_window = db.session.get(Round, filed.round_id).objections_close_at + timedelta(seconds=1)
    frozen_clock(after_window)
    with tehran.session_transaction() as session:
        session["seen"] = session["started"] = int(after_window.timestamp())
    assert "هنوز پاسخ داده نشده" in approve()
    assert accept(tehran, filed.id, "95").status_code == 303
    assert "هنوز در نتایج منتشرشده نیست" in approve()
    run(demo_data, "results", "compute")
    run(demo_data, "results", "publish")
    assert approve() == "approved"
