"""The office list: windowed pages on every staff list, sorting kept across pages and filters, and search by
holder name however it is typed."""

from datetime import date
from datetime import timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from tests.conftest import DEMO_DAY
from tests.conftest import staff_client
from wizard.admin import paging
from wizard.extensions import db
from wizard.models import Area
from wizard.models import AuditEvent
from wizard.models import Office
from wizard.models import User
from wizard.rules.persian_order import sort_key
from wizard.rules.text import to_persian_digits

pytestmark = pytest.mark.usefixtures("in_the_window")  # the demo round is open

LATIN_DIGIT = set("0123456789")
# Holders added to Tehran, in Persian alphabetical order (پ after ب, چ after ج, ک گ after ق, ه after و).
NAMES = ["بابک بهرامی", "پروین پاکزاد", "جواد جهانی", "چنگیز چمنی", "قاسم قربانی", "کاظم کرمی",
         "گلاره گودرزی", "وحید وکیلی", "هادی هاشمی", "یاسمن یزدانی"]


def page(response) -> BeautifulSoup:
    assert response.status_code == 200, response.data[:300]
    return BeautifulSoup(response.data, "html.parser")


def add_holders(app, names, province="تهران", prefix="N") -> None:
    """One office in the province for each new holder, license numbers in reverse order of the names."""
    with app.app_context():
        area = db.session.scalar(sa.select(Area).where(Area.province == province))
        for number, name in enumerate(names):
            holder = User(username=f"{prefix}{number}", role="holder", full_name=name, national_code=None,
                          must_change_password=True)
            db.session.add(holder)
            db.session.flush()
            db.session.add(Office(license_number=f"{prefix}-{len(names) - number:04d}",
                                  office_code=f"{prefix}C{number:04d}", office_type="pishkhan", province=province,
                                  area_id=area.id, license_date=date(2020, 1, 1), holder_id=holder.id))
        db.session.commit()


def names_on(shown: BeautifulSoup, prefix="N-") -> list[str]:
    return [row.select("td")[1].get_text(strip=True) for row in shown.select("table.office-list tbody tr")
            if row.select_one("td a") and row.select_one("td a").get_text().startswith(prefix.replace("-", ""))]


def visible_latin_digits(shown: BeautifulSoup) -> str:
    """Latin digits in the text a reader sees, outside <code> and .code (which mark text as code on purpose)."""
    main = shown.select_one("main")
    for code in main.select("code, .code"):
        code.decompose()
    return "".join(char for char in main.get_text() if char in LATIN_DIGIT)


# Windowed pages ---------------------------------------------------------------------------------------------------

def pagination(shown: BeautifulSoup) -> list[str]:
    nav = shown.select_one("nav.pagination")
    return [" ".join(item.get_text().split()) for item in nav.select("li")]


def test_the_office_list_shows_a_window_of_page_links_not_one_per_page(demo_data, tehran, monkeypatch):
    monkeypatch.setattr(paging, "PAGE_SIZE", 1)
    add_holders(demo_data, [f"دارنده {to_persian_digits(n)}" for n in range(40)])  # 46 Tehran offices: 46 pages of one
    first = page(tehran.get("/admin/offices"))
    assert pagination(first) == ["۱", "۲", "۳", "…", "۴۶", "صفحهٔ بعد"]
    middle = page(tehran.get("/admin/offices", query_string={"page": "20"}))
    assert pagination(middle) == ["صفحهٔ قبل", "۱", "…", "۱۸", "۱۹", "۲۰", "۲۱", "۲۲", "…", "۴۶", "صفحهٔ بعد"]
    current = middle.select_one("nav.pagination [aria-current=page]")
    assert current.get_text() == "۲۰" and current["aria-label"] == "صفحهٔ ۲۰"
    assert "صفحهٔ ۲۰ از ۴۶" in middle.select_one("nav.pagination").get_text()
    assert middle.select_one("nav.pagination a[rel=prev]")["href"].endswith("page=19")
    last = page(tehran.get("/admin/offices", query_string={"page": "46"}))
    assert pagination(last) == ["صفحهٔ قبل", "۱", "…", "۴۴", "۴۵", "۴۶"]
    assert visible_latin_digits(middle) == ""


def add_events(app, count: int) -> None:
    with app.app_context():
        for number in range(count):
            db.session.add(AuditEvent(action="probe", at=DEMO_DAY - timedelta(minutes=number), target=f"n:{number}",
                                      outcome="ok"))
        db.session.commit()


@pytest.mark.parametrize("path", ["/admin/offices", "/admin/non-submitters", "/admin/audit"])
def test_every_paged_staff_list_uses_the_same_window(demo_data, admin, monkeypatch, path):
    monkeypatch.setattr(paging, "PAGE_SIZE", 1)
    add_holders(demo_data, [f"دارنده {to_persian_digits(n)}" for n in range(30)])
    add_events(demo_data, 40)
    shown = page(admin.get(path, query_string={"page": "10"}))
    items = pagination(shown)
    assert items[:6] == ["صفحهٔ قبل", "۱", "…", "۸", "۹", "۱۰"] and items[-2] != "۱۱" and items[-3] == "…"
    assert len(items) == 11
    assert shown.select_one("nav.pagination [aria-current=page]").get_text() == "۱۰"
    if path != "/admin/audit":  # the audit log shows stored targets such as "office:12" as they are
        assert visible_latin_digits(shown) == ""


# Sorting ----------------------------------------------------------------------------------------------------------

def test_holder_names_sort_in_persian_alphabetical_order_both_ways(demo_data, tehran):
    add_holders(demo_data, NAMES)
    ascending = page(tehran.get("/admin/offices", query_string={"sort": "holder"}))
    assert names_on(ascending) == NAMES
    header = ascending.select_one("th[aria-sort]")
    assert header["aria-sort"] == "ascending" and "دارندهٔ پروانه" in header.get_text()
    assert "order=desc" in header.select_one("a")["href"]  # the same heading again sorts the other way
    descending = page(tehran.get("/admin/offices", query_string={"sort": "holder", "order": "desc"}))
    assert names_on(descending) == NAMES[::-1]
    assert descending.select_one("th[aria-sort]")["aria-sort"] == "descending"


def test_license_numbers_sort_both_ways(demo_data, tehran):
    add_holders(demo_data, NAMES)
    ascending = names_on(page(tehran.get("/admin/offices", query_string={"sort": "license"})))
    assert ascending == NAMES[::-1]  # N-0001 belongs to the last name
    descending = names_on(page(tehran.get("/admin/offices", query_string={"sort": "license", "order": "desc"})))
    assert descending == NAMES


def test_sorting_by_status_puts_submitted_offices_last_or_first(demo_data, tehran, holder_client):
    from tests.declaration.test_declaration import fill_all
    from tests.declaration.test_declaration import review_version
    from tests.declaration.test_declaration import url
    from tests.conftest import office_id

    first = office_id(demo_data, "P-1038")
    fill_all(holder_client, demo_data, first)
    holder_client.post(url(first, "submit"), data={"declare": "y", "version": review_version(holder_client, first)})
    statuses = [row.select("td")[-1].get_text(strip=True) for row in
                page(tehran.get("/admin/offices", query_string={"sort": "status"})).select("tbody tr")]
    assert statuses[-1] == "ارسال‌شده" and statuses[0] == "شروع نشده"
    reverse = page(tehran.get("/admin/offices", query_string={"sort": "status", "order": "desc"}))
    assert reverse.select("tbody tr")[0].select("td")[-1].get_text(strip=True) == "ارسال‌شده"


def test_sorting_by_area_groups_each_area(demo_data, admin):
    shown = page(admin.get("/admin/offices", query_string={"sort": "area"}))
    areas = [row.select("td")[2].get_text(strip=True) for row in shown.select("tbody tr")]
    assert areas == sorted(areas, key=lambda text: areas.index(text))  # each area's offices together
    assert areas[0].startswith("اصفهان")  # provinces in code-point order: اصفهان, تهران, گیلان


def test_sorting_and_filters_are_kept_across_pages_and_filters(demo_data, tehran, monkeypatch):
    monkeypatch.setattr(paging, "PAGE_SIZE", 3)
    add_holders(demo_data, NAMES)
    shown = page(tehran.get("/admin/offices", query_string={"sort": "holder", "order": "desc", "type": "pishkhan"}))
    following = shown.select_one("nav.pagination a[rel=next]")["href"]
    assert "sort=holder" in following and "order=desc" in following and "type=pishkhan" in following
    everyone = names_on(shown, prefix="")
    while following:
        shown_next = page(tehran.get(following))
        everyone += names_on(shown_next, prefix="")
        following = (shown_next.select_one("nav.pagination a[rel=next]") or {}).get("href")
    assert len(everyone) > 10 and everyone == sorted(everyone, key=sort_key, reverse=True)
    assert [name for name in everyone if name in NAMES] == NAMES[::-1]
    form = shown.select_one("form.filters")
    assert {field["name"]: field["value"] for field in form.select("input[type=hidden]")} == {
        "sort": "holder", "order": "desc"}
    sorting = shown.select_one("th[aria-sort] a")["href"]
    assert "type=pishkhan" in sorting and "page=" not in sorting


@pytest.mark.parametrize("query", [{"sort": "full_name; DROP TABLE office"}, {"sort": "license", "order": "sideways"},
                                   {"sort": "__class__"}, {"order": "desc --"}, {"sort": "HOLDER"}])
def test_unknown_sorting_falls_back_to_license_numbers(demo_data, tehran, query):
    shown = page(tehran.get("/admin/offices", query_string=query))
    licenses = [row.select_one("td a").get_text() for row in shown.select("tbody tr")]
    assert licenses == sorted(licenses) and len(licenses) == 6


# Search by holder name --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["محمدرضا", "محمد رضا", "محمد‌رضا", "  محمد   رضا ", "كريمي", "محمدرضا كريمی",
                                   "مـحـمـد رضا", "\u200fمحمدرضا"])
def test_a_holder_is_found_by_name_however_it_is_typed(demo_data, tehran, typed):
    add_holders(demo_data, ["محمد‌رضا کریمی", "رضا محمدی"])
    found = names_on(page(tehran.get("/admin/offices", query_string={"q": typed})))
    assert found == ["محمد‌رضا کریمی"]


def test_a_search_with_like_wildcards_matches_them_literally(demo_data, tehran):
    add_holders(demo_data, ["محمد‌رضا کریمی"])
    assert names_on(page(tehran.get("/admin/offices", query_string={"q": "%"}))) == []
    assert names_on(page(tehran.get("/admin/offices", query_string={"q": "_"}))) == []


def test_license_numbers_are_found_in_any_case_and_digit_script(demo_data, tehran):
    for typed in ("p-1038", "P-۱۰۳۸", "p-١٠٣٨", "p1038"[:1] + "-1038"):
        licenses = [a.get_text() for a in page(tehran.get("/admin/offices", query_string={"q": typed})).select("tbody a")]
        assert licenses == ["P-1038"], typed


def test_a_region_searching_another_provinces_holder_finds_nothing(demo_data, tehran):
    add_holders(demo_data, ["سیمین اصفهانی"], province="اصفهان", prefix="I")
    assert page(tehran.get("/admin/offices", query_string={"q": "سیمین"})).select("tbody a") == []
    assert page(tehran.get("/admin/offices", query_string={"province": "اصفهان"})).select("tbody a") == []
    isfahan = staff_client(demo_data, "isfahan")
    assert len(page(isfahan.get("/admin/offices", query_string={"q": "سیمین"})).select("tbody a")) == 1
