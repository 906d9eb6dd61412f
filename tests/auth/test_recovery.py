"""Password recovery by the registered mobile (issue 22 item 3): code by SMS (the file provider), new password."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from tests.conftest import DEMO_DAY
from tests.conftest import HOLDER
from tests.conftest import STAFF_PASSWORD
from tests.conftest import login
from tests.conftest import make_app
from tests.conftest import password_hash
from wizard import clock
from wizard.extensions import db
from wizard.models import AuditEvent
from wizard.models import Message
from wizard.models import RecoveryCode
from wizard.models import User
from wizard.notify.providers import read_outbox

HOLDER_MOBILE = "09480606454"  # مریم احمدی's mobile in the demo data
NEW_PASSWORD = "a brand new passphrase"

pytestmark = pytest.mark.usefixtures("in_the_window")


def sent(app) -> list[dict]:
    """The recovery codes the file provider "sent" (the demo's round-opening messages left out)."""
    return [m for m in read_outbox(app.config["SMS_FILE_PATH"]) if "کد بازیابی" in m["text"]]


def code_in(message: dict) -> str:
    return re.search(r"[۰-۹]{6}", message["text"]).group().translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def errors(response) -> str:
    return " ".join(p.get_text(" ", strip=True) for p in page(response).select(".error-summary, .field-error"))


def ask(client, identifier):
    response = client.post("/account/recover", data={"identifier": identifier})
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/recover/code")
    return client.get("/account/recover/code")


def with_password(app, username=HOLDER, password="the old passphrase"):
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        user.password_hash, user.must_change_password = password_hash(password), False
        db.session.commit()


def test_the_login_page_links_to_recovery(client, demo_data):
    link = page(client.get("/login")).find("a", href="/account/recover")
    assert link is not None and link.get_text(strip=True)


def test_a_holder_recovers_by_the_code_sent_to_her_mobile(demo_data):
    with_password(demo_data)
    elsewhere = demo_data.test_client()
    assert login(elsewhere, HOLDER, "the old passphrase").status_code == 302
    client = demo_data.test_client()
    shown = ask(client, "۰۰۱۲۳۴۵۶۷۹")  # Persian digits, as typed on a Persian keyboard
    assert "۰۹۴۸***۶۴۵۴" in page(shown).get_text()
    [message] = sent(demo_data)
    assert message["mobile"] == HOLDER_MOBILE
    response = client.post("/account/recover/code", data={"code": code_in(message)})
    assert response.headers["Location"].endswith("/account/recover/password")
    form = page(client.get("/account/recover/password"))
    assert form.find("input", attrs={"name": "new_username"}) is not None
    response = client.post("/account/recover/password", data={
        "new_username": "maryam.ahmadi", "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/declaration/")
    assert client.get("/declaration/").status_code == 200  # signed in
    assert elsewhere.get("/declaration/").status_code == 302  # every other session ended
    fresh = demo_data.test_client()
    assert login(fresh, "maryam.ahmadi", NEW_PASSWORD).status_code == 302
    assert login(demo_data.test_client(), HOLDER, "the old passphrase").status_code == 200


def test_the_code_is_stored_hashed_and_works_once(demo_data):
    client = demo_data.test_client()
    ask(client, HOLDER)
    code = code_in(sent(demo_data)[-1])
    with demo_data.app_context():
        row = db.session.scalar(sa.select(RecoveryCode))
        assert code not in row.code_hash and len(row.code_hash) == 64
        kept = db.session.scalar(sa.select(Message.text).where(Message.event == "recovery"))
        assert "••••••" in kept and code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) not in kept
    assert client.post("/account/recover/code", data={"code": code}).status_code == 302
    response = client.post("/account/recover/code", data={"code": code})
    assert response.status_code == 200 and "استفاده" in errors(response)


def test_an_expired_code_is_refused(demo_data, frozen_clock):
    client = demo_data.test_client()
    ask(client, HOLDER)
    code = code_in(sent(demo_data)[-1])
    frozen_clock(clock.now() + timedelta(minutes=11))
    response = client.post("/account/recover/code", data={"code": code})
    assert response.status_code == 200 and "منقضی" in errors(response)


def test_five_wrong_codes_void_the_code(demo_data):
    client = demo_data.test_client()
    ask(client, HOLDER)
    code = code_in(sent(demo_data)[-1])
    wrong = f"{(int(code) + 1) % 10 ** 6:06d}"
    for _ in range(5):
        assert "درست نیست" in errors(client.post("/account/recover/code", data={"code": wrong}))
    response = client.post("/account/recover/code", data={"code": code})
    assert "بارها" in errors(response)
    assert client.get("/account/recover/password").status_code == 302


def test_a_new_code_replaces_the_earlier_one(demo_data):
    client = demo_data.test_client()
    ask(client, HOLDER)
    first = code_in(sent(demo_data)[-1])
    ask(client, HOLDER)
    second = code_in(sent(demo_data)[-1])
    if first != second:
        assert client.post("/account/recover/code", data={"code": first}).status_code == 200
    assert client.post("/account/recover/code", data={"code": second}).status_code == 302


@pytest.mark.parametrize("identifier", ["no-such-user", "0000000000", "tehran", "admin"])
def test_unknown_users_and_staff_get_the_same_answer_and_no_message(demo_data, identifier):
    client = demo_data.test_client()
    shown = ask(client, identifier)
    text = page(shown).select_one("main, body").get_text(" ", strip=True)
    assert re.search(r"۰۹[۰-۹]{2}\*\*\*[۰-۹]{4}", text)
    assert sent(demo_data) == []
    again = ask(demo_data.test_client(), identifier)
    assert re.search(r"۰۹[۰-۹]{2}\*\*\*[۰-۹]{4}", page(again).get_text()).group() == \
        re.search(r"۰۹[۰-۹]{2}\*\*\*[۰-۹]{4}", text).group()  # the same decoy each time
    for _ in range(5):
        assert "درست نیست" in errors(client.post("/account/recover/code", data={"code": "123456"}))
    assert "بارها" in errors(client.post("/account/recover/code", data={"code": "123456"}))
    assert client.get("/account/recover/password").status_code == 302


def test_a_known_and_an_unknown_account_get_pages_that_differ_only_in_the_mask(demo_data):
    def normalized(identifier):
        body = page(ask(demo_data.test_client(), identifier)).select_one("main").get_text(" ", strip=True)
        return re.sub(r"۰۹[۰-۹]{2}\*\*\*[۰-۹]{4}", "MASK", body)
    assert normalized(HOLDER) == normalized("0000000019")


def test_staff_signing_in_with_a_recovered_password_is_impossible(demo_data):
    client = demo_data.test_client()
    ask(client, "tehran")
    assert sent(demo_data) == []
    with demo_data.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)) == 0
    assert login(demo_data.test_client(), "tehran", STAFF_PASSWORD).status_code == 302  # unchanged


def test_the_new_password_follows_the_password_rules(demo_data):
    client = demo_data.test_client()
    ask(client, HOLDER)
    client.post("/account/recover/code", data={"code": code_in(sent(demo_data)[-1])})
    response = client.post("/account/recover/password", data={
        "new_username": "", "new_password": "short", "confirm_password": "short"})
    assert response.status_code == 200
    assert "نام کاربری" in errors(response) and "۸" in errors(response)


def test_the_password_page_needs_a_verified_code(client, demo_data):
    response = client.get("/account/recover/password")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/recover")
    ask(client, HOLDER)
    assert client.get("/account/recover/password").status_code == 302


def test_the_verified_code_allows_the_new_password_for_a_while_only(demo_data, frozen_clock):
    client = demo_data.test_client()
    ask(client, HOLDER)
    client.post("/account/recover/code", data={"code": code_in(sent(demo_data)[-1])})
    frozen_clock(clock.now() + timedelta(minutes=16))
    assert client.get("/account/recover/password").status_code == 302


def test_every_step_is_audited(demo_data):
    client = demo_data.test_client()
    ask(client, "no-such-user")
    ask(client, HOLDER)
    client.post("/account/recover/code", data={"code": "000000" if code_in(sent(demo_data)[-1]) != "000000"
                                               else "111111"})
    client.post("/account/recover/code", data={"code": code_in(sent(demo_data)[-1])})
    client.post("/account/recover/password", data={
        "new_username": "maryam.ahmadi", "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    with demo_data.app_context():
        events = db.session.execute(sa.select(AuditEvent.action, AuditEvent.outcome, AuditEvent.address)
                                    .where(AuditEvent.action.like("recovery-%")).order_by(AuditEvent.id)).all()
    assert [(action, outcome) for action, outcome, _ in events] == [
        ("recovery-request", "unknown"), ("recovery-request", "ok"), ("recovery-code", "failed"),
        ("recovery-code", "ok"), ("recovery-password", "ok")]
    assert all(address for *_, address in events)


def test_codes_are_limited_per_account(demo_data):
    client = demo_data.test_client()
    for _ in range(3):
        ask(client, HOLDER)
    shown = ask(client, HOLDER)
    assert len(sent(demo_data)) == 3
    assert "ساعت" in page(shown).get_text()  # try again in an hour
    assert client.post("/account/recover/code", data={"code": code_in(sent(demo_data)[-1])}).status_code == 302


def test_codes_are_limited_per_address(tmp_path, frozen_clock):
    app = make_app(tmp_path, RECOVERY_ADDRESS_LIMIT="2 per hour")
    frozen_clock(DEMO_DAY)
    app.test_cli_runner().invoke(args=["demo"])
    client = app.test_client()
    for identifier in ("first-name", "second-name"):
        assert client.post("/account/recover", data={"identifier": identifier}).status_code == 302
    assert client.post("/account/recover", data={"identifier": "third-name"}).status_code == 429


def test_with_csrf_on_the_forms_carry_their_token(csrf_app, frozen_clock):
    frozen_clock(DEMO_DAY)
    csrf_app.test_cli_runner().invoke(args=["demo"])
    client = csrf_app.test_client()
    assert client.post("/account/recover", data={"identifier": HOLDER}).status_code in (200, 400)
    assert sent(csrf_app) == []
    token = page(client.get("/account/recover")).find("input", attrs={"name": "csrf_token"})["value"]
    assert client.post("/account/recover", data={"identifier": HOLDER, "csrf_token": token}).status_code == 302
    assert len(sent(csrf_app)) == 1
