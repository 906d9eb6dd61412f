"""Staff exports and the non-submitters list: encoding, Jalali dates, streaming, and each region's province only."""

import csv
import io
from datetime import date

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from tests.conftest import HOLDER
from tests.conftest import login
from tests.conftest import staff_client
from tests.declaration.test_declaration import fill_all
from tests.declaration.test_declaration import review_version
from tests.declaration.test_declaration import url
from tests.conftest import AFTER
from tests.results.test_results import run
from wizard.extensions import db
from wizard.models import AuditEvent
from wizard.models import Office
from wizard.models import Result
from wizard.models import Round
from wizard.models import Submission
from wizard.models import User

TEHRAN_LICENSES = {"P-1038", "P-1073", "P-1078", "P-1106", "P-1129", "P-1290"}
ISFAHAN_LICENSE = "P-1153"
EXPORTS = ("/admin/exports/declarations.csv", "/admin/exports/results.csv", "/admin/non-submitters.csv")
PAGES = ("/admin/exports", "/admin/non-submitters")


pytestmark = pytest.mark.usefixtures("in_the_window")  # the demo round is open


@pytest.fixture
def submitted(holder_client, demo_data):
    """The demo holder submitted P-1038 (Tehran) inside the window."""
    office_id = office_id_of(demo_data, "P-1038")
    fill_all(holder_client, demo_data, office_id)
    response = holder_client.post(url(office_id, "submit"),
                                  data={"declare": "y", "version": review_version(holder_client, office_id)})
    assert response.status_code == 303
    with demo_data.app_context():
        found = db.session.scalar(sa.select(Submission).where(Submission.office_id == office_id))
        db.session.expunge(found)
        return found


def office_id_of(app, license_number) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Office.id).where(Office.license_number == license_number))


def read_csv(response) -> list[dict]:
    assert response.status_code == 200, response.data[:300]
    assert response.data.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


def page(response) -> BeautifulSoup:
    assert response.status_code == 200, response.data[:300]
    return BeautifulSoup(response.data, "html.parser")


def test_declarations_csv_is_utf8_with_bom_a_persian_header_and_the_region_province_only(tehran):
    response = tehran.get("/admin/exports/declarations.csv")
    assert response.content_type == "text/csv; charset=utf-8"
    rows = read_csv(response)
    assert list(rows[0])[:3] == ["شمارهٔ پروانه", "کد دفتر", "نوع دفتر"]
    assert {row["شمارهٔ پروانه"] for row in rows} == TEHRAN_LICENSES
    assert {row["استان"] for row in rows} == {"تهران"}
    assert ISFAHAN_LICENSE not in response.data.decode("utf-8-sig")
    holder = next(row for row in rows if row["شمارهٔ پروانه"] == "P-1038")
    assert holder["دارندهٔ پروانه"] == "مریم احمدی" and holder["کد ملی"] == HOLDER


def test_exports_are_streamed_downloads(tehran, submitted):
    for path in EXPORTS:
        response = tehran.get(path)
        assert response.status_code == 200, path
        assert response.is_streamed, path  # checked before reading: get_data() buffers the body
        assert response.headers["Content-Disposition"].startswith("attachment; filename="), path
        assert response.headers["Cache-Control"] == "no-store"
        assert response.get_data().startswith(b"\xef\xbb\xbf")
        response.close()  # ends the streamed request's context before the next request


def test_the_regulator_exports_every_province(admin):
    rows = read_csv(admin.get("/admin/exports/declarations.csv"))
    assert len(rows) == 13 and {row["استان"] for row in rows} == {"تهران", "اصفهان", "گیلان"}


def in_english(client):
    with client.session_transaction() as session:
        session["lang"] = "en"
    return client


def test_a_submitted_office_shows_its_tracking_code_hash_jalali_time_and_answers(tehran, submitted):
    rows = read_csv(in_english(tehran).get("/admin/exports/declarations.csv"))
    row = next(row for row in rows if row["License number"] == "P-1038")
    assert row["Tracking code"] == submitted.tracking_code and row["SHA-256"] == submitted.sha256
    assert row["Submitted at"] == "1405/09/07 10:00"  # 28 Nov 2026, 10:00 in Tehran
    assert row["Submission number"] == "1" and row["Status"] == "Has submitted"
    assert row["Date the office started its activity"] == "1395/07/01"
    assert (row["Floor area (square metres)"], row["Service counters"], row["Computers"]) == ("80", "4", "6")
    assert (row["Staff count"], row["Insured staff"], row["The premises are"]) == ("2", "1", "Leased")
    assert row["Office phone"] == "02188776655"
    others = [row for row in rows if row["License number"] != "P-1038"]
    assert {row["Status"] for row in others} == {"Not started"}
    assert all(row["Tracking code"] == "" and row["Floor area (square metres)"] == "" for row in others)


def test_a_cell_that_excel_would_run_as_a_formula_is_kept_as_text(demo_data, tehran):
    with demo_data.app_context():
        holder = db.session.scalar(sa.select(User).where(User.username == HOLDER))
        holder.full_name = '=HYPERLINK("http://evil.example","x")'
        db.session.commit()
    rows = read_csv(tehran.get("/admin/exports/declarations.csv"))
    names = {row["دارندهٔ پروانه"] for row in rows}
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in names


def test_each_export_is_audited(demo_data, tehran):
    tehran.get("/admin/exports/declarations.csv").close()
    with demo_data.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "export"))
        actor = db.session.get(User, event.actor_id)
        assert actor.username == "tehran"
        assert event.details["kind"] == "declarations" and event.details["province"] == "تهران"


def test_a_holder_gets_403_and_a_stranger_is_sent_to_login(demo_data, holder_client):
    stranger = demo_data.test_client()
    for path in (*EXPORTS, *PAGES):
        assert holder_client.get(path).status_code == 403, path
        response = stranger.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path


def test_the_exports_page_lists_the_downloads(tehran):
    shown = page(tehran.get("/admin/exports"))
    links = {a["href"] for a in shown.select("a[download]")}
    assert {"/admin/exports/declarations.csv", "/admin/exports/results.csv", "/admin/non-submitters.csv"} <= links
    assert shown.find("html")["lang"] == "fa"


# Results ---------------------------------------------------------------------------------------------------------

@pytest.fixture
def computed(submitted, demo_data, frozen_clock):
    """The window closed and results were computed (version 1), not yet published."""
    frozen_clock(AFTER)
    assert run(demo_data, "results", "compute").exit_code == 0
    return demo_data


def test_results_export_holds_only_published_results(computed):
    tehran = staff_client(computed, "tehran")
    assert read_csv(tehran.get("/admin/exports/results.csv")) == []  # computed, not published
    assert run(computed, "results", "publish").exit_code == 0
    rows = read_csv(tehran.get("/admin/exports/results.csv"))
    assert {row["شمارهٔ پروانه"] for row in rows} == TEHRAN_LICENSES
    with computed.app_context():
        result = db.session.scalar(sa.select(Result).join(Office).where(Office.license_number == "P-1038"))
    row = next(row for row in rows if row["شمارهٔ پروانه"] == "P-1038")
    values = list(row.values())
    assert result.verification_code in values and str(result.rank) in values
    assert "1405/09/27 09:00" in values  # published on 18 Dec 2026, 09:00 Tehran


def test_only_the_regulator_sees_provisional_results(computed):
    assert staff_client(computed, "tehran").get("/admin/exports/results.csv?version=latest").status_code == 403
    admin = staff_client(computed, "admin")
    response = admin.get("/admin/exports/results.csv?version=latest")
    assert len(read_csv(response)) == 13
    assert "v1" in response.headers["Content-Disposition"]
    assert "?version=latest" in admin.get("/admin/exports").get_data(as_text=True)


# Non-submitters --------------------------------------------------------------------------------------------------

def test_non_submitters_list_excludes_submitters_and_shows_mobiles(tehran, submitted):
    shown = page(tehran.get("/admin/non-submitters"))
    text = shown.get_text()
    assert "P-1038" not in text and "P-1073" in text  # license numbers as written (one script)
    assert "۰۹۱۶۱۰۸۹۰۸۹" in text  # علی رضایی's mobile, in Persian digits
    assert shown.select_one('a[href="tel:09161089089"]') is not None
    assert "P-1153" not in text and "فاطمه حسینی" not in text  # Isfahan's office and holder
    assert len(shown.select("tbody tr")) == 5


def test_non_submitters_csv(tehran, submitted):
    rows = read_csv(tehran.get("/admin/non-submitters.csv"))
    assert {row["شمارهٔ پروانه"] for row in rows} == TEHRAN_LICENSES - {"P-1038"}
    assert {row["تلفن همراه"] for row in rows} >= {"09161089089"}


def add_offices(app, count: int) -> None:
    """More Tehran offices for the same holder, so the list needs pages."""
    with app.app_context():
        model = db.session.scalar(sa.select(Office).where(Office.license_number == "P-1078"))
        for number in range(count):
            db.session.add(Office(license_number=f"X-{number:04d}", office_code=f"XX{number:04d}",
                                  office_type="pishkhan", province="تهران", area_id=model.area_id,
                                  license_date=date(2020, 1, 1), holder_id=model.holder_id))
        db.session.commit()


def test_non_submitters_are_paginated_with_persian_page_links(demo_data, tehran):
    add_offices(demo_data, 60)  # 66 Tehran offices: 50 on page 1, 16 on page 2
    first = page(tehran.get("/admin/non-submitters"))
    assert len(first.select("tbody tr")) == 50
    assert first.select_one("nav.pagination [aria-current=page]").get_text() == "۱"
    link = first.select_one('nav.pagination a[href$="page=2"]')
    assert link.get_text() == "۲"
    second = page(tehran.get(link["href"]))
    assert len(second.select("tbody tr")) == 16
    assert "۶۶" in second.get_text()
    assert len(page(tehran.get("/admin/non-submitters?page=99")).select("tbody tr")) == 16  # clamped to the last


def test_without_a_round_nothing_is_late(demo_data, tehran):
    with demo_data.app_context():
        db.session.execute(sa.update(Round).values(status="draft"))
        db.session.commit()
    assert tehran.get("/admin/non-submitters").status_code == 200
    assert tehran.get("/admin/non-submitters.csv").status_code == 404
    assert len(read_csv(tehran.get("/admin/exports/declarations.csv"))) == 6


def test_staff_must_finish_the_second_factor(demo_data):
    client = demo_data.test_client()
    from tests.conftest import STAFF_PASSWORD
    from tests.conftest import enroll_staff

    enroll_staff(demo_data, "tehran")
    login(client, "tehran", STAFF_PASSWORD)
    response = client.get("/admin/exports/declarations.csv")
    assert response.status_code == 302 and "two-factor" in response.headers["Location"]
