"""The answers and publications that text the holder (issue 22): a correction request answered, an objection
answered, results published; and a round that opens later is announced by tick on its day."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.admin.test_corrections import ask
from tests.admin.test_objections import filed  # noqa: F401 (a fixture)
from tests.admin.test_objections import refresh
from tests.notify.helpers import sent_to
from wizard import clock
from wizard.extensions import db
from wizard.models import Message

pytestmark = pytest.mark.usefixtures("in_the_window")
HOLDER_MOBILE = "09480606454"


def events_of(app, event):
    with app.app_context():
        return list(db.session.scalars(sa.select(Message).where(Message.event == event).order_by(Message.id)))


def test_a_rejected_correction_request_texts_the_holder(holder_client, demo_data, office, tehran):
    request_id = ask(holder_client, demo_data, office, "license_number", "P-9999")
    assert tehran.post(f"/admin/corrections/{request_id}/reject", data={"answer": "شماره درست است."}).status_code == 303
    [message] = events_of(demo_data, "correction_answered")
    assert (message.mobile, message.template, message.office_id) == (HOLDER_MOBILE, "correction_rejected", office)
    assert "TEH21059" in message.text and "پذیرفته نشد" in message.text
    assert message.text in sent_to(demo_data, HOLDER_MOBILE)


def test_publication_and_an_answered_objection_text_the_holder(filed, demo_data, tehran, holder_client):  # noqa: F811
    published = events_of(demo_data, "results_published")
    assert len(published) == len({m.mobile for m in published}) == 12  # one per holder with a result
    assert HOLDER_MOBILE in {m.mobile for m in published} and "منتشر شد" in published[0].text
    refresh(tehran, holder_client)
    response = tehran.post(f"/admin/objections/{filed.id}/reject",
                           data={"reject-answer": "سند اجاره مساحت ۸۰ متر را نشان می‌دهد."})
    assert response.status_code == 303
    [message] = events_of(demo_data, "objection_answered")
    assert message.template == "objection_rejected" and message.mobile == HOLDER_MOBILE
    from wizard.rules.text import to_persian_digits

    assert to_persian_digits(filed.tracking_code) in message.text


def test_a_round_that_opens_later_is_announced_by_tick_on_its_day(app, runner, frozen_clock):
    now = frozen_clock(clock.now())
    assert runner.invoke(args=["import-areas", "wizard/demo/areas.csv"]).exit_code == 0
    assert runner.invoke(args=["import-offices", "wizard/demo/offices.csv"]).exit_code == 0
    from wizard.rules import jalali

    opens = jalali.format_date(now + timedelta(days=3), locale="en", style="short")
    result = runner.invoke(args=["round", "open", "--title", "دور آزمایشی", "--opens", opens])
    assert result.exit_code == 0, result.output
    assert events_of(app, "round_opened") == []  # not before it opens
    assert "round-opened=0" in runner.invoke(args=["messages", "tick"]).output
    frozen_clock(now + timedelta(days=4))
    assert "round-opened=12" in runner.invoke(args=["messages", "tick"]).output
    assert "round-opened=0" in runner.invoke(args=["messages", "tick"]).output
    assert len(events_of(app, "round_opened")) == 12
