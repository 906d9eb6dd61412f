"""The dashboard: shares of each province's offices that add up to 100 %, and the daily trend as a chart
(server-drawn SVG with a text alternative) beside its table."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from tests.conftest import DEMO_DAY
from tests.conftest import staff_client
from wizard.extensions import db
from wizard.models import Declaration
from wizard.models import Office
from wizard.models import Round
from wizard.models import Submission

LATIN_DIGIT = set("0123456789")

pytestmark = pytest.mark.usefixtures("in_the_window")  # the demo round opens on DEMO_DAY


def page(response) -> BeautifulSoup:
    assert response.status_code == 200, response.data[:300]
    return BeautifulSoup(response.data, "html.parser")


def submit(app, license_number: str, day_offset: int, number: int = 1) -> None:
    """A submission of the office, day_offset days after the demo round opened (10:00 Tehran)."""
    with app.app_context():
        office = db.session.scalar(sa.select(Office).where(Office.license_number == license_number))
        code = f"{office.id:04d}{day_offset:03d}{number:03d}"
        db.session.add(Submission(office_id=office.id, round_id=1, number=number, snapshot="{}", sha256="0" * 64,
                                  tracking_code=code, submitted_at=DEMO_DAY + timedelta(days=day_offset),
                                  draft_version=2))
        db.session.commit()


def start(app, license_number: str) -> None:
    with app.app_context():
        office = db.session.scalar(sa.select(Office).where(Office.license_number == license_number))
        db.session.add(Declaration(office_id=office.id, round_id=1, data={}, version=2))
        db.session.commit()


def progress_rows(shown) -> dict[str, list[str]]:
    return {" ".join(tr.th.get_text().split()): [" ".join(td.get_text().split()) for td in tr.select("td")]
            for tr in shown.select("table.progress tbody tr")}


def percents(cells: list[str]) -> list[int]:
    from wizard.rules.text import to_ascii_digits

    return [int(to_ascii_digits(cell.split("(")[1].rstrip("٪)"))) for cell in cells[1:]]


def test_each_provinces_shares_add_up_to_100(demo_data, frozen_clock):
    frozen_clock(DEMO_DAY + timedelta(days=3))
    submit(demo_data, "P-1038", 0)  # Tehran: 1 submitted, 1 in progress, 4 not started of 6 (16.7, 16.7, 66.7)
    start(demo_data, "P-1073")
    rows = progress_rows(page(staff_client(demo_data, "admin").get("/admin/")))
    assert rows["تهران"] == ["۶", "۴ (۶۷٪)", "۱ (۱۷٪)", "۱ (۱۶٪)"]
    for province, cells in rows.items():
        assert sum(percents(cells)) == 100, province


@pytest.fixture
def a_week_of_submissions(demo_data, frozen_clock):
    """Tehran: two offices on the first day, none on days 2 and 3, one on day 4 and a resubmission on day 5;
    Isfahan one on day 2. Today is day 6."""
    frozen_clock(DEMO_DAY + timedelta(days=5))
    submit(demo_data, "P-1038", 0)
    submit(demo_data, "P-1073", 0)
    submit(demo_data, "P-1078", 3)
    submit(demo_data, "P-1038", 4, number=2)  # a new version: not a new office
    submit(demo_data, "P-1153", 1)  # Isfahan
    return demo_data


def test_the_trend_is_a_chart_of_every_day_with_the_table_beside_it(a_week_of_submissions):
    shown = page(staff_client(a_week_of_submissions, "tehran").get("/admin/"))
    figure = shown.select_one(".chart-and-table figure")
    chart = figure.select_one("svg[role=img]")
    title, desc = chart.select_one("title"), chart.select_one("desc")
    assert chart["aria-labelledby"] == f"{title['id']} {desc['id']}"
    assert "روز به روز" in title.get_text()
    summary = desc.get_text()
    assert "۷ آذر ۱۴۰۵" in summary and "۱۲ آذر ۱۴۰۵" in summary and "۳ دفتر" in summary
    assert "بیشترین شمار در یک روز ۲ دفتر بود، در ۷ آذر ۱۴۰۵" in summary
    bars = chart.select(".chart-bars rect")
    assert [bar.select_one("title").get_text() for bar in bars] == [
        "۷ آذر: ۲", "۸ آذر: ۰", "۹ آذر: ۰", "۱۰ آذر: ۱", "۱۱ آذر: ۰", "۱۲ آذر: ۰"]  # Isfahan's is not Tehran's
    heights = [float(bar["height"]) for bar in bars]
    assert heights[0] == pytest.approx(2 * heights[3]) and heights[1] == 0
    xs = [float(bar["x"]) for bar in bars]
    assert xs == sorted(xs, reverse=True)  # right to left on a Persian page: the first day on the right
    assert [text.get_text() for text in chart.select(".chart-grid text")][:2] == ["۰", "۱"]
    table = [[td.get_text(strip=True) for td in tr.select("td")] for tr in shown.select("table.trend tbody tr")]
    assert table[:4] == [["۷ آذر ۱۴۰۵", "۲", "۲"], ["۸ آذر ۱۴۰۵", "۰", "۲"], ["۹ آذر ۱۴۰۵", "۰", "۲"],
                         ["۱۰ آذر ۱۴۰۵", "۱", "۳"]]
    assert len(table) == 6
    assert "".join(char for char in shown.select_one("main").get_text() if char in LATIN_DIGIT) == ""


def test_the_regulators_chart_counts_every_province_and_reads_left_to_right_in_english(a_week_of_submissions):
    admin = staff_client(a_week_of_submissions, "admin")
    with admin.session_transaction() as session:
        session["lang"] = "en"
    chart = page(admin.get("/admin/")).select_one("svg.chart")
    bars = chart.select(".chart-bars rect")
    assert [bar.select_one("title").get_text() for bar in bars][:2] == ["7 Azar: 2", "8 Azar: 1"]
    xs = [float(bar["x"]) for bar in bars]
    assert xs == sorted(xs)


def test_the_chart_scales_to_its_box(a_week_of_submissions):
    chart = page(staff_client(a_week_of_submissions, "tehran").get("/admin/")).select_one("svg.chart")
    assert chart["viewbox"].startswith("0 0 ") and not chart.has_attr("width") and not chart.has_attr("height")


def test_no_chart_before_the_first_submission(demo_data, frozen_clock):
    frozen_clock(DEMO_DAY)
    shown = page(staff_client(demo_data, "tehran").get("/admin/"))
    assert shown.select_one("svg.chart") is None and "هنوز" in shown.select_one("main").get_text()


def test_after_the_deadline_the_chart_stops_at_the_deadline(demo_data, frozen_clock):
    submit(demo_data, "P-1038", 0)
    with demo_data.app_context():
        deadline = db.session.get(Round, 1).deadline
    frozen_clock(deadline + timedelta(days=30))
    bars = page(staff_client(demo_data, "tehran").get("/admin/")).select("svg.chart .chart-bars rect")
    assert len(bars) == 20  # the window's twenty days, not the month after it
