"""Violations (issue 21, item 4), the staff's side: recorded for an office of the region's province, seen by its
holder, decided by the committee only after the defence or the defence period, never changed once decided; a
confirmed violation's points are subtracted at the next compute."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from tests.conftest import AFTER
from tests.cycle import RECORD
from tests.cycle import record
from tests.cycle import violations
from tests.test_persian_pages import assert_persian
from wizard.extensions import db
from wizard.models import AuditEvent
from wizard.models import Result
from wizard.models import Round
from wizard.rules.deadline import TEHRAN

pytestmark = pytest.mark.usefixtures("in_the_window")

def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def text(response) -> str:
    return page(response).get_text(" ", strip=True)


def actions(app, prefix="violation-") -> list[tuple[str, str]]:
    with app.app_context():
        return [(event.action, event.outcome) for event in db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action.like(f"{prefix}%")).order_by(AuditEvent.id))]


def at(frozen_clock, moment, *clients):
    frozen_clock(moment)
    for client in clients:
        with client.session_transaction() as session:
            session["seen"] = session["started"] = int(moment.timestamp())


def test_a_region_records_a_violation(recorded, demo_data, tehran, office, holder_client):
    assert (recorded.kind, recorded.points, recorded.status, recorded.round_id) == ("overcharging", 4, "notified", 1)
    assert recorded.occurred_on.isoformat() == "2026-11-22"  # 1 Azar 1405
    assert recorded.decision_note.startswith("در جلسهٔ")
    assert actions(demo_data) == [("violation-record", "ok")]
    shown = text(tehran.get(f"/admin/violations/{recorded.id}"))
    assert "دریافت وجه بیش از تعرفهٔ مصوب" in shown and "ثبت‌شده: در انتظار دفاعیهٔ دارندهٔ پروانه" in shown
    assert "هنوز دفاعیه ننوشته" in shown  # no decision yet, and the page says why
    listed = page(tehran.get("/admin/violations"))
    assert listed.select_one(f"a[href='/admin/violations/{recorded.id}']") is not None
    assert page(tehran.get(f"/admin/offices/{office}")).select_one(
        f"a[href='/admin/offices/{office}/violations']") is not None
    for address in ("/admin/violations", "/admin/violations?status=notified", f"/admin/offices/{office}/violations",
                    f"/admin/offices/{office}/violations/new", f"/admin/violations/{recorded.id}",
                    f"/admin/violations/{recorded.id}/edit"):
        assert_persian(tehran, address)
    # The holder is told on her pages.
    notice = text(holder_client.get(f"/results/{office}"))
    assert "در انتظار دفاعیهٔ شماست: ۱" in notice
    assert "دریافت وجه بیش از تعرفهٔ مصوب" in text(holder_client.get(f"/results/{office}/violations"))


@pytest.mark.parametrize(("changes", "message"), [
    ({"occurred_on-day": "۱", "occurred_on-month": "۱", "occurred_on-year": "۱۴۰۶"}, "هنوز نرسیده"),
    ({"kind": "theft"}, None),
    ({"points": "۱۲.۵"}, "اعشار"),
    ({"points": "۲۰۰۰"}, "عددی از ۰ تا ۱۰۰۰"),
    ({"description": ""}, "شرح تخلف را بنویسید"),
])
def test_invalid_input_is_shown_back(demo_data, tehran, office, changes, message):
    response = record(tehran, office, **changes)
    assert response.status_code == 400
    assert page(response).select_one(".error-summary") is not None
    if message:
        assert message in text(response)
    if "description" not in changes:
        assert page(response).select_one("#description").get_text().strip() == RECORD["description"]
    assert violations(demo_data) == []


def test_another_province_is_a_404(recorded, demo_data, isfahan, office):
    for address in (f"/admin/offices/{office}/violations", f"/admin/offices/{office}/violations/new",
                    f"/admin/violations/{recorded.id}", f"/admin/violations/{recorded.id}/edit"):
        assert isfahan.get(address).status_code == 404, address
    assert record(isfahan, office).status_code == 404
    assert isfahan.post(f"/admin/violations/{recorded.id}/decide",
                        data={"decide-decision_ref": "۱۲", "decide-points": "۴"}).status_code == 404
    assert page(isfahan.get("/admin/violations")).select_one(f"a[href='/admin/violations/{recorded.id}']") is None


def test_no_decision_before_the_defence_or_its_period(recorded, demo_data, tehran, frozen_clock):
    decide = {"decide-decision_ref": "۱۴۰۵/۲۳", "decide-points": "۵", "decide-note": "با حضور مدیر دفتر"}
    response = tehran.post(f"/admin/violations/{recorded.id}/decide", data=decide)
    assert response.status_code == 303
    assert violations(demo_data)[0].status == "notified"
    assert actions(demo_data)[-1] == ("violation-decide", "refused")
    deadline = (recorded.recorded_at.astimezone(TEHRAN) + timedelta(days=7)).replace(hour=23, minute=59, second=59,
                                                                                   microsecond=0)
    at(frozen_clock, deadline, tehran)
    tehran.post(f"/admin/violations/{recorded.id}/decide", data=decide)
    assert violations(demo_data)[0].status == "notified"  # the period's last second is still the holder's
    at(frozen_clock, deadline + timedelta(seconds=1), tehran)
    assert page(tehran.get(f"/admin/violations/{recorded.id}")).select_one("#decide-decision_ref") is not None
    assert tehran.post(f"/admin/violations/{recorded.id}/decide", data=decide).status_code == 303
    decided = violations(demo_data)[0]
    assert (decided.status, decided.points, decided.decision_ref) == ("decided", 5, "1405/23")
    assert actions(demo_data)[-1] == ("violation-decide", "ok")


def test_a_decided_violation_cannot_change(recorded, demo_data, tehran, holder_client, office):
    assert holder_client.post(f"/results/{office}/violations/{recorded.id}",
                              data={"defence": "مبلغ اضافه بابت خدمت پست بوده و رسید آن موجود است."}).status_code == 303
    assert tehran.post(f"/admin/violations/{recorded.id}/dismiss",
                       data={"dismiss-note": "رسید پست ارائه شد"}).status_code == 303
    assert violations(demo_data)[0].status == "dismissed"
    response = tehran.post(f"/admin/violations/{recorded.id}/edit", data={**RECORD, "points": "۹"})
    assert response.status_code == 409 and "دیگر نمی‌توان آن را تغییر داد" in text(response)
    assert violations(demo_data)[0].points == 4
    assert tehran.post(f"/admin/violations/{recorded.id}/decide",
                       data={"decide-decision_ref": "۱", "decide-points": "۴"}).status_code == 303
    assert violations(demo_data)[0].status == "dismissed"
    assert actions(demo_data) == [("violation-record", "ok"), ("violation-defend", "ok"), ("violation-dismiss", "ok"),
                                  ("violation-edit", "refused"), ("violation-decide", "refused")]
    audit_log = text(tehran.get(f"/admin/offices/{office}"))
    assert "ثبت تخلف" in audit_log and "ثبت دفاعیه" in audit_log and "رد تخلف در کمیسیون" in audit_log


def test_an_undecided_violation_can_be_corrected(recorded, demo_data, tehran):
    response = tehran.post(f"/admin/violations/{recorded.id}/edit", data={**RECORD, "points": "۶", "kind": "records"})
    assert response.status_code == 303
    changed = violations(demo_data)[0]
    assert (changed.points, changed.kind, changed.status) == (6, "records", "notified")
    assert actions(demo_data)[-1] == ("violation-edit", "ok")


def violations_rubric(app):
    """The round scores violations with the `violations` measure: the sum of the decided ones' points."""
    with app.app_context():
        round_ = db.session.get(Round, 1)
        stored = dict(round_.rubric)
        criteria = []
        for criterion in stored["criteria"]:
            if criterion["key"] == "violations":
                criterion = {k: v for k, v in criterion.items() if k not in ("source", "default", "entered_by")}
                criterion["measure"] = "violations"
            criteria.append(criterion)
        round_.rubric = {**stored, "criteria": criteria}
        db.session.commit()


def test_a_confirmed_violation_subtracts_at_the_next_compute(submitted, demo_data, tehran, holder_client):
    violations_rubric(demo_data)
    at_after = AFTER
    assert record(tehran, submitted).status_code == 303
    violation = violations(demo_data)[0]
    holder_client.post(f"/results/{submitted}/violations/{violation.id}",
                       data={"defence": "این تخلف رخ نداده است و شاهد داریم."})
    runner = demo_data.test_cli_runner()
    assert runner.invoke(args=["results", "compute"]).exit_code == 0
    tehran.post(f"/admin/violations/{violation.id}/decide", data={"decide-decision_ref": "۷", "decide-points": "۴"})
    assert runner.invoke(args=["results", "compute"]).exit_code == 0
    with demo_data.app_context():
        first, second = db.session.scalars(sa.select(Result).where(Result.office_id == submitted)
                                           .order_by(Result.version)).all()
        assert (first.breakdown["values"]["violations"], second.breakdown["values"]["violations"]) == (0, 4)
        assert second.score == first.score - 10  # 4 points reach the band from 3: −10
    assert at_after
