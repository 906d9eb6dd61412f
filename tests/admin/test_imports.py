"""Web imports for the regulator: upload, a dry-run preview with every bad row, confirm, all or nothing."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from tests.conftest import staff_client
from tests.declaration.test_declaration import NOW
from wizard.extensions import db
from wizard.models import Area
from wizard.models import AuditEvent
from wizard.models import Office
from wizard.models import User

AREAS_HEADER = "area_code,province,county,name,kind,available_services\n"
GOOD_AREAS = AREAS_HEADER + "TEH-001,تهران,تهران,تهران,city,412\nTEH-009,تهران,ورامین,ورامین,city,۱۲۰\n"
OFFICES_HEADER = ("national_code,full_name,mobile,license_number,office_code,office_type,province,area_code,"
                  "license_date\n")
GOOD_OFFICE = "0499370899,بهاره امینی,09121112233,P-9001,TEH90001,pishkhan,تهران,TEH-001,1401/02/03\n"
BAD_OFFICES = (OFFICES_HEADER + GOOD_OFFICE
               + "1234567890,کسی,09121112234,P-9002,TEH90002,pishkhan,تهران,TEH-001,1401/02/03\n"
               + "0499370899,بهاره امینی,09121112233,P-9003,TEH90003,pishkhan,تهران,NOPE-1,1401/02/03\n")


pytestmark = pytest.mark.usefixtures("in_the_window")  # the demo round is open


@pytest.fixture(autouse=True)
def own_instance_folder(app, tmp_path):
    """Uploads wait in the instance folder: the test's own, not the developer's."""
    app.instance_path = str(tmp_path / "instance")


def upload(client, kind: str, text: str, encoding="utf-8-sig"):
    data = {"kind": kind, "upload": (io.BytesIO(text.encode(encoding)), f"{kind}.csv")}
    return client.post("/admin/imports", data=data, content_type="multipart/form-data")


def page(response) -> BeautifulSoup:
    assert response.status_code == 200, response.data[:300]
    return BeautifulSoup(response.data, "html.parser")


def preview(client, response) -> BeautifulSoup:
    assert response.status_code == 303, response.data[:300]
    return page(client.get(response.headers["Location"]))


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def confirm_url(shown: BeautifulSoup) -> str:
    return shown.select_one("form[action$=confirm]")["action"]


def leftovers(app) -> list[Path]:
    folder = Path(app.instance_path) / "imports"
    return list(folder.iterdir()) if folder.exists() else []


def test_the_upload_form_is_persian_and_csrf_protected(admin):
    shown = page(admin.get("/admin/imports"))
    form = shown.select_one("form[enctype='multipart/form-data']")
    assert form.select_one("input[name=csrf_token]") is not None
    assert {i["value"] for i in form.select("input[name=kind]")} == {"areas", "offices"}
    assert shown.find("html")["dir"] == "rtl"


def test_a_preview_shows_every_bad_row_by_line_and_column_and_writes_nothing(demo_data, admin):
    offices, users, events = count(demo_data, Office), count(demo_data, User), count(demo_data, AuditEvent)
    shown = preview(admin, upload(admin, "offices", BAD_OFFICES))
    rows = [[cell.get_text(strip=True) for cell in row.select("td")] for row in shown.select("tbody tr")]
    assert ["۳", "national_code"] == rows[0][:2]  # line 3: the header is line 1
    assert ["۴", "area_code"] == rows[1][:2]
    assert len(rows) == 2
    assert shown.select_one(".notice-error") is not None
    assert shown.select_one("form[action$=confirm]") is None
    assert (count(demo_data, Office), count(demo_data, User), count(demo_data, AuditEvent)) == (offices, users, events)


def test_a_good_file_previews_its_counts_then_imports_on_confirm(demo_data, admin):
    shown = preview(admin, upload(admin, "areas", GOOD_AREAS))
    counts = [cell.get_text(strip=True) for cell in shown.select("tbody td")]
    assert counts == ["۱", "۰", "۱"]  # one new, none changed, one as it was
    assert count(demo_data, Area, Area.code == "TEH-009") == 0  # the preview was a dry run
    response = admin.post(confirm_url(shown))
    assert response.status_code == 303 and response.headers["Location"].endswith("/admin/imports")
    assert count(demo_data, Area, Area.code == "TEH-009") == 1
    assert "۱" in page(admin.get("/admin/imports")).select_one(".notice-success").get_text()
    with demo_data.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "import"))
        assert db.session.get(User, event.actor_id).username == "admin"
        assert (event.target, event.details["created"], event.details["unchanged"]) == ("areas", 1, 1)
    assert leftovers(demo_data) == []


def test_offices_and_their_holders_import(demo_data, admin):
    shown = preview(admin, upload(admin, "offices", OFFICES_HEADER + GOOD_OFFICE))
    assert count(demo_data, User, User.national_code == "0499370899") == 0
    admin.post(confirm_url(shown))
    assert count(demo_data, Office, Office.license_number == "P-9001") == 1
    assert count(demo_data, User, User.national_code == "0499370899") == 1


def test_a_used_token_fails_politely(demo_data, admin):
    shown = preview(admin, upload(admin, "areas", GOOD_AREAS))
    admin.post(confirm_url(shown))
    admin.get("/admin/imports")  # shows (and uses up) the success message
    again = admin.post(confirm_url(shown))
    assert again.status_code == 302 and again.headers["Location"].endswith("/admin/imports")
    assert page(admin.get("/admin/imports")).select_one(".notice-error") is not None
    assert count(demo_data, Area, Area.code == "TEH-009") == 1
    assert admin.get(confirm_url(shown).removesuffix("/confirm")).status_code == 302  # its preview is gone too


def test_a_file_with_a_bad_row_is_never_partly_imported(demo_data, admin):
    response = upload(admin, "offices", BAD_OFFICES)  # its first row is good
    admin.post(response.headers["Location"] + "/confirm")  # a hand-made confirm of a failed preview
    assert count(demo_data, Office, Office.license_number.in_(["P-9001", "P-9002", "P-9003"])) == 0
    assert count(demo_data, User, User.national_code == "0499370899") == 0


def test_data_that_changes_after_the_preview_is_refused_at_confirm(demo_data, admin):
    shown = preview(admin, upload(admin, "offices", OFFICES_HEADER + GOOD_OFFICE))
    with demo_data.app_context():  # meanwhile the area moves to another province
        db.session.scalar(sa.select(Area).where(Area.code == "TEH-001")).province = "اصفهان"
        db.session.commit()
    response = admin.post(confirm_url(shown))
    assert response.status_code == 303
    again = page(admin.get(response.headers["Location"]))
    assert again.select_one(".notice-error") is not None and "area_code" in again.get_text()
    assert count(demo_data, Office, Office.license_number == "P-9001") == 0
    assert count(demo_data, User, User.national_code == "0499370899") == 0
    with demo_data.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "import"))
        assert event.outcome == "refused"


def test_a_file_that_is_not_utf8_is_refused_with_a_message(admin):
    response = upload(admin, "areas", GOOD_AREAS, encoding="utf-16")  # what some editors save
    assert response.status_code == 400
    assert BeautifulSoup(response.data, "html.parser").select_one(".error-summary") is not None


def test_a_missing_file_or_kind_is_an_error_on_the_form(admin):
    response = admin.post("/admin/imports", data={}, content_type="multipart/form-data")
    shown = BeautifulSoup(response.data, "html.parser")
    assert response.status_code == 400 and len(shown.select(".error-summary li")) == 2


def test_a_region_gets_403_and_a_holder_too(demo_data, holder_client):
    region = staff_client(demo_data, "tehran")
    for client in (region, holder_client):
        assert client.get("/admin/imports").status_code == 403
        assert upload(client, "areas", GOOD_AREAS).status_code == 403
        assert client.post("/admin/imports/anything/confirm").status_code == 403
    assert count(demo_data, Area, Area.code == "TEH-009") == 0


def test_discarding_a_preview_removes_its_files(demo_data, admin):
    shown = preview(admin, upload(admin, "areas", GOOD_AREAS))
    assert len(leftovers(demo_data)) == 2
    admin.post(shown.select_one("form[action$=cancel]")["action"])
    assert leftovers(demo_data) == []
    assert admin.post(confirm_url(shown)).status_code == 302
    assert count(demo_data, Area, Area.code == "TEH-009") == 0


def test_another_sessions_token_is_not_accepted(demo_data, admin, frozen_clock):
    shown = preview(admin, upload(admin, "areas", GOOD_AREAS))
    frozen_clock(NOW + timedelta(minutes=1))  # a fresh one-time code for the second sign-in
    other = staff_client(demo_data, "admin")  # another session of the regulator
    assert other.post(confirm_url(shown)).status_code == 302
    assert count(demo_data, Area, Area.code == "TEH-009") == 0


def test_the_whole_flow_with_csrf_protection_on(tmp_path):
    from tests.conftest import STAFF_PASSWORD
    from tests.conftest import enroll_staff
    from tests.conftest import make_app
    from tests.conftest import totp_code
    from tests.test_csrf import token_from

    base = tmp_path / "protected"  # apart from the autouse fixtures' app and database
    base.mkdir()
    app = make_app(base, WTF_CSRF_ENABLED=True)
    app.instance_path = str(base / "instance")
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    enroll_staff(app, "admin")
    client = app.test_client()
    client.post("/login", data={"username": "admin", "password": STAFF_PASSWORD, "csrf_token": token_from(client)})
    second = {"code": totp_code(), "csrf_token": token_from(client, "/account/two-factor")}
    assert client.post("/account/two-factor", data=second).status_code == 302
    data = {"kind": "areas", "upload": (io.BytesIO(GOOD_AREAS.encode()), "areas.csv"),
            "csrf_token": token_from(client, "/admin/imports")}
    shown = preview(client, client.post("/admin/imports", data=data, content_type="multipart/form-data"))
    form = shown.select_one("form[action$=confirm]")
    response = client.post(form["action"], data={"csrf_token": form.select_one("input[name=csrf_token]")["value"]})
    assert response.status_code == 303
    assert count(app, Area, Area.code == "TEH-009") == 1
