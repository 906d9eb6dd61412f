"""Final approval (issue 21, item 6): from the rounds page (confirmed first) and from the command line, refused in
Persian while objections may still change the results, audited; then the holder sees the result is final and staff
download the agencies' file (CSV and Excel) of the approved version, with nothing personal in it."""

import csv
import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from tests.admin.test_exports import read_csv
from tests.admin.test_xlsx_exports import as_dicts
from tests.admin.test_xlsx_exports import read_xlsx
from tests.agencies import after_objections
from tests.agencies import at
from tests.agencies import round_row
from tests.agencies import set_office_code
from tests.conftest import AFTER
from tests.conftest import staff_client
from tests.results.test_objections import page
from tests.results.test_objections import text
from tests.test_persian_pages import assert_persian
from wizard.extensions import db
from wizard.models import AuditEvent
from wizard.models import Result

pytestmark = pytest.mark.usefixtures("in_the_window")

AGENCY_HEADERS = ["کد دفتر", "نوع دفتر", "استان", "شهرستان", "کد منطقه", "منطقه", "رتبه", "خدمات مجاز",
                  "خدمات موجود در منطقه", "کد تأیید"]


def audits(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        found = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)
                                   .order_by(AuditEvent.id)).all()
        db.session.expunge_all()
        return found


def test_the_rounds_page_approves_after_a_confirmation(published, demo_data, admin, holder_client, frozen_clock):
    at(frozen_clock, AFTER, admin)
    listed = page(admin.get("/admin/rounds"))
    link = listed.select_one("a[href='/admin/rounds/1/approve']")
    assert link is not None and link.get_text() == "تأیید نهایی نتایج"
    assert "(پس از " in link.parent.get_text()  # when the objection window lets it
    confirm = admin.get("/admin/rounds/1/approve")
    assert confirm.status_code == 200
    assert "نسخهٔ ۱" in text(confirm) and "قطعی" in text(confirm)
    assert_persian(admin, "/admin/rounds/1/approve")

    refused = admin.post("/admin/rounds/1/approve")  # the objection window is still open
    assert refused.status_code == 303 and refused.headers["Location"] == "/admin/rounds/1/approve"
    assert "مهلت اعتراض هنوز باز است" in text(admin.get(refused.headers["Location"]))
    assert round_row(demo_data).approved_version is None
    assert [event.outcome for event in audits(demo_data, "results-approve")] == ["refused"]

    at(frozen_clock, after_objections(demo_data), admin, holder_client)
    done = admin.post("/admin/rounds/1/approve")
    assert done.status_code == 303 and done.headers["Location"] == "/admin/rounds"
    after = page(admin.get("/admin/rounds"))
    assert "نسخهٔ ۱ نتایج قطعی شد" in after.get_text()
    assert "قطعی: نسخهٔ ۱" in after.get_text()
    for action in ("approve", "compute", "publish"):
        assert after.select_one(f"a[href='/admin/rounds/1/{action}']") is None, action
    row = round_row(demo_data)
    assert row.approved_version == 1 and row.approved_at is not None
    assert [event.outcome for event in audits(demo_data, "results-approve")] == ["refused", "ok"]
    assert audits(demo_data, "results-approve")[-1].actor_id is not None  # the admin, from the web

    again = admin.post("/admin/rounds/1/approve")
    assert again.status_code == 303
    assert "پیش‌تر قطعی" in text(admin.get(again.headers["Location"]))
    result_page = page(holder_client.get(f"/results/{published}"))
    assert "قطعی" in result_page.select_one(".final").get_text()
    assert_persian(holder_client, f"/results/{published}")


def test_before_approval_the_holder_sees_no_final_mark(published, holder_client):
    assert page(holder_client.get(f"/results/{published}")).select_one(".final") is None


def test_only_an_admin_approves(published, demo_data, tehran, holder_client):
    at_after = AFTER
    with tehran.session_transaction() as session:
        session["seen"] = session["started"] = int(at_after.timestamp())
    assert tehran.get("/admin/rounds/1/approve").status_code == 403
    assert tehran.post("/admin/rounds/1/approve").status_code == 403
    assert holder_client.post("/admin/rounds/1/approve").status_code == 403
    assert round_row(demo_data).approved_version is None


def test_the_command_line_approves_and_says_why_not(demo_data, frozen_clock, published):
    runner = demo_data.test_cli_runner()
    refused = runner.invoke(args=["results", "approve"])
    assert refused.exit_code != 0 and "مهلت اعتراض هنوز باز است" in refused.output
    assert runner.invoke(args=["results", "approve", "--round", "99"]).exit_code != 0
    frozen_clock(after_objections(demo_data))
    done = runner.invoke(args=["results", "approve", "--round", "1"])
    assert done.exit_code == 0, done.output
    assert "نسخهٔ ۱ نتایج قطعی شد" in done.output
    assert round_row(demo_data).approved_version == 1
    [_refused, event] = audits(demo_data, "results-approve")
    assert event.address == "CLI" and event.details["version"] == 1
    again = runner.invoke(args=["results", "approve"])
    assert again.exit_code != 0 and "پیش‌تر قطعی" in again.output
    # Final means final: nothing is computed or published again.
    assert runner.invoke(args=["results", "compute"]).exit_code != 0
    assert runner.invoke(args=["results", "publish"]).exit_code != 0


def test_the_command_line_needs_published_results(demo_data, submitted):
    refused = run_failing(demo_data, "results", "approve")
    assert "پیش از تأیید" in refused.output or "منتشر" in refused.output


def run_failing(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code != 0, result.output
    return result


# The agencies' file ---------------------------------------------------------------------------------------------

def test_the_agencies_file_is_refused_before_approval(published, demo_data, admin):
    for address in ("/admin/exports/agencies.csv", "/admin/exports/agencies.xlsx"):
        response = admin.get(address)
        assert response.status_code == 409, address
        assert "هنوز قطعی نشده" in text(response)
    listed = page(admin.get("/admin/exports"))
    assert listed.select_one("a[href='/admin/exports/agencies.csv']") is None
    assert "پس از تأیید نهایی" in listed.get_text()
    assert audits(demo_data, "export") == []


def test_the_agencies_file_holds_the_approved_version_and_nothing_personal(approved, demo_data, frozen_clock):
    set_office_code(demo_data, "P-1078", "00412345")  # an office code with leading zeros
    admin = staff_client(demo_data, "admin")
    listed = page(admin.get("/admin/exports"))
    assert listed.select_one("a[href='/admin/exports/agencies.xlsx']") is not None
    rows = read_csv(admin.get("/admin/exports/agencies.csv"))
    assert list(rows[0]) == AGENCY_HEADERS
    with demo_data.app_context():
        total = db.session.scalar(sa.select(sa.func.count()).select_from(Result).where(Result.version == 1))
    assert len(rows) == total == 13
    by_code = {row["کد دفتر"]: row for row in rows}
    assert by_code["00412345"]["منطقه"] == "تهران"
    first = by_code["TEH21059"]  # the demo holder's submitted office
    with demo_data.app_context():
        result = db.session.scalar(sa.select(Result).where(Result.office_id == approved, Result.version == 1))
        expected = (str(result.rank), str(result.allowed_services), result.verification_code)
    assert (first["رتبه"], first["خدمات مجاز"], first["کد تأیید"]) == expected
    assert first["خدمات موجود در منطقه"] == "412" and first["کد منطقه"] == "TEH-001"
    raw = admin.get("/admin/exports/agencies.csv").data.decode("utf-8-sig")
    for personal in ("0012345679", "مریم احمدی", "09480606454", "P-1038"):
        assert personal not in raw, personal  # national code, name, mobile, license number
    assert 'filename="agencies-' in admin.get("/admin/exports/agencies.csv").headers["Content-Disposition"]

    sheet = read_xlsx(admin.get("/admin/exports/agencies.xlsx"))
    assert sheet.sheet_view.rightToLeft
    found = {row["کد دفتر"]: row for row in as_dicts(sheet)}
    assert set(found) == set(by_code)  # leading zeros kept: the code stays text
    assert found["00412345"]["رتبه"] == int(by_code["00412345"]["رتبه"])  # numbers stay numbers
    headers = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "00412345":
            assert row[0].data_type == "s"
            assert row[headers.index("کد منطقه")].data_type == "s"
    events = audits(demo_data, "export")
    assert {(event.details["kind"], event.details["format"], event.details["version"]) for event in events} == {
        ("agencies", "csv", 1), ("agencies", "xlsx", 1)}


def test_a_region_gets_its_own_province_in_the_agencies_file(approved, demo_data):
    isfahan = staff_client(demo_data, "isfahan")
    rows = read_csv(isfahan.get("/admin/exports/agencies.csv"))
    assert rows and {row["استان"] for row in rows} == {"اصفهان"}
    sheet = load_workbook(io.BytesIO(isfahan.get("/admin/exports/agencies.xlsx").data)).active
    assert {row["استان"] for row in as_dicts(sheet)} == {"اصفهان"}


def test_holders_get_no_agencies_file(approved, demo_data, holder_client, frozen_clock):
    at(frozen_clock, after_objections(demo_data), holder_client)
    assert holder_client.get("/admin/exports/agencies.csv").status_code == 403


def test_the_english_file_has_english_headers(approved, demo_data):
    admin = staff_client(demo_data, "admin")
    admin.post("/language", data={"lang": "en", "next": "/"})
    header = next(csv.reader(io.StringIO(admin.get("/admin/exports/agencies.csv").data.decode("utf-8-sig"))))
    assert header == ["Office code", "Office type", "Province", "County", "Area code", "Area", "Rank",
                      "Allowed services", "Services available in the area", "Verification code"]
