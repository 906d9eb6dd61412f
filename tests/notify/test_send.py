"""The outbox interface (wizard/notify.send): a row in the caller's transaction, one per key, delivered only after
the commit."""

import sqlalchemy as sa

from tests.notify.helpers import sent
from wizard.extensions import db
from wizard.models import Message
from wizard.models import User
from wizard.notify import send

MOBILE = "09121234567"


def _send(key="test:1", **extra):
    return send("receipt", mobile=extra.pop("mobile", MOBILE), template="receipt",
                context={"office": "TEH21059", "code": "1234567890"}, key=key, **extra)


def test_a_message_is_queued_and_delivered_after_the_commit(app):
    with app.app_context():
        message = _send()
        assert message.status == "queued" and message.parts in (1, 2)
        assert "۱۲۳۴۵۶۷۸۹۰" in message.text and "TEH21059" in message.text
        assert sent(app) == []  # nothing leaves before the commit
        db.session.commit()
        assert [line["mobile"] for line in sent(app)] == [MOBILE]
        db.session.refresh(message)
        assert message.status == "delivered" and message.attempts == 1 and message.provider == "file"
        assert message.provider_id and message.sent_at is not None


def test_the_same_key_sends_nothing_twice(app):
    with app.app_context():
        assert _send() is not None
        db.session.commit()
        assert _send() is None
        db.session.commit()
        assert len(sent(app)) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Message)) == 1


def test_a_rolled_back_transaction_sends_nothing(app):
    with app.app_context():
        _send()
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Message)) == 0
        db.session.commit()
        assert sent(app) == []


def test_a_number_that_is_not_a_mobile_is_not_queued(app):
    with app.app_context():
        assert _send(mobile="021-8888") is None
        assert _send(mobile=None) is None


def test_the_mobile_is_stored_canonical_and_the_holder_linked(app):
    with app.app_context():
        user = User(username="u", role="holder", full_name="x")
        db.session.add(user)
        db.session.flush()
        message = _send(mobile="+98 912 123 4567", user=user, province="تهران")
        db.session.commit()
        assert (message.mobile, message.user_id, message.province) == (MOBILE, user.id, "تهران")


def test_a_recovery_code_is_blanked_once_sent_and_never_shown_to_staff(demo_data, admin):
    with demo_data.app_context():
        message = send("recovery", mobile=MOBILE, template="recovery_code", context={"code": "482913", "minutes": 10},
                       key="recovery:1:a", province="تهران")
        db.session.commit()
        assert "۴۸۲۹۱۳" in sent(demo_data)[-1]["text"]  # the holder gets the code
        db.session.refresh(message)
        assert "۴۸۲۹۱۳" not in message.text and "••••••" in message.text and "۱۰ دقیقه" in message.text
    page = admin.get("/admin/messages?event=recovery").get_data(as_text=True)
    assert "۴۸۲۹۱۳" not in page and "••••••" in page


def test_staff_never_see_a_code_still_queued():
    from wizard.notify.texts import shown_text

    assert shown_text("recovery_code", "کد ۱۲۳۴۵۶ است") == "کد •••••• است"
    assert shown_text("receipt", "کد ۱۲۳۴۵۶") == "کد ۱۲۳۴۵۶"
