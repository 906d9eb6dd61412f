"""Objections (issue 21, item 5), the holder's side: the window and its countdown, filing one per criterion with
an attachment checked by its content, the tracking code, and each step of what became of it."""

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from tests.conftest import AFTER
from tests.conftest import OTHER_HOLDER
from tests.conftest import login
from tests.conftest import office_id
from tests.cycle import run
from tests.test_persian_pages import assert_persian
from wizard.extensions import db
from wizard.models import AuditEvent
from wizard.models import Objection
from wizard.models import Round
from wizard.rules import tracking

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
pytestmark = pytest.mark.usefixtures("in_the_window")  # the demo round opens on DEMO_DAY

REASON = "مساحت دفتر ۹۵ متر مربع است؛ سند اجاره پیوست است."


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def text(response) -> str:
    return page(response).get_text(" ", strip=True)


def at(frozen_clock, moment, *clients):
    """Move the clock; the clients' sessions were in use until then (the idle timeout would end them)."""
    frozen_clock(moment)
    for client in clients:
        with client.session_transaction() as session:
            session["seen"] = session["started"] = int(moment.timestamp())


def new_url(office, criterion=None):
    return f"/results/{office}/objections/new" + (f"?criterion={criterion}" if criterion else "")


def file_objection(client, office, criterion="floor_area", reason=REASON, upload=None):
    data = {"criterion": criterion, "reason": reason}
    if upload is not None:
        data["attachment"] = (io.BytesIO(upload[1]), upload[0])
    return client.post(new_url(office), data=data, content_type="multipart/form-data")


def objections(app):
    with app.app_context():
        found = db.session.scalars(sa.select(Objection).order_by(Objection.id)).all()
        db.session.expunge_all()
        return found


def test_the_results_page_shows_the_objection_window(published, holder_client, demo_data):
    shown = page(holder_client.get(f"/results/{published}"))
    card = shown.select_one("[data-countdown]")
    assert card is not None and card["data-phase"] == "open"
    assert "tone-calm" in card["class"]  # 7 days and some hours left
    assert "۲۷ آذر" in shown.select_one("[data-countdown]").get_text() or "۴ دی" in card.get_text()
    assert shown.select_one(f"a[href='{new_url(published, 'floor_area')}']") is not None
    assert_persian(holder_client, f"/results/{published}")
    assert_persian(holder_client, new_url(published))


def test_a_holder_files_an_objection_with_a_pdf(published, holder_client, demo_data):
    response = file_objection(holder_client, published, upload=("سند اجاره.pdf", PDF))
    assert response.status_code == 303, text(response)
    [objection] = objections(demo_data)
    assert tracking.is_valid(objection.tracking_code)
    assert (objection.criterion, objection.result_version, objection.status) == ("floor_area", 1, "open")
    assert (objection.attachment_name, objection.attachment_type, objection.attachment_size) == (
        "سند اجاره.pdf", "application/pdf", len(PDF))
    shown = holder_client.get(response.headers["Location"])
    assert shown.status_code == 200
    grouped = tracking.grouped(objection.tracking_code).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert page(shown).select_one(".tracking-code").get_text() == grouped
    assert "در انتظار پاسخ" in text(shown) or "منتظر" in text(shown)
    download = holder_client.get(f"/results/{published}/objections/{objection.id}/attachment")
    assert download.status_code == 200 and download.data == PDF
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    with demo_data.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "objection-file"))
        assert event.details["tracking_code"] == objection.tracking_code and event.details["attachment"] is True


@pytest.mark.parametrize(("name", "content", "kind"), [("photo.PNG", PNG, "image/png"), ("scan.jpeg", JPEG, "image/jpeg"),
                                                       ("no-extension", PDF, "application/pdf")])
def test_real_pngs_and_jpegs_are_accepted(published, holder_client, demo_data, name, content, kind):
    assert file_objection(holder_client, published, upload=(name, content)).status_code == 303
    [objection] = objections(demo_data)
    assert objection.attachment_type == kind
    download = holder_client.get(f"/results/{published}/objections/{objection.id}/attachment")
    assert download.mimetype == kind and download.data == content


@pytest.mark.parametrize(("name", "content", "message"), [
    ("report.pdf", HTML, "هیچ‌کدام از آن‌ها نیست"),  # an HTML page renamed .pdf
    ("photo.png", b"GIF89a\x01\x00\x01\x00", "هیچ‌کدام از آن‌ها نیست"),
    ("empty.pdf", b"", "فایل خالی است"),
    ("", b"", None),  # nothing chosen, as a browser sends an empty file box: the objection goes alone
])
def test_a_file_is_judged_by_its_content(published, holder_client, demo_data, name, content, message):
    response = file_objection(holder_client, published, upload=(name, content))
    if message is None:
        assert response.status_code == 303
        assert objections(demo_data)[0].attachment_key is None
        return
    assert response.status_code == 400
    shown = page(response)
    assert message in shown.select_one("#attachment-error").get_text()
    assert shown.select_one("#reason").get_text().strip() == REASON  # what was typed comes back
    assert shown.select_one("input[name=criterion][value=floor_area]").has_attr("checked")
    assert objections(demo_data) == []
    assert _uploads(demo_data) == []


def _uploads(app):
    import os

    folder = app.config["UPLOAD_FOLDER"]
    return os.listdir(folder) if os.path.isdir(folder) else []


def test_a_file_over_the_limit_is_refused(published, holder_client, demo_data):
    demo_data.config["ATTACHMENT_MAX_BYTES"] = 2048
    response = file_objection(holder_client, published, upload=("big.pdf", PDF + b"0" * 2048))
    assert response.status_code == 400
    assert "بیش از ۲ کیلوبایت" in page(response).select_one("#attachment-error").get_text()
    assert objections(demo_data) == []
    assert file_objection(holder_client, published, upload=("small.pdf", PDF)).status_code == 303


def test_a_request_over_max_content_length_gets_a_clear_413(published, holder_client, demo_data):
    demo_data.config["MAX_CONTENT_LENGTH"] = 16 * 1024
    response = file_objection(holder_client, published, upload=("huge.pdf", PDF + b"0" * 32 * 1024))
    assert response.status_code == 413
    assert "حداکثر ۲ مگابایت" in text(response)
    assert objections(demo_data) == []


def test_an_invalid_objection_keeps_what_was_typed(published, holder_client, demo_data):
    response = file_objection(holder_client, published, criterion="", reason="کوتاه", upload=("a.pdf", PDF))
    assert response.status_code == 400
    shown = page(response)
    assert shown.select_one(".error-summary") is not None
    assert shown.select_one("#reason").get_text().strip() == "کوتاه"
    assert "دوباره آن را انتخاب کنید" in text(response)  # a browser never refills a file box
    response = file_objection(holder_client, published, criterion="no_such_criterion")
    assert response.status_code == 400
    assert objections(demo_data) == []


def test_one_objection_per_criterion(published, holder_client, demo_data):
    assert file_objection(holder_client, published).status_code == 303
    again = file_objection(holder_client, published)
    assert again.status_code == 400  # the criterion is no longer among the choices
    form = page(holder_client.get(new_url(published)))
    assert form.select_one("input[name=criterion][value=floor_area]") is None
    assert form.select_one("input[name=criterion][value=counters]") is not None
    assert file_objection(holder_client, published, criterion="counters").status_code == 303
    assert [o.criterion for o in objections(demo_data)] == ["floor_area", "counters"]


def test_the_window_closes_at_its_last_second(published, holder_client, demo_data, frozen_clock):
    with demo_data.app_context():
        closes = db.session.get(Round, 1).objections_close_at
    assert closes.astimezone(AFTER.tzinfo).strftime("%H:%M:%S") == "23:59:59"
    assert (closes.astimezone(AFTER.tzinfo).date() - AFTER.date()).days == 7
    at(frozen_clock, closes - timedelta(hours=5), holder_client)
    shown = page(holder_client.get(f"/results/{published}"))
    assert "tone-urgent" in shown.select_one("[data-countdown]")["class"]
    at(frozen_clock, closes, holder_client)
    assert file_objection(holder_client, published).status_code == 303
    at(frozen_clock, closes + timedelta(microseconds=1), holder_client)
    late = file_objection(holder_client, published, criterion="counters")
    assert late.status_code == 409
    assert "مهلت اعتراض به پایان رسیده بود" in text(late)
    assert REASON in text(late)  # shown back, not lost
    assert len(objections(demo_data)) == 1
    shown = page(holder_client.get(f"/results/{published}"))
    card = shown.select_one("[data-countdown]")
    assert card["data-phase"] == "closed" and "مهلت اعتراض به پایان رسیده است" in card.get_text()
    assert shown.select_one(f"a[href^='{new_url(published)}']") is None
    assert "اعتراض تازه‌ای نمی‌توان فرستاد" in text(holder_client.get(new_url(published)))


def test_no_objection_before_publication_or_on_anothers_office(submitted, holder_client, demo_data):
    assert holder_client.get(new_url(submitted)).status_code == 404  # nothing published yet
    run(demo_data, "results", "compute")
    run(demo_data, "results", "publish")
    assert file_objection(holder_client, submitted, upload=("a.pdf", PDF)).status_code == 303
    [objection] = objections(demo_data)
    other = demo_data.test_client()
    with demo_data.app_context():
        from wizard.models import User
        from tests.conftest import password_hash

        user = db.session.scalar(sa.select(User).where(User.username == OTHER_HOLDER))
        user.password_hash, user.must_change_password = password_hash("another passphrase"), False
        db.session.commit()
    assert login(other, OTHER_HOLDER, "another passphrase").status_code == 302
    base = f"/results/{submitted}/objections"
    for address in (new_url(submitted), f"{base}/{objection.id}", f"{base}/{objection.id}/attachment"):
        assert other.get(address).status_code == 404, address
    assert other.post(new_url(submitted), data={"criterion": "counters", "reason": REASON}).status_code == 404
    second = office_id(demo_data, "P-1073")  # the demo holder's other office: not this objection's
    assert holder_client.get(f"/results/{second}/objections/{objection.id}").status_code == 404
    assert holder_client.get(f"/results/{second}/objections/{objection.id}/attachment").status_code == 404
    assert demo_data.test_client().get(f"{base}/{objection.id}/attachment").status_code == 302  # sign in first


def test_a_tampered_record_never_serves_a_page(published, holder_client, demo_data):
    assert file_objection(holder_client, published, upload=("a.pdf", PDF)).status_code == 303
    [objection] = objections(demo_data)
    address = f"/results/{published}/objections/{objection.id}/attachment"
    with demo_data.app_context():
        found = db.session.get(Objection, objection.id)
        found.attachment_type, found.attachment_name = "text/html", "page.html"
        db.session.commit()
    download = holder_client.get(address)
    assert download.mimetype == "application/octet-stream"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in download.headers.getlist("Content-Security-Policy")[0]
    with demo_data.app_context():
        found = db.session.get(Objection, objection.id)
        found.attachment_key = "../../../etc/passwd"
        db.session.commit()
    assert holder_client.get(address).status_code == 404
