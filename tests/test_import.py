"""CSV imports: precise row errors, all or nothing, idempotent, any digit script."""

import io

import pytest
import sqlalchemy as sa

from wizard.extensions import db
from wizard.importing import import_areas
from wizard.importing import import_offices
from wizard.models import Area
from wizard.models import AuditEvent
from wizard.models import Office
from wizard.models import User

AREAS = """area_code,province,county,name,kind,available_services
TEH-001,تهران,تهران,تهران,city,412
TEH-003,تهران,ری,قلعه‌نو,village,۵۷
GIL-001,گیلان,رشت,رشت,city,٣٠٥
"""
OFFICES = """national_code,full_name,mobile,license_number,office_code,office_type,province,area_code,license_date
0012345679,مریم احمدی,09121234567,P-1038,TEH21059,pishkhan,تهران,TEH-001,1393/10/28
0012345679,مریم احمدی,09121234567,P-1073,TEH52461,pishkhan,تهران,TEH-001,1392/12/08
۱۵۸۳۲۵۰۶۸۹,علي كريمي,+98 912 765 4321,P-2000,GIL11111,rural_ict,گیلان,GIL-001,۱۴۰۳/۱۲/۳۰
"""


def csv(text: str) -> io.StringIO:
    return io.StringIO(text)


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


@pytest.fixture
def areas(ctx):
    report = import_areas(csv(AREAS))
    assert report.ok, report.errors
    return report


def test_areas_are_imported_with_any_digit_script(areas):
    assert (areas.created, areas.updated, areas.unchanged) == (3, 0, 0)
    services = dict(db.session.execute(sa.select(Area.code, Area.available_services)).all())
    assert services == {"TEH-001": 412, "TEH-003": 57, "GIL-001": 305}


def test_offices_create_one_holder_per_national_code(areas):
    report = import_offices(csv(OFFICES))
    assert report.ok, report.errors
    assert report.created == 3
    assert count(Office) == 3
    holders = {u.national_code: u for u in db.session.scalars(sa.select(User))}
    assert set(holders) == {"0012345679", "1583250689"}
    karimi = holders["1583250689"]
    assert karimi.full_name == "علی کریمی"  # Arabic ي/ك stored as Persian ی/ک
    assert karimi.mobile == "09127654321"
    assert karimi.username == "1583250689" and karimi.role == "holder"
    assert karimi.must_change_password and karimi.password_hash is None
    office = db.session.scalar(sa.select(Office).where(Office.license_number == "P-2000"))
    assert office.license_date.isoformat() == "2025-03-20"  # 1403/12/30, a leap day


def test_reimporting_the_same_files_changes_nothing(areas):
    assert import_offices(csv(OFFICES)).ok
    before = [tuple(row) for row in db.session.execute(sa.select(Office.__table__)).all()]
    again_areas = import_areas(csv(AREAS))
    again_offices = import_offices(csv(OFFICES))
    assert (again_areas.created, again_areas.updated, again_areas.unchanged) == (0, 0, 3)
    assert (again_offices.created, again_offices.updated, again_offices.unchanged) == (0, 0, 3)
    assert [tuple(row) for row in db.session.execute(sa.select(Office.__table__)).all()] == before
    assert count(User) == 2


def test_a_changed_row_updates_in_place(areas):
    assert import_offices(csv(OFFICES)).ok
    changed = OFFICES.replace("TEH52461,pishkhan", "TEH52461,public_nongov")
    report = import_offices(csv(changed))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)


@pytest.mark.parametrize(("row", "column", "fragment"), [
    ("0012345678,الف,09121234567,P-1,X1,pishkhan,تهران,TEH-001,1393/10/28", "national_code", "کد ملی"),
    ("1111111111,الف,09121234567,P-1,X1,pishkhan,تهران,TEH-001,1393/10/28", "national_code", "کد ملی"),
    ("1234567891,الف,09121234567,P-1,X1,pishkhan,کالیفرنیا,TEH-001,1393/10/28", "province", "استان"),
    ("1234567891,الف,09121234567,P-1,X1,pishkhan,تهران,NOPE-1,1393/10/28", "area_code", "منطقه"),
    ("1234567891,الف,09121234567,P-1,X1,pishkhan,گیلان,TEH-001,1393/10/28", "area_code", "استان"),
    ("1234567891,الف,09121234567,P-1,X1,pishkhan,تهران,TEH-001,1404/12/30", "license_date", "تاریخ"),
    ("1234567891,الف,09121234567,P-1,X1,pishkhan,تهران,TEH-001,2020-01-01", "license_date", "تاریخ"),
    ("1234567891,الف,0912,P-1,X1,pishkhan,تهران,TEH-001,1393/10/28", "mobile", "همراه"),
    ("1234567891,الف,09121234567,P-1,X1,bank,تهران,TEH-001,1393/10/28", "office_type", "نوع"),
    ("1234567891,,09121234567,P-1,X1,pishkhan,تهران,TEH-001,1393/10/28", "full_name", "خالی"),
])
def test_a_bad_office_row_is_reported_by_line_and_column_and_nothing_is_written(areas, row, column, fragment):
    text = OFFICES + row + "\n"
    report = import_offices(csv(text))
    assert not report.ok
    assert [(e.line, e.column) for e in report.errors] == [(5, column)]
    assert fragment in report.errors[0].message
    db.session.rollback()
    assert count(Office) == 0 and count(User) == 0


def test_every_bad_row_and_column_is_reported(areas):
    text = OFFICES + (
        "123,,0912,P-9,Y9,pishkhan,تهران,TEH-001,1393/10/28\n"
        "0012345679,مریم احمدی,09121234567,P-1038,Z1,pishkhan,تهران,TEH-001,1393/10/28\n"
    )
    report = import_offices(csv(text))
    found = [(e.line, e.column) for e in report.errors]
    assert (5, "national_code") in found and (5, "full_name") in found and (5, "mobile") in found
    assert (6, "license_number") in found  # duplicate license in the file


def test_an_office_code_cannot_move_to_another_license(areas):
    assert import_offices(csv(OFFICES)).ok
    header, first, *_rest = OFFICES.splitlines()
    moved = first.replace("P-1038", "P-3000")
    report = import_offices(csv(f"{header}\n{moved}\n"))
    assert [(e.line, e.column) for e in report.errors] == [(2, "office_code")]


def test_one_national_code_must_name_one_person(areas):
    text = OFFICES.replace("0012345679,مریم احمدی,09121234567,P-1073", "0012345679,مریم رضایی,09121234567,P-1073")
    report = import_offices(csv(text))
    assert [(e.line, e.column) for e in report.errors] == [(3, "full_name")]


@pytest.mark.parametrize(("text", "line", "column"), [
    (AREAS + "TEH-001,تهران,تهران,تهران,city,1\n", 5, "area_code"),
    (AREAS + "QOM-001,قم,قم,قم,town,1\n", 5, "kind"),
    (AREAS + "QOM-001,قم,قم,قم,city,-4\n", 5, "available_services"),
    (AREAS + "QOM-001,قم,قم,قم,city,many\n", 5, "available_services"),
    (AREAS + "QOM-001,Qom,قم,قم,city,4\n", 5, "province"),
    ("area_code,province,county,name,kind\nA,قم,قم,قم,city\n", 1, "available_services"),
    ("area_code,province,county,name,kind,available_services\n", 1, ""),
])
def test_a_bad_area_file_is_refused_whole(ctx, text, line, column):
    report = import_areas(csv(text))
    assert [(e.line, e.column) for e in report.errors] == [(line, column)]
    db.session.rollback()
    assert count(Area) == 0


def test_arabic_letters_in_province_names_are_accepted(ctx):
    report = import_areas(csv("area_code,province,county,name,kind,available_services\n"
                              "K-1,كرمان,كرمان,كرمان,شهر,10\n"))
    assert report.ok, report.errors
    area = db.session.scalar(sa.select(Area))
    assert (area.province, area.kind) == ("کرمان", "city")


def test_imports_are_audited(areas):
    assert import_offices(csv(OFFICES)).ok
    actions = list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["import-areas", "import-offices"]


def test_excel_bom_and_header_spaces_are_tolerated(ctx):
    text = "\ufeffarea_code, province ,county,name,kind,available_services\nA-1,قم,قم,قم,city,3\n"
    assert import_areas(csv(text)).ok


# --- issue 20, items 9 and 10: imports read cells as the wizard reads what is typed --------------------

def test_one_name_in_the_spellings_of_pdfs_and_arabic_keyboards_is_one_person(areas):
    spelled = OFFICES.replace("0012345679,مریم احمدی,09121234567,P-1073",
                              "0012345679,\ufee3\ufeae\ufbfe\ufee2 \ufe8d\ufea3\ufee4\ufeaa\ufbfc,09121234567,P-1073")
    spelled = spelled.replace("0012345679,مریم احمدی,09121234567,P-1038", "0012345679,مـريـم  احمدی\u200f,09121234567,P-1038")
    report = import_offices(csv(spelled))
    assert report.ok, report.errors
    assert db.session.scalar(sa.select(User.full_name).where(User.national_code == "0012345679")) == "مریم احمدی"


def test_pasted_marks_and_thousands_separators_in_cells_are_read(ctx):
    text = ("area_code,province,county,name,kind,available_services\n"
            "\u200fQOM-001\u200e,قم,قم,قم,city,\"1,200\"\n"
            "QOM-002,قم,قم,کهک,village\u200f,\u200f۱٬۲۵۰\u200f\n"
            "QOM-003,قم,قم,\u0627\u0653بادی,village,\u00a0٣٠\u00a0\n")
    report = import_areas(csv(text))
    assert report.ok, report.errors
    assert dict(db.session.execute(sa.select(Area.code, Area.available_services)).all()) == {
        "QOM-001": 1200, "QOM-002": 1250, "QOM-003": 30}
    assert db.session.scalar(sa.select(Area.name).where(Area.code == "QOM-003")) == "آبادی"


def test_pasted_marks_in_office_cells_are_read(areas):
    text = OFFICES.replace("P-2000,GIL11111,rural_ict", "\u200fP-2000\u200e,GIL\u200c11111,rural_ict\u200f")
    report = import_offices(csv(text))
    assert report.ok, report.errors
    assert db.session.scalar(sa.select(Office.office_code).where(Office.license_number == "P-2000")) == "GIL11111"


@pytest.mark.parametrize(("row", "column"), [
    ("QOM-001,قم,😀😀,قم,city,4", "county"),
    ("QOM-001,قم,قم,!!!,city,4", "name"),
    ("QOM-001,قم,قم,قم,city,\"1,50\"", "available_services"),
    ("QOM-001,قم,قم,قم,city,1.5", "available_services"),
])
def test_a_cell_with_no_letter_or_a_broken_number_is_refused(ctx, row, column):
    report = import_areas(csv(f"area_code,province,county,name,kind,available_services\n{row}\n"))
    assert [(e.line, e.column) for e in report.errors] == [(2, column)]


@pytest.mark.parametrize("name", ["۱۲۳۴", "😀 😀", "علی ۲", "..."])
def test_a_holder_name_that_is_not_a_name_is_refused(areas, name):
    report = import_offices(csv(OFFICES + f"1234567891,{name},09121234567,P-1,X1,pishkhan,تهران,TEH-001,1393/10/28\n"))
    assert [(e.line, e.column) for e in report.errors] == [(5, "full_name")]
