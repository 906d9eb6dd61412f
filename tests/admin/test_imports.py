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
from wizard.rules.text import to_ascii_digits

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


def windows_1256(text: str) -> bytes:
    """As Excel on Persian Windows saves it: no Persian yeh or Persian digits in that code page."""
    return to_ascii_digits(text).replace("ی", "ي").encode("cp1256")


def upload_bytes(client, kind: str, data: bytes, name: str = "file.csv"):
    return client.post("/admin/imports", data={"kind": kind, "upload": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def latin_digits_outside_code(shown: BeautifulSoup) -> str:
    main = shown.select_one("main")
    for code in main.select("code"):
        code.decompose()
    return "".join(char for char in main.get_text() if char in "0123456789")


@pytest.mark.parametrize(("data", "encoding", "delimiter"), [
    (GOOD_AREAS.replace(",", "\t").encode("utf-16"), "UTF-16", "نویسهٔ Tab"),  # Excel's "Unicode Text"
    (b"\xfe\xff" + GOOD_AREAS.encode("utf-16-be"), "UTF-16", "ویرگول"),
    (windows_1256(GOOD_AREAS), "Windows-1256", "ویرگول"),  # Persian Windows, no ی in it
    (GOOD_AREAS.replace(",", ";").encode("utf-8"), "UTF-8", "نقطه‌ویرگول"),  # Excel on Windows set to Persian
    (GOOD_AREAS.encode("utf-8"), "UTF-8", "ویرگول"),
])
def test_files_in_every_encoding_excel_saves_are_read(demo_data, admin, data, encoding, delimiter):
    shown = preview(admin, upload_bytes(admin, "areas", data))
    assert [cell.get_text(strip=True) for cell in shown.select("tbody td")] == ["۱", "۰", "۱"]
    read_as = shown.select_one("main p.muted")
    assert read_as.select_one("code").get_text() == encoding and delimiter in read_as.get_text()
    assert latin_digits_outside_code(shown) == ""
    admin.post(confirm_url(shown))
    with demo_data.app_context():
        area = db.session.scalar(sa.select(Area).where(Area.code == "TEH-009"))
        assert (area.name, area.available_services) == ("ورامین", 120)


def test_a_windows_1256_offices_file_stores_persian_letters(demo_data, admin):
    text = OFFICES_HEADER + GOOD_OFFICE.replace("بهاره امینی", "یاسمن کیانی")
    shown = preview(admin, upload_bytes(admin, "offices", windows_1256(text)))
    admin.post(confirm_url(shown))
    with demo_data.app_context():
        assert db.session.scalar(sa.select(User.full_name).where(User.national_code == "0499370899")) == "یاسمن کیانی"


@pytest.mark.parametrize(("data", "says"), [
    (b"PK\x03\x04" + b"\x00" * 40, "کارپوشهٔ اکسل"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "کارپوشهٔ قدیمی اکسل"),
    ("area_code,name\nJosé,Besançon\nRenée,Zürich\n".encode("cp1252"), "اروپای غربی"),
    (GOOD_AREAS.encode("utf-8") + "TEH-010,تهران".encode("cp1256") + b"\n", "سطر ۴ بایت‌هایی دارد"),
])
def test_a_file_it_cannot_read_is_named_with_how_to_save_it_as_csv_utf8(admin, data, says):
    response = upload_bytes(admin, "areas", data)
    assert response.status_code == 400
    shown = BeautifulSoup(response.data, "html.parser")
    assert shown.select_one(".error-summary a[href='#upload']") is not None
    problem = shown.select_one("#upload-problem")
    assert says in problem.get_text()
    assert "CSV UTF-8 (Comma delimited) (*.csv)" in [code.get_text() for code in problem.select("code")]
    assert "Save As" in problem.get_text()
    assert latin_digits_outside_code(shown) == ""


def test_errors_are_listed_in_line_order_and_by_column_within_a_line(admin):
    rows = (OFFICES_HEADER
            + "0499370899,بهاره امینی,09121112233,P-9001,TEH90001,pishkhan,تهران,NOPE-1,1401/02/03\n"  # area: checked last
            + "0499370899,بهاره امینی,0912,P-9002,TEH90002,pishkhan,تهران,TEH-001,1401/02/03\n"  # mobile: parsed first
            + "1234567890,کسی,0912,P-9003,TEH90003,pishkhan,تهران,TEH-001,1401/02/03\n"  # two in one row
            + "0499370899,بهاره امینی,09121112233,P-9001,TEH90005,pishkhan,تهران,NOPE-2,1401/02/03\n")
    shown = preview(admin, upload(admin, "offices", rows))
    found = [[cell.get_text(strip=True) for cell in row.select("td")][:2] for row in shown.select("tbody tr")]
    assert found == [["۲", "area_code"], ["۳", "mobile"], ["۴", "national_code"], ["۴", "mobile"],
                     ["۵", "license_number"], ["۵", "area_code"]]


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
