"""Objections (issue 21, item 5), the holder's side: the window and its countdown, filing one per criterion with
an attachment checked by its content, the tracking code, and each step of what became of it."""

import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from tests.conftest import AFTER
from tests.conftest import OTHER_HOLDER
from tests.conftest import login
from tests.conftest import make_app
from tests.conftest import office_id
from tests.test_persian_pages import assert_persian
from wizard.extensions import db
from wizard.models import AuditEvent
from wizard.models import Objection
from wizard.models import Result
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


def run(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def published(submitted, demo_data):
    """The demo holder's submitted office, with version 1 of the results published (the window is open)."""
    run(demo_data, "results", "compute")
    run(demo_data, "results", "publish")
    return submitted


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
