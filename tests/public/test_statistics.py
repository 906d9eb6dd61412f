"""Public statistics (issue 21, item 7): offices by rank per province and per office type for the published (then the
approved) version, as accessible SVG charts with the numbers in a table beside them, nothing personal; the staff
dashboard shows the same."""

from collections import Counter

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from tests.agencies import approved  # noqa: F401 (a fixture)
from tests.conftest import staff_client
from tests.cycle import published  # noqa: F401 (a fixture)
from tests.test_persian_pages import PERSIAN_DIGIT
from tests.test_persian_pages import assert_persian
from tests.test_persian_pages import visible_text
from wizard.extensions import db
from wizard.rules.provinces import PROVINCES
from wizard.models import Office
from wizard.models import Result

pytestmark = pytest.mark.usefixtures("in_the_window")


def page(client, address, status=200) -> BeautifulSoup:
    response = client.get(address)
    assert response.status_code == status, response.data[:300]
    return BeautifulSoup(response.data, "html.parser")


def table(soup, caption: str) -> dict[str, list[str]]:
    """A statistics table as {row heading: [cells]}."""
    for found in soup.select("table.rank-counts"):
        if found.caption.get_text(strip=True) == caption:
            return {row.th.get_text(strip=True): [cell.get_text(" ", strip=True) for cell in row.select("td")]
                    for row in found.select("tbody tr")}
    raise AssertionError(f"no table {caption}")


def expected_counts(app, column) -> dict[str, Counter]:
    with app.app_context():
        rows = db.session.execute(sa.select(column, Result.rank).join(Office, Office.id == Result.office_id)
                                  .where(Result.version == 1)).all()
    counts: dict[str, Counter] = {}
    for key, rank in rows:
        counts.setdefault(key, Counter())[rank] += 1
    return counts


def test_nothing_to_show_before_publication(demo_data):
    client = demo_data.test_client()
    assert "هنوز نتیجه‌ای منتشر نشده است" in page(client, "/statistics").get_text()
    page(client, "/statistics/1", 404)
    page(client, "/statistics/99999999999", 404)
    home = page(client, "/")
    assert home.select_one("a[href='/statistics']") is not None


def test_counts_by_province_and_type_with_charts(published, demo_data):  # noqa: F811
    client = demo_data.test_client()
    shown = page(client, "/statistics")
    assert shown.select_one("a[href='/statistics/1']") is None  # the only round is on the page itself
    assert shown.get_text() == page(client, "/statistics/1").get_text()
    assert "نسخهٔ ۱" in shown.get_text() and "قطعی می‌شود" in shown.get_text()  # published, not final yet

    provinces = table(shown, "دفاتر هر استان بر پایهٔ رتبه")
    expected = expected_counts(demo_data, Office.province)
    assert list(provinces) == [name for name, _english in PROVINCES if name in expected]  # the dashboard's order
    for province, counts in expected.items():
        cells = provinces[province]
        assert [cell.split(" ")[0] for cell in cells] == [
            *(str(counts[rank]).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) for rank in (1, 2, 3)),
            str(sum(counts.values())).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))]
    types = table(shown, "دفاتر هر نوع بر پایهٔ رتبه")
    assert len(types) == 3  # every office type, in their usual order, even one with no office
    assert sum(int(row[-1].translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))) for row in types.values()) == 13

    charts = shown.select("svg.chart[role=img]")
    assert len(charts) == 2
    for chart in charts:
        title, desc = chart.select_one("title"), chart.select_one("desc")
        assert chart["aria-labelledby"] == f"{title['id']} {desc['id']}"
        assert "از ۱۳ دفتر" in desc.get_text()
    tehran_bars = [rect for rect in charts[0].select("rect") if rect.title.get_text().startswith("تهران")]
    assert len(tehran_bars) == 3
    text = str(shown)
    for personal in ("0012345679", "مریم احمدی", "09480606454", "P-1038", "TEH21059"):
        assert personal not in text, personal
    assert_persian(client, "/statistics")


def test_final_results_are_marked_final(approved, demo_data):  # noqa: F811
    shown = page(demo_data.test_client(), "/statistics/1")
    assert "این نتایج قطعی است" in shown.get_text()


def test_the_english_page(published, demo_data):  # noqa: F811
    client = demo_data.test_client()
    client.post("/language", data={"lang": "en", "next": "/"})
    shown = page(client, "/statistics")
    assert "Offices by rank in each province" in shown.get_text()
    assert "Tehran" in table(shown, "Offices by rank in each province")
    for data in shown.select("bdi:not(.code)"):
        data.decompose()
    assert not [t for t in visible_text(str(shown).encode()) if PERSIAN_DIGIT.search(t)]


def test_the_dashboard_has_the_same_charts(published, demo_data, frozen_clock):  # noqa: F811
    for username in ("admin", "tehran"):
        client = staff_client(demo_data, username)
        dashboard = page(client, "/admin/")
        assert len(dashboard.select("svg.chart[role=img]")) == 3  # the daily trend, then provinces and types
        assert table(dashboard, "دفاتر هر استان بر پایهٔ رتبه") == table(
            page(demo_data.test_client(), "/statistics"), "دفاتر هر استان بر پایهٔ رتبه")
        assert dashboard.select_one("a[href='/statistics/1']") is not None
        assert_persian(client, "/admin/")


def test_the_dashboard_before_publication_has_no_result_charts(demo_data, admin):
    assert page(admin, "/admin/").select_one("table.rank-counts") is None
