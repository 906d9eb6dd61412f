"""Every CSV export has an Excel twin: identifiers as text (leading zeros kept), numbers as numbers, Jalali
dates as text, a bold header, a right-to-left sheet, column widths; audited and limited to a region's province."""

import io
import tracemalloc

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from tests.admin.test_exports import ISFAHAN_LICENSE
from tests.admin.test_exports import TEHRAN_LICENSES
from tests.admin.test_exports import read_csv
from tests.admin.test_exports import submitted  # noqa: F401 (a fixture)
from tests.conftest import HOLDER
from tests.conftest import staff_client
from tests.results.test_results import AFTER
from tests.results.test_results import run
from wizard.admin.xlsx_files import DATE
from wizard.admin.xlsx_files import ID
from wizard.admin.xlsx_files import NUMBER
from wizard.admin.xlsx_files import TEXT
from wizard.admin.xlsx_files import write_workbook
from wizard.extensions import db
from wizard.models import AuditEvent
from wizard.models import User

pytestmark = pytest.mark.usefixtures("in_the_window")  # the demo round is open

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TWINS = {"/admin/exports/declarations.xlsx": "/admin/exports/declarations.csv",
         "/admin/exports/results.xlsx": "/admin/exports/results.csv",
         "/admin/non-submitters.xlsx": "/admin/non-submitters.csv"}


def read_xlsx(response):
    assert response.status_code == 200, response.data[:300]
    assert response.content_type == XLSX
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert ".xlsx" in response.headers["Content-Disposition"]
    return load_workbook(io.BytesIO(response.data)).active


def as_dicts(sheet) -> list[dict]:
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def cell(sheet, header: str, license_number: str):
    """The cell under a header in the row of a license number."""
    headers = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == license_number:
            return row[headers.index(header)]
    raise AssertionError(f"{license_number} is not in the sheet")


def test_declarations_xlsx_keeps_leading_zeros_and_types_each_column(tehran, submitted):  # noqa: F811
    sheet = read_xlsx(tehran.get("/admin/exports/declarations.xlsx"))
    assert sheet.sheet_view.rightToLeft is True
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]][:3] == ["شمارهٔ پروانه", "کد دفتر", "نوع دفتر"]
    assert all(c.font.bold for c in sheet[1])
    national = cell(sheet, "کد ملی", "P-1038")
    assert (national.value, national.data_type) == (HOLDER, "s")  # 0012345679, not 12345679
    mobile = cell(sheet, "تلفن همراه", "P-1038")
    assert mobile.data_type == "s" and mobile.value.startswith("09")
    assert cell(sheet, "کد پستی", "P-1038").value == "1435678901"
    assert cell(sheet, "تلفن دفتر", "P-1038").value == "02188776655"
    tracking = cell(sheet, "کد رهگیری", "P-1038")
    assert tracking.data_type == "s" and tracking.value == submitted.tracking_code
    number = cell(sheet, "شمارهٔ ارسال", "P-1038")
    assert (number.value, number.data_type) == (1, "n")
    area = cell(sheet, "مساحت (مترمربع)", "P-1038")
    assert (area.value, area.data_type) == (80, "n")
    assert cell(sheet, "زمان ارسال", "P-1038").value == "1405/09/07 10:00"  # Jalali, as text
    assert cell(sheet, "تاریخ شروع فعالیت دفتر", "P-1038").value == "1395/07/01"
    assert {row["شمارهٔ پروانه"] for row in as_dicts(sheet)} == TEHRAN_LICENSES
    assert sheet.column_dimensions["A"].width >= 14 and sheet.column_dimensions["H"].width >= 18


@pytest.mark.parametrize("path", ["/admin/exports/declarations.xlsx", "/admin/non-submitters.xlsx"])
def test_the_workbook_holds_what_the_csv_holds(tehran, submitted, path):  # noqa: F811
    workbook = as_dicts(read_xlsx(tehran.get(path)))
    csv_rows = read_csv(tehran.get(TWINS[path]))
    assert [list(row) for row in workbook][:1] == [list(row) for row in csv_rows][:1]  # the same header
    as_text = [{key: "" if value is None else str(value) for key, value in row.items()} for row in workbook]
    assert as_text == csv_rows


def test_results_xlsx(computed_and_published):
    sheet = read_xlsx(staff_client(computed_and_published, "tehran").get("/admin/exports/results.xlsx"))
    rows = as_dicts(sheet)
    assert {row["شمارهٔ پروانه"] for row in rows} == TEHRAN_LICENSES
    assert all(isinstance(row["رتبه"], int) and isinstance(row["امتیاز کل"], int) for row in rows)
    assert all(isinstance(row["کد تأیید"], str) for row in rows)
    assert {row["تاریخ انتشار"] for row in rows} == {"1405/09/27 09:00"}


@pytest.fixture
def computed_and_published(submitted, demo_data, frozen_clock):  # noqa: F811
    frozen_clock(AFTER)
    assert run(demo_data, "results", "compute").exit_code == 0
    assert run(demo_data, "results", "publish").exit_code == 0
    return demo_data


def test_a_formula_stays_text(demo_data, tehran):
    with demo_data.app_context():
        holder = db.session.scalar(sa.select(User).where(User.username == HOLDER))
        holder.full_name = '=HYPERLINK("http://evil.example","x")'
        db.session.commit()
    name = cell(read_xlsx(tehran.get("/admin/exports/declarations.xlsx")), "دارندهٔ پروانه", "P-1038")
    assert name.data_type == "s" and name.value == '=HYPERLINK("http://evil.example","x")'


def test_a_region_gets_its_own_province_and_each_download_is_audited(demo_data, tehran):
    for path in TWINS:
        data = tehran.get(path).data
        assert ISFAHAN_LICENSE.encode() not in data  # (an .xlsx is zipped: checked on the sheet too)
        assert ISFAHAN_LICENSE not in {row["شمارهٔ پروانه"] for row in as_dicts(load_workbook(io.BytesIO(data)).active)}
    with demo_data.app_context():
        events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export")).all()
        assert sorted((e.details["kind"], e.details["format"]) for e in events) == [
            ("declarations", "xlsx"), ("non-submitters", "xlsx"), ("results", "xlsx")]
        assert {e.details["province"] for e in events} == {"تهران"}


def test_only_the_regulator_gets_provisional_results_as_a_workbook(submitted, demo_data, frozen_clock):  # noqa: F811
    frozen_clock(AFTER)
    assert run(demo_data, "results", "compute").exit_code == 0
    assert staff_client(demo_data, "tehran").get("/admin/exports/results.xlsx?version=latest").status_code == 403
    response = staff_client(demo_data, "admin").get("/admin/exports/results.xlsx?version=latest")
    assert len(as_dicts(read_xlsx(response))) == 13 and "-v1.xlsx" in response.headers["Content-Disposition"]


def test_the_pages_offer_both_formats(tehran):
    from bs4 import BeautifulSoup

    exports = BeautifulSoup(tehran.get("/admin/exports").data, "html.parser")
    links = {a["href"] for a in exports.select("a[download]")}
    assert set(TWINS) | set(TWINS.values()) <= links
    late = BeautifulSoup(tehran.get("/admin/non-submitters").data, "html.parser")
    assert {a["href"] for a in late.select("a[download]")} == {"/admin/non-submitters.xlsx", "/admin/non-submitters.csv"}
    for shown in (exports, late):  # Persian digits only, but inside code (UTF-8, SHA-256)
        main = shown.select_one("main")
        for code in main.select("code, .code"):
            code.decompose()
        assert not any(char in "0123456789" for char in main.get_text())


def test_holders_and_strangers_get_no_workbook(demo_data, holder_client):
    stranger = demo_data.test_client()
    for path in TWINS:
        assert holder_client.get(path).status_code == 403
        assert stranger.get(path).status_code == 302


def test_twenty_thousand_rows_are_written_in_bounded_memory(tmp_path):
    columns = [("کد ملی", ID), ("نام", TEXT), ("تعداد", NUMBER), ("تاریخ", DATE)]
    rows = ((f"{n:010d}", f"دارنده {n}", n, "1405/09/07 10:00") for n in range(20_000))
    path = tmp_path / "big.xlsx"
    tracemalloc.start()
    try:
        with path.open("wb") as stream:
            write_workbook(stream, "بزرگ", columns, rows)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024  # what is written goes to disk, not to memory
    workbook = load_workbook(path, read_only=True)
    values = list(workbook.active.iter_rows(min_row=20_001, values_only=True))
    workbook.close()
    assert values == [("0000019999", "دارنده 19999", 19999, "1405/09/07 10:00")]
