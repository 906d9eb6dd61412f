"""The staff console: scope over every admin route, dashboard, office list and page, rounds on the web."""

from datetime import datetime

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from tests.conftest import office_id
from tests.conftest import staff_client
from tests.declaration.test_declaration import LICENSE
from tests.declaration.test_declaration import fill_all
from tests.declaration.test_declaration import review_version
from tests.declaration.test_declaration import save
from tests.declaration.test_declaration import url
from wizard.extensions import db
from wizard.models import AuditEvent
from wizard.models import Round
from wizard.models import User
from wizard.rules.deadline import TEHRAN


pytestmark = pytest.mark.usefixtures("in_the_window")  # the demo round is open


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def admin_routes(app, office):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin."):
            values = {name: office if name == "office_id" else 1 for name in rule.arguments}
            if "action" in rule.arguments:
                values["action"] = "close"
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule.endpoint, method, rule.build(values)[1]


def test_holders_get_403_everywhere_in_admin(holder_client, demo_data):
    routes = list(admin_routes(demo_data, 1))
    assert len(routes) >= 8
    for endpoint, method, address in routes:
        assert holder_client.open(address, method=method).status_code == 403, endpoint


def test_anonymous_users_are_sent_to_sign_in_everywhere_in_admin(demo_data):
    client = demo_data.test_client()
    for endpoint, method, address in admin_routes(demo_data, 1):
        response = client.open(address, method=method)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), endpoint


def test_a_region_gets_404_for_another_provinces_office_on_every_route(demo_data):
    region = staff_client(demo_data, "tehran")
    isfahan_office = office_id(demo_data, "P-1153")
    with demo_data.app_context():
        before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    checked = 0
    for endpoint, method, address in admin_routes(demo_data, isfahan_office):
        if "office_id" not in address and f"/{isfahan_office}" not in address:
            continue
        if "/offices/" in address:
            assert region.open(address, method=method, data={"violations": "1"}).status_code == 404, endpoint
            checked += 1
    assert checked >= 1
    with demo_data.app_context():
        after = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    assert after == before


@pytest.mark.parametrize("address", ["/admin/rounds", "/admin/rounds/1/close"])
def test_round_management_is_for_admins_only(demo_data, address):
    assert staff_client(demo_data, "tehran").get(address).status_code == 403


def test_the_dashboard_counts_each_provinces_progress(demo_data, holder_client):
    first = office_id(demo_data, "P-1038")
    fill_all(holder_client, demo_data, first)
    holder_client.post(url(first, "submit"), data={"declare": "y", "version": review_version(holder_client, first)})
    save(holder_client, office_id(demo_data, "P-1073"), "license", LICENSE)
    region = staff_client(demo_data, "tehran")
    shown = page(region.get("/admin/"))
    rows = {" ".join(tr.th.get_text().split()): [" ".join(td.get_text().split()) for td in tr.select("td")]
            for tr in shown.select("table.progress tbody tr")}
    assert list(rows) == ["تهران"]  # a region sees its own province only
    assert rows["تهران"] == ["۶", "۴ (۶۷٪)", "۱ (۱۷٪)", "۱ (۱۶٪)"]  # shares of the total add up to 100 %
    trend = [" ".join(td.get_text().split()) for td in shown.select("table.trend td")]
    assert trend == ["۷ آذر ۱۴۰۵", "۱", "۱"]
    admin = page(staff_client(demo_data, "admin").get("/admin/"))
    provinces = [" ".join(th.get_text().split()) for th in admin.select("table.progress tbody th")]
    assert provinces == ["اصفهان", "تهران", "گیلان"]  # the regulator sees every province, in dropdown order


def test_the_office_list_searches_in_any_digit_script(demo_data):
    region = staff_client(demo_data, "tehran")
    for query in ("۰۰۱۲۳۴۵۶۷۹", "0012345679", "P-۱۰۳۸", "مريم"):
        found = page(region.get("/admin/offices", query_string={"q": query})).select("tbody a")
        assert found, query
    assert not page(region.get("/admin/offices", query_string={"q": "0836388887"})).select("tbody a")


def test_the_office_list_filters_and_pages(demo_data, monkeypatch):
    from wizard.admin import paging

    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    admin = staff_client(demo_data, "admin")
    first = page(admin.get("/admin/offices"))
    assert len(first.select("tbody a")) == 2 and first.select(".pagination a")
    rural = page(admin.get("/admin/offices", query_string={"type": "rural_ict"})).select("tbody tr")
    assert all("روستایی" in row.get_text() for row in rural)
    started = page(admin.get("/admin/offices", query_string={"status": "submitted"})).select("tbody a")
    assert started == []


def test_the_office_page_shows_the_declaration_submissions_and_trail(demo_data, holder_client):
    first = office_id(demo_data, "P-1038")
    fill_all(holder_client, demo_data, first)
    holder_client.post(url(first, "submit"), data={"declare": "y", "version": review_version(holder_client, first)})
    shown = page(staff_client(demo_data, "tehran").get(f"/admin/offices/{first}"))
    text = shown.get_text()
    assert "۸۰" in text and "مریم احمدی" in text
    assert len(shown.select("td.hash")) == 1
    trail = shown.select("table.audit tbody tr")
    actions = {row.select("td")[2].get_text() for row in trail}
    assert {"خوداظهاری ثبت شد", "ذخیرهٔ خوداظهاری"} <= actions  # in Persian, never "submit" or "save"
    submitted = next(row for row in trail if row.select("td")[2].get_text() == "خوداظهاری ثبت شد")
    cells = [" ".join(td.get_text().split()) for td in submitted.select("td")]
    assert cells[1] == "۰۰۱۲۳۴۵۶۷۹" and cells[5] == "موفق"  # who, in Persian digits; how it ended
    assert cells[3] == "دفتر P-1038" and submitted.select_one(f'a[href="/admin/offices/{first}"]')  # a linked target
    assert "شماره: ۱" in cells[6] and "{" not in cells[6]  # details read as text, not JSON


def test_an_admin_runs_a_round_from_the_browser_with_confirmation(demo_data, frozen_clock):
    admin = staff_client(demo_data, "admin")
    with demo_data.app_context():
        before = db.session.scalar(sa.select(sa.func.max(AuditEvent.id)))
    assert "تأیید" in admin.get("/admin/rounds/1/extend").get_data(as_text=True)
    response = admin.post("/admin/rounds/1/extend", data={"deadline": "۱۴۰۵/۰۹/۳۰ ۱۸:۰۰"})
    assert response.status_code == 303
    with demo_data.app_context():
        assert db.session.get(Round, 1).deadline == datetime(2026, 12, 21, 18, 0, tzinfo=TEHRAN)
    assert admin.post("/admin/rounds/1/compute").status_code == 303  # refused while open: a message
    with demo_data.app_context():
        assert db.session.get(Round, 1).results_version == 0
    assert admin.post("/admin/rounds/1/close").status_code == 303
    assert admin.post("/admin/rounds/1/compute").status_code == 303
    assert admin.post("/admin/rounds/1/publish").status_code == 303
    with demo_data.app_context():
        round_ = db.session.get(Round, 1)
        assert (round_.status, round_.published_version) == ("published", 1)
        admin_id = db.session.scalar(sa.select(User.id).where(User.username == "admin"))
        events = db.session.execute(sa.select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.address,
                                              AuditEvent.outcome)
                                    .where(AuditEvent.id > before, AuditEvent.action.like("round-%")
                                           | AuditEvent.action.like("results-%"))
                                    .order_by(AuditEvent.id)).all()
    # Every staff act on the web says who, from where and how it ended, refusals included.
    assert [(action, outcome) for action, _actor, _address, outcome in events] == [
        ("round-extend", "ok"), ("results-compute", "refused"), ("round-close", "ok"), ("results-compute", "ok"),
        ("results-publish", "ok")]
    assert {(actor, address) for _action, actor, address, _outcome in events} == {(admin_id, "127.0.0.1")}


def test_an_admin_opens_a_round_on_the_web(demo_data):
    admin = staff_client(demo_data, "admin")
    admin.post("/admin/rounds/1/close")
    response = admin.post("/admin/rounds", data={"title": "دور بعد", "opens": "۱۴۰۶/۰۱/۱۵", "days": "۲۰"})
    assert response.status_code == 303
    with demo_data.app_context():
        newest = db.session.scalars(sa.select(Round).order_by(Round.id.desc())).first()
        assert newest.title == "دور بعد" and newest.rubric


def test_an_admin_opens_a_round_with_its_cycle_settings(demo_data):
    admin = staff_client(demo_data, "admin")
    admin.post("/admin/rounds/1/close")
    admin.post("/admin/rounds", data={"title": "دور بعد", "opens": "۱۴۰۶/۰۱/۱۵", "days": "۲۰", "objection_days": "۱۰"})
    with demo_data.app_context():
        newest = db.session.scalars(sa.select(Round).order_by(Round.id.desc())).first()
        assert (newest.carry_forward, newest.objection_days) == (False, 10)  # the box was left unticked
    shown = BeautifulSoup(admin.get("/admin/rounds").data, "html.parser")
    assert shown.select_one("input[name=carry_forward]").has_attr("checked")  # on by default
