"""Violations (issue 21, item 4), the holder's side: every violation of her own offices with its state and dates,
and her defence, written until the committee decides; nothing she typed is dropped."""

import pytest
import sqlalchemy as sa

from tests.admin.test_violations import actions
from tests.admin.test_violations import page
from tests.admin.test_violations import text
from tests.cycle import violations
from tests.conftest import OTHER_HOLDER
from tests.conftest import login
from tests.conftest import office_id
from tests.conftest import password_hash
from tests.test_persian_pages import assert_persian
from wizard.extensions import db
from wizard.models import AuditEvent
from wizard.models import User

pytestmark = pytest.mark.usefixtures("in_the_window")

DEFENCE = "مبلغ اضافه بابت ارسال پستی بوده و رسید آن به شمارهٔ ۱۲۳۴ موجود است."


def url(office, violation=None):
    return f"/results/{office}/violations" + (f"/{violation}" if violation else "")


def test_the_holder_sees_her_offices_violations(recorded, holder_client, office, demo_data):
    listed = page(holder_client.get(url(office)))
    assert listed.select_one(f"a[href='{url(office, recorded.id)}']") is not None
    assert "ثبت‌شده: در انتظار دفاعیهٔ شما" in listed.get_text()
    shown = text(holder_client.get(url(office, recorded.id)))
    assert "دریافت ۵۰٬۰۰۰ ریال" in shown and "در جلسهٔ ۱۴۰۵/۱۰/۰۵" in shown
    for address in (url(office), url(office, recorded.id), "/results/", f"/results/{office}"):
        assert_persian(holder_client, address)
    listing = page(holder_client.get("/results/"))  # two offices: the list names the one with a violation
    assert listing.select_one(f"a[href='{url(office)}']") is not None


def test_a_defence_is_saved_and_may_be_rewritten(recorded, holder_client, office, demo_data):
    response = holder_client.post(url(office, recorded.id), data={"defence": DEFENCE})
    assert response.status_code == 303
    defended = violations(demo_data)[0]
    assert (defended.status, defended.defence) == ("defended", DEFENCE)
    assert holder_client.post(url(office, recorded.id), data={"defence": DEFENCE + " شاهد هم داریم."}).status_code == 303
    assert violations(demo_data)[0].defence.endswith("شاهد هم داریم.")
    with demo_data.app_context():
        events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "violation-defend")).all()
        assert [event.details["violation"] for event in events] == [recorded.id, recorded.id]
    shown = page(holder_client.get(url(office, recorded.id)))
    assert shown.select_one("#defence").get_text().strip().endswith("شاهد هم داریم.")


@pytest.mark.parametrize(("typed", "message"), [("", "دفاعیهٔ خود را بنویسید"), ("کوتاه", "بین ۱۰ تا ۳۰۰۰"),
                                                 ("!!!???...,,,", "با حروف یا رقم"), ("ی" * 3001, "بین ۱۰ تا ۳۰۰۰")])
def test_an_invalid_defence_comes_back_with_its_message(recorded, holder_client, office, demo_data, typed, message):
    response = holder_client.post(url(office, recorded.id), data={"defence": typed})
    assert response.status_code == 400
    assert message in page(response).select_one("#defence-error").get_text()
    assert page(response).select_one("#defence").get_text().strip() == typed.strip()
    assert violations(demo_data)[0].status == "notified"


def test_a_defence_after_the_decision_is_shown_back(recorded, holder_client, office, demo_data, tehran, frozen_clock):
    with demo_data.app_context():
        from wizard.models import Violation

        db.session.get(Violation, recorded.id).status = "dismissed"
        db.session.commit()
    response = holder_client.post(url(office, recorded.id), data={"defence": DEFENCE})
    assert response.status_code == 409
    assert "رأی کمیسیون پیش از رسیدن دفاعیهٔ شما ثبت شده بود" in text(response)
    assert DEFENCE in text(response)  # what she wrote is on the page to copy
    assert page(response).select_one("form textarea") is None
    assert violations(demo_data)[0].defence is None
    assert ("violation-defend", "ok") not in actions(demo_data)


def test_another_holders_violation_is_a_404(recorded, demo_data, office):
    with demo_data.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == OTHER_HOLDER))
        user.password_hash, user.must_change_password = password_hash("another passphrase"), False
        db.session.commit()
    other = demo_data.test_client()
    assert login(other, OTHER_HOLDER, "another passphrase").status_code == 302
    assert other.get(url(office)).status_code == 404
    assert other.get(url(office, recorded.id)).status_code == 404
    assert other.post(url(office, recorded.id), data={"defence": DEFENCE}).status_code == 404
    isfahan_office = office_id(demo_data, "P-1202")
    assert other.get(url(isfahan_office, recorded.id)).status_code in (404,)


def test_a_violation_of_another_office_of_hers_is_a_404_under_this_one(recorded, holder_client, demo_data):
    second = office_id(demo_data, "P-1073")
    assert holder_client.get(url(second, recorded.id)).status_code == 404
    assert holder_client.post(url(second, recorded.id), data={"defence": DEFENCE}).status_code == 404
