"""Reviewer indicators: entered by the office's region after the window, audited, and read by `results compute`."""

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from tests.conftest import staff_client
from tests.conftest import AFTER
from tests.results.test_results import results
from tests.results.test_results import run
from wizard.extensions import db
from wizard.models import AuditEvent
from wizard.models import Score
from wizard.models import User

PERSIAN = {"value_inspection": "۸۵", "value_agency_rating": "٤", "value_violations": " ۳ "}


pytestmark = pytest.mark.usefixtures("in_the_window")  # the demo round is open


@pytest.fixture
def closed(frozen_clock):
    """The window has closed (staff sign in afterwards, so their sessions are fresh)."""
    return frozen_clock(AFTER)


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def stored(app, office_id) -> dict[str, tuple[int, str]]:
    with app.app_context():
        rows = db.session.execute(sa.select(Score.name, Score.value, User.username)
                                  .join(User, User.id == Score.entered_by)
                                  .where(Score.office_id == office_id)).all()
    return {name: (value, username) for name, value, username in rows}


def audited(app) -> list[AuditEvent]:
    with app.app_context():
        found = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "indicators")).all()
        db.session.expunge_all()
        return found


def test_indicators_open_only_after_the_deadline(demo_data, office):
    region = staff_client(demo_data, "tehran")
    shown = region.get(f"/admin/offices/{office}/indicators")
    assert shown.status_code == 200
    assert "پس از پایان مهلت" in page(shown).get_text() and page(shown).select_one("form input[name^=value_]") is None
    response = region.post(f"/admin/offices/{office}/indicators", data=PERSIAN)
    assert response.status_code == 303
    assert stored(demo_data, office) == {} and audited(demo_data) == []


def test_a_region_enters_values_in_persian_digits(demo_data, office, closed):
    region = staff_client(demo_data, "tehran")
    form = page(region.get(f"/admin/offices/{office}/indicators"))
    assert {i["name"] for i in form.select("input[name^=value_]")} == set(PERSIAN)
    assert "نمرهٔ بازرسی" in form.get_text() and form.select_one("input[name=csrf_token]") is not None
    response = region.post(f"/admin/offices/{office}/indicators", data=PERSIAN)
    assert response.status_code == 303 and response.headers["Location"] == f"/admin/offices/{office}/indicators"
    assert stored(demo_data, office) == {"inspection": (85, "tehran"), "agency_rating": (4, "tehran"),
                                         "violations": (3, "tehran")}
    [event] = audited(demo_data)
    assert event.target == f"office:{office}" and event.outcome == "ok"
    assert event.details["values"] == {"inspection": 85, "agency_rating": 4, "violations": 3}
    again = page(region.get(f"/admin/offices/{office}/indicators"))
    assert again.select_one("input[name=value_inspection]")["value"] == "۸۵"  # prefilled, in Persian digits
    assert "ذخیره شد" in again.get_text()


def test_saving_again_updates_clears_and_audits_only_changes(demo_data, office, closed):
    region = staff_client(demo_data, "tehran")
    region.post(f"/admin/offices/{office}/indicators", data=PERSIAN)
    region.post(f"/admin/offices/{office}/indicators",
                data={**PERSIAN, "value_inspection": "۹۰", "value_violations": ""})
    assert stored(demo_data, office) == {"inspection": (90, "tehran"), "agency_rating": (4, "tehran")}
    assert audited(demo_data)[-1].details["changed"] == ["inspection", "violations"]
    region.post(f"/admin/offices/{office}/indicators", data={**PERSIAN, "value_inspection": "90",
                                                             "value_violations": ""})
    assert len(audited(demo_data)) == 2  # nothing changed, nothing audited


@pytest.mark.parametrize(("name", "typed"), [("value_agency_rating", "۷"), ("value_inspection", "-1"),
                                             ("value_violations", "سه"), ("value_inspection", "12.5")])
def test_a_value_out_of_range_is_refused(demo_data, office, closed, name, typed):
    region = staff_client(demo_data, "tehran")
    response = region.post(f"/admin/offices/{office}/indicators", data={**PERSIAN, name: typed})
    assert response.status_code == 400
    shown = page(response)
    assert shown.select_one(".error-summary") is not None
    assert shown.select_one(f"input[name={name}]")["aria-invalid"] == "true"
    assert stored(demo_data, office) == {} and audited(demo_data) == []


def test_another_province_gets_404_and_holders_403(demo_data, office, closed, holder_client):
    isfahan = staff_client(demo_data, "isfahan")
    assert isfahan.get(f"/admin/offices/{office}/indicators").status_code == 404
    assert isfahan.post(f"/admin/offices/{office}/indicators", data=PERSIAN).status_code == 404
    assert isfahan.get("/admin/offices/99999/indicators").status_code == 404
    with holder_client.session_transaction() as session:
        session["seen"] = session["started"] = int(AFTER.timestamp())
    assert holder_client.get(f"/admin/offices/{office}/indicators").status_code == 403
    assert holder_client.post(f"/admin/offices/{office}/indicators", data=PERSIAN).status_code == 403
    assert stored(demo_data, office) == {}
    admin = staff_client(demo_data, "admin")
    assert admin.post(f"/admin/offices/{office}/indicators", data=PERSIAN).status_code == 303


def test_indicators_feed_results_compute(demo_data, submitted):  # noqa: F811
    assert run(demo_data, "results", "compute").exit_code == 0
    before = next(r for r in results(demo_data, 1) if r.office_id == submitted)
    region = staff_client(demo_data, "tehran")
    assert region.post(f"/admin/offices/{submitted}/indicators",
                       data={"value_inspection": "", "value_agency_rating": "", "value_violations": "۵"}
                       ).status_code == 303
    assert run(demo_data, "results", "compute").exit_code == 0
    after = next(r for r in results(demo_data, 2) if r.office_id == submitted)
    assert after.breakdown["values"]["violations"] == 5
    assert after.score == before.score - 20  # five violations: the rubric's −20 band
