"""The audit log viewer: admins only, filters by who, what, when and outcome, pages of 50, escaped output."""

from datetime import datetime
from datetime import timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from tests.conftest import HOLDER
from tests.conftest import login
from tests.conftest import staff_client
from tests.declaration.test_declaration import NOW
from wizard.extensions import db
from wizard.models import AuditEvent
from wizard.models import User
from wizard.rules.deadline import TEHRAN

LATE_EVENING = datetime(2026, 11, 27, 23, 30, tzinfo=TEHRAN)  # 1405/09/06 in Tehran, but 20:00 UTC
JUST_AFTER_MIDNIGHT = datetime(2026, 11, 28, 0, 10, tzinfo=TEHRAN)  # 1405/09/07 in Tehran, still 27 Nov in UTC


pytestmark = pytest.mark.usefixtures("in_the_window")  # the demo round is open


def add_events(app, *events: dict):
    with app.app_context():
        for values in events:
            actor = values.pop("actor", None)
            actor_id = db.session.scalar(sa.select(User.id).where(User.username == actor)) if actor else None
            db.session.add(AuditEvent(actor_id=actor_id, **values))
        db.session.commit()


def rows(response) -> list[list[str]]:
    shown = BeautifulSoup(response.data, "html.parser")
    return [[cell.get_text(" ", strip=True) for cell in row.select("td")] for row in shown.select("table tbody tr")
            if len(row.select("td")) > 1]


def test_only_admins_see_the_audit_log(demo_data, holder_client):
    assert staff_client(demo_data, "tehran").get("/admin/audit").status_code == 403
    assert holder_client.get("/admin/audit").status_code == 403
    assert demo_data.test_client().get("/admin/audit").status_code == 302  # to the sign-in page


def test_newest_first_with_jalali_tehran_time(demo_data, admin):
    add_events(demo_data, {"action": "probe", "at": LATE_EVENING, "target": "office:1"},
               {"action": "probe", "at": JUST_AFTER_MIDNIGHT, "target": "office:2", "actor": "tehran"})
    found = rows(admin.get("/admin/audit", query_string={"action": "probe"}))
    assert [row[3] for row in found] == ["دفتر P-1073", "دفتر P-1038"]  # the office, linked, not "office:2"
    assert found[0][0] == "۱۴۰۵/۰۹/۰۷ ۰۰:۱۰:۰۰" and found[1][0] == "۱۴۰۵/۰۹/۰۶ ۲۳:۳۰:۰۰"
    assert (found[0][1], found[1][1]) == ("tehran", "—")


def test_filter_by_who_in_any_digit_script(demo_data, admin):
    holder = demo_data.test_client()
    login(holder, HOLDER, "wrong password")  # a failed sign-in: audited with the typed username's key
    login(holder, "nobody-here", "wrong password")
    found = rows(admin.get("/admin/audit", query_string={"who": "۰۰۱۲-۳۴۵۶۷۹"}))
    assert found and all("۰۰۱۲۳۴۵۶۷۹" in " ".join(row) for row in found)
    assert not any("nobody-here" in " ".join(row) for row in found)
    unknown = rows(admin.get("/admin/audit", query_string={"who": "NOBODY-HERE"}))
    assert len(unknown) == 1 and unknown[0][1] == "—"  # no actor, found by the key of what was typed
    assert "nobody-here" not in " ".join(unknown[0])
    assert all(row[1] == "admin" for row in rows(admin.get("/admin/audit", query_string={"who": "admin"})))


def test_filter_by_what_and_outcome(demo_data, admin):
    login(demo_data.test_client(), "tehran", "wrong password")
    shown = BeautifulSoup(admin.get("/admin/audit").data, "html.parser")
    actions = [option["value"] for option in shown.select("select[name=action] option")]
    assert "login" in actions and "" in actions and "probe" not in actions  # only actions present
    failed = rows(admin.get("/admin/audit", query_string={"action": "login", "outcome": "failed"}))
    assert len(failed) == 1 and failed[0][1] == "tehran" and failed[0][5] == "ناموفق"
    ok = rows(admin.get("/admin/audit", query_string={"action": "login", "outcome": "ok"}))
    assert ok and all(row[5] == "موفق" and row[2] == "ورود" for row in ok)


def test_filter_by_tehran_days(demo_data, admin):
    add_events(demo_data, {"action": "probe", "at": LATE_EVENING, "target": "evening"},
               {"action": "probe", "at": JUST_AFTER_MIDNIGHT, "target": "midnight"},
               {"action": "probe", "at": NOW + timedelta(days=1), "target": "tomorrow"})
    day = rows(admin.get("/admin/audit", query_string={"action": "probe", "since": "۱۴۰۵/۰۹/۰۷",
                                                       "until": "1405/9/7"}))
    assert [row[3] for row in day] == ["midnight"]
    since = rows(admin.get("/admin/audit", query_string={"action": "probe", "since": "١٤٠٥/٠٩/٠٧"}))
    assert [row[3] for row in since] == ["tomorrow", "midnight"]
    until = rows(admin.get("/admin/audit", query_string={"action": "probe", "until": "1405/09/06"}))
    assert [row[3] for row in until] == ["evening"]


@pytest.mark.parametrize("query", [{"since": "1405/13/01"}, {"until": "yesterday"},
                                   {"since": "1405/09/08", "until": "1405/09/07"}])
def test_a_bad_date_is_explained_and_nothing_is_listed(demo_data, admin, query):
    response = admin.get("/admin/audit", query_string=query)
    assert response.status_code == 400
    shown = BeautifulSoup(response.data, "html.parser")
    assert shown.select_one(".error-summary") is not None and rows(response) == []


def test_pages_of_fifty(demo_data, admin):
    add_events(demo_data, *({"action": "probe", "at": NOW - timedelta(minutes=n), "target": f"n:{n}"}
                            for n in range(120)))
    first = admin.get("/admin/audit", query_string={"action": "probe"})
    assert [row[3] for row in rows(first)] == [f"n:{n}" for n in range(50)]
    assert "۱۲۰" in BeautifulSoup(first.data, "html.parser").get_text()
    third = rows(admin.get("/admin/audit", query_string={"action": "probe", "page": "3"}))
    assert [row[3] for row in third] == [f"n:{n}" for n in range(100, 120)]
    links = BeautifulSoup(first.data, "html.parser").select("nav.pagination a")
    assert [(a.get_text(), a["href"]) for a in links] == [
        ("۱", "/admin/audit?page=1&action=probe"), ("۲", "/admin/audit?page=2&action=probe"),
        ("۳", "/admin/audit?page=3&action=probe"), ("صفحهٔ بعد", "/admin/audit?page=2&action=probe")]
    beyond = rows(admin.get("/admin/audit", query_string={"action": "probe", "page": "99"}))
    assert [row[3] for row in beyond] == [f"n:{n}" for n in range(100, 120)]


def test_output_is_escaped_and_secrets_never_shown(demo_data, admin):
    add_events(demo_data, {"action": "probe", "target": "<b>office</b>", "address": "10.0.0.1",
                           "details": {"note": "<script>alert(1)</script>", "password": "hunter2-secret"}})
    response = admin.get("/admin/audit", query_string={"action": "probe"})
    body = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(۱)&lt;/script&gt;" in body
    assert "<b>office</b>" not in body and "hunter2-secret" not in body
    [row] = rows(response)
    assert row[4] == "10.0.0.1" and "<script>alert(۱)</script>" in row[6]


def test_every_audited_action_has_a_label_in_both_languages():
    """Each action the code audits reads as words on the audit page, never as its stored name (issue 20, item 6)."""
    import re
    from pathlib import Path

    from wizard.admin.audit_view import ACTION_LABELS

    source = "\n".join(path.read_text() for path in Path(__file__).parents[2].joinpath("wizard").rglob("*.py"))
    audited = set(re.findall(r'audit\(\s*"([a-z-]+)"', source)) | set(re.findall(r'_finish\("([a-z-]+)"', source))
    audited |= set(re.findall(r'_refused\("([a-z-]+)"', source))
    assert audited and audited <= set(ACTION_LABELS), sorted(audited - set(ACTION_LABELS))
