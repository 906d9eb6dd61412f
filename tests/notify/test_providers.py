"""The HTTP gateway adapter against a fake provider (success, refusal, 5xx, timeout, then a retry), and the file
provider."""

import pytest
import sqlalchemy as sa

from tests.notify.fake_gateway import API_KEY
from tests.notify.fake_gateway import FakeGateway
from wizard import clock
from wizard.extensions import db
from wizard.models import Message
from wizard.notify import delivery
from wizard.notify import send
from wizard.notify.providers import FileProvider
from wizard.notify.providers import HttpProvider
from wizard.notify.providers import Rejected
from wizard.notify.providers import Unavailable
from wizard.notify.providers import from_config
from wizard.notify.providers import read_outbox
from wizard.notify.reminders import sweep


@pytest.fixture
def gateway():
    with FakeGateway() as fake:
        yield fake


def provider(gateway, key=API_KEY):
    return HttpProvider(gateway.url, key, "30001234", timeout=0.5)


def test_success_sends_sender_receptor_and_message_with_the_key_header(gateway):
    receipt = provider(gateway).send("09121234567", "پیشخوان: آزمایش ۱", "7")
    assert receipt.provider_id == "1001" and not receipt.delivered
    request = gateway.requests[0]
    assert {name.lower(): value for name, value in request["headers"].items()}["apikey"] == API_KEY
    assert request["body"] == {"sender": "30001234", "receptor": "09121234567", "message": "پیشخوان: آزمایش ۱",
                               "localid": "7"}


@pytest.mark.parametrize("answer, error, words", [
    ("invalid", Rejected, "شماره گیرنده نامعتبر"),
    ("credit", Rejected, "اعتبار حساب"),
    ("garbage", Rejected, "refused"),
    ("5xx", Unavailable, "HTTP 503"),
    ("slow", Unavailable, "no answer"),
])
def test_errors(gateway, answer, error, words):
    gateway.script = [answer]
    with pytest.raises(error, match=words):
        provider(gateway).send("09121234567", "x", "1")


def test_a_wrong_key_is_a_refusal(gateway):
    with pytest.raises(Rejected, match="HTTP 401"):
        provider(gateway, key="wrong").send("09121234567", "x", "1")


def test_no_gateway_at_all_is_unavailable():
    with pytest.raises(Unavailable):
        HttpProvider("http://127.0.0.1:9/none", API_KEY, "3000", timeout=0.5).send("09121234567", "x", "1")


def test_only_http_urls():
    with pytest.raises(ValueError):
        HttpProvider("file:///etc/passwd", API_KEY, "3000")


def test_the_configuration_chooses_the_provider(tmp_path):
    config = {"SMS_PROVIDER": "http", "SMS_API_URL": "https://sms.example.ir/send", "SMS_API_KEY": "k",
              "SMS_SENDER": "3000", "SMS_TIMEOUT": "3"}
    chosen = from_config(config, str(tmp_path))
    assert (chosen.name, chosen.timeout, chosen.key_header) == ("http", 3.0, "apikey")
    assert from_config({"SMS_PROVIDER": "console"}, str(tmp_path)).name == "console"
    assert from_config({}, str(tmp_path)).path == tmp_path / "outbox.jsonl"
    with pytest.raises(ValueError):
        from_config({"SMS_PROVIDER": "pigeon"}, str(tmp_path))


def test_the_file_provider_appends_json_lines(tmp_path):
    outbox = FileProvider(tmp_path / "sub" / "out.jsonl")
    outbox.send("09121234567", "یک", "1")
    outbox.send("09121234568", "دو", "2")
    assert read_outbox(tmp_path / "sub" / "out.jsonl") == [
        {"id": "1", "mobile": "09121234567", "text": "یک"}, {"id": "2", "mobile": "09121234568", "text": "دو"}]


def _queue(app, key="k1"):
    message = send("receipt", mobile="09121234567", template="receipt", context={"office": "T1", "code": "1"}, key=key)
    db.session.commit()
    return message.id


def _message(message_id):
    db.session.commit()  # end this session's read: the delivery wrote in a session of its own
    return db.session.get(Message, message_id)


def test_a_timeout_then_a_5xx_then_success_through_the_outbox(tmp_path, gateway, frozen_clock):
    from datetime import UTC
    from datetime import datetime
    from datetime import timedelta

    from tests.conftest import make_app

    app = make_app(tmp_path, SMS_PROVIDER="http", SMS_API_URL=gateway.url, SMS_API_KEY=API_KEY, SMS_SENDER="3000",
                   SMS_TIMEOUT=0.5, SMS_MAX_ATTEMPTS=3, SMS_RETRY_DELAYS=(30, 120))
    start = frozen_clock(datetime(2026, 12, 10, 9, 0, tzinfo=UTC))
    gateway.script = ["slow", "5xx", "ok"]
    with app.app_context():
        message_id = _queue(app)  # the first attempt runs after the commit, and times out
        message = _message(message_id)
        assert (message.status, message.attempts) == ("queued", 1)
        assert "no answer" in message.last_error and message.next_attempt_at == start + timedelta(seconds=30)
        assert sweep(start + timedelta(seconds=10)) == 0  # its backoff has not passed
        frozen_clock(start + timedelta(seconds=31))
        assert sweep(clock.now()) == 1
        message = _message(message_id)
        assert (message.status, message.attempts, message.last_error) == ("queued", 2, "HTTP 503: service unavailable")
        frozen_clock(start + timedelta(seconds=200))
        sweep(clock.now())
        message = _message(message_id)
        assert (message.status, message.attempts, message.provider_id) == ("sent", 3, "1001")
        assert message.last_error is None and message.sent_at == clock.now()
    assert [r["body"]["localid"] for r in gateway.requests] == [str(message_id)] * 3


def test_a_refusal_fails_at_once_and_the_last_attempt_fails_for_good(tmp_path, gateway):
    from tests.conftest import make_app

    app = make_app(tmp_path, SMS_PROVIDER="http", SMS_API_URL=gateway.url, SMS_API_KEY=API_KEY, SMS_SENDER="3000",
                   SMS_TIMEOUT=0.5, SMS_MAX_ATTEMPTS=2)
    gateway.script = ["invalid", "5xx", "5xx"]
    with app.app_context():
        refused = _queue(app, "a")
        assert (_message(refused).status, _message(refused).attempts) == ("failed", 1)
        assert "نامعتبر" in _message(refused).last_error
        flaky = _queue(app, "b")
        assert _message(flaky).status == "queued"
        assert delivery.deliver(flaky) == "failed"  # the second of two attempts
        assert delivery.deliver(flaky) == "skipped"  # failed stays failed
        db.session.commit()
        assert db.session.scalar(sa.select(Message.attempts).where(Message.id == flaky)) == 2


def test_a_page_whose_provider_is_down_still_answers(tmp_path, frozen_clock):
    """The receipt's SMS cannot go (no gateway listening): the submission is made, the page answers, and the message
    waits in the outbox for another attempt."""
    from tests.conftest import DEMO_DAY
    from tests.conftest import HOLDER
    from tests.conftest import login
    from tests.conftest import make_app
    from tests.conftest import password_hash
    from tests.declaration.test_declaration import fill_all
    from tests.declaration.test_declaration import review_version
    from tests.declaration.test_declaration import url
    from wizard.models import Office
    from wizard.models import User

    frozen_clock(DEMO_DAY)
    app = make_app(tmp_path, SMS_PROVIDER="http", SMS_API_URL="http://127.0.0.1:9/none", SMS_API_KEY="k",
                   SMS_SENDER="3000", SMS_TIMEOUT=0.5)
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == HOLDER))
        user.password_hash, user.must_change_password = password_hash("a sturdy passphrase"), False
        office = db.session.scalar(sa.select(Office.id).where(Office.license_number == "P-1038"))
        db.session.commit()
    client = app.test_client()
    assert login(client, HOLDER, "a sturdy passphrase").status_code == 302
    fill_all(client, app, office)
    response = client.post(url(office, "submit"), data={"declare": "y", "version": review_version(client, office)})
    assert response.status_code == 303 and "/receipt/1" in response.headers["Location"]
    with app.app_context():
        receipt = db.session.scalar(sa.select(Message).where(Message.event == "receipt"))
        assert (receipt.status, receipt.attempts) == ("queued", 1) and "no answer" in receipt.last_error
