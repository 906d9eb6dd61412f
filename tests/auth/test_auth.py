"""Sign-in, forced change, lockout, sessions that really end, roles, second factor, staff reset (SPEC §2)."""

import dataclasses
from datetime import datetime
from datetime import timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from tests.conftest import HOLDER
from tests.conftest import OTHER_HOLDER
from tests.conftest import STAFF_PASSWORD
from tests.conftest import enroll_staff
from tests.conftest import login
from tests.conftest import staff_client
from tests.conftest import totp_code
from tests.auth.test_redirects import OFF_SITE
from tests.conftest import password_hash
from wizard.access import Account
from wizard.access import load_user
from wizard.extensions import db
from wizard.models import AuditEvent
from wizard.models import User
from wizard.rules.deadline import TEHRAN

NEW_PASSWORD = "گل‌های بهاری ۱۴۰۵"  # Persian, with ZWNJ and Persian digits: any Unicode is allowed
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=TEHRAN)


@pytest.fixture(autouse=True)
def steady_clock(frozen_clock):
    return frozen_clock(NOW)


def user_named(app, username) -> User:
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        db.session.expunge(user)
        return user


def page_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def errors_of(response) -> list[str]:
    return [" ".join(e.get_text().split()) for e in page_of(response).select(".error-message, .error-summary p")]


def change_password(client, current, new=NEW_PASSWORD, new_username="maryam"):
    return client.post("/account/password", data={"current_password": current, "new_password": new,
                                                   "confirm_password": new, "new_username": new_username})


def audit_actions(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(e.action, e.outcome) for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]


# --- sign in -------------------------------------------------------------------------------------

def test_login_page_explains_the_national_code_credential_in_one_sentence(client):
    text = page_of(client.get("/login")).select_one("main").get_text()
    assert ("نام کاربری و رمز عبور اولیهٔ شما کد ملی شماست؛ اگر پیش‌تر نام کاربری و رمز عبور را تغییر داده‌اید، "
            "با اطلاعات جدید وارد شوید.") in text


@pytest.mark.parametrize("typed", [HOLDER, "۰۰۱۲۳۴۵۶۷۹", "٠٠١٢٣٤٥٦٧٩", "001-234-5679", " 00 1234 5679 ",
                                   "\u200e0012345679", "12345679"])
def test_national_code_in_any_digit_script_signs_in_and_forces_a_change(demo_data, typed):
    client = demo_data.test_client()
    response = login(client, typed, typed)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/password"


@pytest.mark.parametrize(("username", "password"), [
    (HOLDER, "wrong-password"),
    ("9999999999", "9999999999"),  # no such account
    ("nobody", "whatever-it-is"),
])
def test_errors_never_tell_whether_the_username_exists(demo_data, username, password):
    response = login(demo_data.test_client(), username, password)
    assert response.status_code == 200
    assert errors_of(response) == ["نام کاربری یا رمز عبور درست نیست."]


def test_the_password_field_is_never_echoed(demo_data):
    response = login(demo_data.test_client(), HOLDER, "secret-typed-here")
    assert b"secret-typed-here" not in response.data


@pytest.mark.parametrize("target", OFF_SITE)
def test_next_never_leaves_the_site(demo_data, target, holder_client):
    client = demo_data.test_client()
    response = login(client, HOLDER, "a sturdy passphrase", next=target)
    assert response.headers["Location"] == "/declaration/"  # a holder's own landing page


def test_next_within_the_site_is_followed(demo_data, holder_client):
    response = login(demo_data.test_client(), HOLDER, "a sturdy passphrase", next="/?from=login")
    assert response.headers["Location"] == "/?from=login"


# --- forced change -------------------------------------------------------------------------------

def every_route(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        arguments = {name: 1 for name in rule.arguments}
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, rule.build(arguments)[1]


def test_before_the_change_every_route_leads_to_the_change_page(demo_data):
    client = demo_data.test_client()
    login(client, HOLDER, HOLDER)
    allowed = {"auth.change_password", "auth.logout", "public.language"}
    checked = 0
    for endpoint, method, url in every_route(demo_data):
        if endpoint in allowed or endpoint.startswith("api."):
            continue  # the agencies' API reads no session, only its bearer token (tests/api)
        response = client.open(url, method=method)
        assert response.status_code == 302 and response.headers["Location"] == "/account/password", (endpoint, method)
        checked += 1
    assert checked >= 5


def test_change_needs_the_current_credential(demo_data):
    client = demo_data.test_client()
    login(client, HOLDER, HOLDER)
    response = change_password(client, current="not-it")
    assert "رمز عبور فعلی درست نیست." in errors_of(response)
    assert user_named(demo_data, HOLDER).password_hash is None


@pytest.mark.parametrize(("new", "message"), [
    ("short", "رمز عبور باید دست‌کم ۸ نویسه داشته باشد."),
    ("x" * 129, "رمز عبور حداکثر ۱۲۸ نویسه می‌تواند داشته باشد."),
    ("password123", "این رمز عبور بیش از حد رایج است؛ رمزی انتخاب کنید که حدس زدنش دشوار باشد."),
    ("۰۰۱۲۳۴۵۶۷۹", "رمز عبور نباید کد ملی، نام کاربری یا شماره همراه شما باشد."),
    ("09480606454", "رمز عبور نباید کد ملی، نام کاربری یا شماره همراه شما باشد."),
])
def test_password_policy(demo_data, new, message):
    client = demo_data.test_client()
    login(client, HOLDER, HOLDER)
    response = change_password(client, HOLDER, new=new)
    assert message in errors_of(response)
    assert user_named(demo_data, HOLDER).password_hash is None


def test_a_new_password_of_128_unicode_characters_is_kept_whole(demo_data):
    client = demo_data.test_client()
    login(client, HOLDER, HOLDER)
    long_one = "پ" * 127 + "🙂"
    assert change_password(client, HOLDER, new=long_one).status_code == 302
    assert login(demo_data.test_client(), "maryam", long_one[:-1] + "🙃").status_code == 200
    assert login(demo_data.test_client(), "maryam", long_one).status_code == 302


def test_after_the_change_only_the_new_username_and_password_sign_in(demo_data):
    client = demo_data.test_client()
    login(client, HOLDER, HOLDER)
    response = change_password(client, HOLDER, new_username="maryam.ahmadi")
    assert response.status_code == 302 and response.headers["Location"] == "/declaration/"  # straight to her work
    user = user_named(demo_data, "maryam.ahmadi")
    assert not user.must_change_password and user.password_hash.startswith("scrypt:")
    assert client.get("/").status_code == 200  # this session goes on
    # The default credential is dead either way: the national code is neither username nor password now.
    for username, password in ((HOLDER, HOLDER), (HOLDER, NEW_PASSWORD), ("۰۰۱۲۳۴۵۶۷۹", NEW_PASSWORD),
                               ("maryam.ahmadi", HOLDER)):
        assert login(demo_data.test_client(), username, password).status_code == 200
    assert login(demo_data.test_client(), "maryam.ahmadi", NEW_PASSWORD).status_code == 302


def test_the_forced_change_requires_a_username_of_ones_own(demo_data):
    client = demo_data.test_client()
    login(client, HOLDER, HOLDER)
    shown = page_of(client.get("/account/password"))
    username = shown.select_one("input[name=new_username]")
    assert username.has_attr("required")
    assert "کد ملی شما نه به‌عنوان نام کاربری و نه به‌عنوان رمز عبور پذیرفته نمی‌شود" in shown.get_text()
    response = change_password(client, HOLDER, new_username="")
    assert response.status_code == 200
    assert "یک نام کاربری برگزینید: پس از این تغییر، کد ملی شما دیگر برای ورود پذیرفته نمی‌شود." in errors_of(response)
    assert user_named(demo_data, HOLDER).password_hash is None


def test_a_later_change_may_keep_the_chosen_username(demo_data):
    client = demo_data.test_client()
    login(client, HOLDER, HOLDER)
    change_password(client, HOLDER, new_username="maryam.ahmadi")
    response = change_password(client, NEW_PASSWORD, new="کوه دماوند ۵۶۷۱", new_username="")
    assert response.status_code == 302
    assert login(demo_data.test_client(), "maryam.ahmadi", "کوه دماوند ۵۶۷۱").status_code == 302


def test_a_new_username_replaces_the_national_code(demo_data):
    client = demo_data.test_client()
    login(client, HOLDER, HOLDER)
    assert change_password(client, HOLDER, new_username="Maryam.Ahmadi").status_code == 302
    assert login(demo_data.test_client(), HOLDER, NEW_PASSWORD).status_code == 200
    assert login(demo_data.test_client(), "maryam.ahmadi", NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(("username", "message"), [
    ("admin", "این نام کاربری گرفته شده است؛ نام دیگری برگزینید."),
    ("1234567891", "نام کاربری ۳ تا ۳۲ نویسه"),
    ("مریم", "نام کاربری ۳ تا ۳۲ نویسه"),
    ("ab", "نام کاربری ۳ تا ۳۲ نویسه"),
])
def test_a_new_username_must_be_free_and_well_formed(demo_data, username, message):
    client = demo_data.test_client()
    login(client, HOLDER, HOLDER)
    response = change_password(client, HOLDER, new_username=username)
    assert any(message in error for error in errors_of(response))


# --- lockout -------------------------------------------------------------------------------------

def test_the_sixth_attempt_is_locked_even_with_the_right_password(demo_data, frozen_clock):
    client = demo_data.test_client()
    for _attempt in range(5):
        login(client, HOLDER, "wrong-one")
    response = login(client, HOLDER, HOLDER)
    assert response.status_code == 200
    message = " ".join(page_of(response).select_one(".error-summary").get_text().split())
    assert "۷ آذر ۱۴۰۵، ساعت ۱۰:۱۵" in message and "به وقت تهران" in message
    frozen_clock(NOW + timedelta(minutes=15, seconds=1))
    assert login(client, HOLDER, HOLDER).status_code == 302
    assert ("lockout", "ok") in audit_actions(demo_data)
    assert ("login", "locked") in audit_actions(demo_data)


def test_a_lock_on_one_account_leaves_others_alone(demo_data):
    client = demo_data.test_client()
    for _attempt in range(6):
        login(client, HOLDER, "wrong-one")
    assert login(demo_data.test_client(), OTHER_HOLDER, OTHER_HOLDER).status_code == 302


def test_unknown_usernames_lock_the_same_way(demo_data):
    client = demo_data.test_client()
    for _attempt in range(5):
        login(client, "8888888888", "nope-nope")
    assert "تلاش‌های نادرست بیش از حد بود" in login(client, "8888888888", "nope-nope").get_data(as_text=True)


def test_a_success_resets_the_consecutive_count(demo_data):
    client = demo_data.test_client()
    for _attempt in range(4):
        login(client, HOLDER, "wrong-one")
    assert login(demo_data.test_client(), HOLDER, HOLDER).status_code == 302
    for _attempt in range(4):
        login(client, HOLDER, "wrong-one")
    assert login(demo_data.test_client(), HOLDER, HOLDER).status_code == 302


def test_failed_logins_are_audited_without_the_password(demo_data):
    login(demo_data.test_client(), HOLDER, "s3cret-attempt\r\nforged line")
    with demo_data.app_context():
        events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "login")).all()
        assert [e.outcome for e in events] == ["failed"] and events[0].actor_id is not None
        assert "s3cret" not in repr([(e.details, e.target) for e in events])


def test_a_password_typed_into_the_username_box_is_stored_nowhere(demo_data):
    """The typed username of a failed sign-in becomes a keyed hash in the audit log and the lock table."""
    typed = "My-Secret-Passphrase-77"
    for _attempt in range(6):  # enough to lock it
        login(demo_data.test_client(), typed, "whatever")
    with demo_data.app_context():
        stored = [str(row) for table in ("audit_events", "login_throttles")
                  for row in db.session.execute(sa.text(f"SELECT * FROM {table}")).all()]  # noqa: S608
    assert stored and not any(typed.lower() in row.lower() for row in stored)
    assert login(demo_data.test_client(), typed, "whatever").status_code == 200  # still locked, by its key


# --- sessions ------------------------------------------------------------------------------------

def test_login_starts_a_new_session(demo_data, holder_client):
    client = demo_data.test_client()
    with client.session_transaction() as planted:
        planted["_user_id"] = "1:forged"
        planted["planted"] = "by an attacker"
    login(client, HOLDER, "a sturdy passphrase")
    with client.session_transaction() as session:
        assert "planted" not in session and session["_user_id"] != "1:forged"


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def replay(app, cookie):
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client.get("/admin/holders")


def test_logout_is_post_only_and_ends_the_session_everywhere(demo_data, holder_client):
    cookie = session_cookie(holder_client)
    other_device = demo_data.test_client()
    login(other_device, HOLDER, "a sturdy passphrase")
    assert holder_client.get("/logout").status_code == 405
    response = holder_client.post("/logout")
    assert response.headers["Location"] == "/login"
    replayed = demo_data.test_client()
    replayed.set_cookie("session", cookie)
    assert replayed.get("/account/password").headers["Location"].startswith("/login")
    assert other_device.get("/account/password").headers["Location"].startswith("/login")


def test_a_password_change_ends_the_other_sessions(demo_data, holder_client):
    elsewhere = demo_data.test_client()
    login(elsewhere, HOLDER, "a sturdy passphrase")
    assert change_password(holder_client, "a sturdy passphrase").status_code == 302
    assert holder_client.get("/account/password").status_code == 200
    assert elsewhere.get("/account/password").headers["Location"].startswith("/login")


def test_the_signed_in_account_is_the_users_row_read_afresh_on_every_request(demo_data, holder_client):
    with demo_data.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == HOLDER))
        user.full_name = "فاطمه رضایی"
        db.session.commit()
    assert page_of(holder_client.get("/")).select_one(".who").get_text() == "فاطمه رضایی"
    with demo_data.test_request_context():
        user = db.session.scalar(sa.select(User).where(User.username == HOLDER))
        account = load_user(f"{user.id}:{user.session_token}")
        assert account == Account.of(user) and account.full_name == "فاطمه رضایی" and not account.is_staff
        assert load_user(f"{user.id}:an-old-token") is None and load_user("x:y") is None
        with pytest.raises(dataclasses.FrozenInstanceError):  # read-only: views change the User itself
            account.role = "admin"


@pytest.mark.parametrize(("pause", "alive"), [(timedelta(minutes=29), True), (timedelta(minutes=31), False)])
def test_idle_timeout(demo_data, holder_client, frozen_clock, pause, alive):
    frozen_clock(NOW + pause)
    response = holder_client.get("/account/password")
    assert (response.status_code == 200) is alive


def test_absolute_timeout_even_with_activity(demo_data, holder_client, frozen_clock):
    moment = NOW
    while moment < NOW + timedelta(hours=11, minutes=55):
        moment += timedelta(minutes=10)
        frozen_clock(moment)
        assert holder_client.get("/account/password").status_code == 200
    frozen_clock(NOW + timedelta(hours=12, minutes=1))
    assert holder_client.get("/account/password").headers["Location"].startswith("/login")


def test_no_remember_me_cookie(demo_data):
    client = demo_data.test_client()
    response = login(client, HOLDER, HOLDER)
    assert all("remember_token" not in header for header in response.headers.getlist("Set-Cookie"))


# --- roles and the second factor -----------------------------------------------------------------

def test_every_view_declares_who_may_reach_it(app):
    missing = [rule.endpoint for rule in app.url_map.iter_rules()
               if getattr(app.view_functions[rule.endpoint], "access", None) is None]
    assert missing == []


def test_a_view_without_a_rule_is_refused(app, client):
    @app.get("/forgotten")
    def forgotten():
        return "should never show"

    assert client.get("/forgotten").status_code == 403


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get("/admin/holders")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")


def test_holders_may_not_enter_the_admin_pages(holder_client):
    assert holder_client.get("/admin/holders").status_code == 403
    assert holder_client.post("/admin/holders/1/reset-password").status_code == 403


def test_staff_must_enroll_a_second_factor_first(demo_data):
    client = demo_data.test_client()
    response = login(client, "tehran", STAFF_PASSWORD)
    assert response.headers["Location"].startswith("/account/two-factor/enroll")
    assert client.get("/admin/holders").headers["Location"] == "/account/two-factor/enroll"
    page = page_of(client.get("/account/two-factor/enroll"))
    assert page.select_one("svg.qr[role=img]") is not None
    secret = page.select_one("code.secret").get_text()
    import pyotp

    response = client.post("/account/two-factor/enroll", data={"code": pyotp.TOTP(secret).at(NOW)})
    assert response.status_code == 302
    assert client.get("/admin/holders").status_code == 200
    assert ("totp-enroll", "ok") in audit_actions(demo_data)


def test_enrolled_staff_need_a_fresh_code_at_every_sign_in(demo_data, frozen_clock):
    enroll_staff(demo_data, "tehran")
    client = demo_data.test_client()
    login(client, "tehran", STAFF_PASSWORD)
    assert client.get("/admin/holders").headers["Location"] == "/account/two-factor"
    assert client.post("/account/two-factor", data={"code": "000000"}).status_code == 200
    code = totp_code(NOW)
    assert client.post("/account/two-factor", data={"code": code}).status_code == 302
    again = demo_data.test_client()
    login(again, "tehran", STAFF_PASSWORD)
    replayed = again.post("/account/two-factor", data={"code": code})
    assert replayed.status_code == 200  # a used code is not accepted twice
    frozen_clock(NOW + timedelta(seconds=30))
    assert again.post("/account/two-factor", data={"code": totp_code()}).status_code == 302


def second_factor(app, code) -> int:
    client = app.test_client()
    login(client, "tehran", STAFF_PASSWORD)
    return client.post("/account/two-factor", data={"code": code}).status_code


@pytest.mark.parametrize("steps", [(0, 0), (-1, -1), (1, 1), (0, -1), (1, 0), (1, -1)])
def test_a_code_no_newer_than_the_last_one_used_is_refused(demo_data, frozen_clock, steps):
    """Within one ±30 s window the codes of steps N-1, N and N+1 are all current; each counts once,
    and after one is used no older one counts (ASVS 2.8.4)."""
    enroll_staff(demo_data, "tehran")
    first, second = (totp_code(NOW + timedelta(seconds=30 * step)) for step in steps)
    assert second_factor(demo_data, first) == 302
    assert second_factor(demo_data, second) == 200


def test_a_newer_code_in_the_same_window_is_accepted(demo_data):
    enroll_staff(demo_data, "tehran")
    assert second_factor(demo_data, totp_code(NOW - timedelta(seconds=30))) == 302
    assert second_factor(demo_data, totp_code(NOW)) == 302
    assert second_factor(demo_data, totp_code(NOW + timedelta(seconds=30))) == 302


def test_two_requests_with_one_code_claim_it_once(demo_data):
    """The claim is one UPDATE ... WHERE last step < this step: of two racing requests one wins."""
    import threading

    enroll_staff(demo_data, "tehran")
    code = totp_code(NOW)
    clients = []
    for _ in range(8):
        client = demo_data.test_client()
        login(client, "tehran", STAFF_PASSWORD)
        clients.append(client)
    answers, start = [], threading.Barrier(len(clients))

    def verify(client):
        start.wait()
        answers.append(client.post("/account/two-factor", data={"code": code}).status_code)

    threads = [threading.Thread(target=verify, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [200] * 7 + [302]


# --- password reset by staff ---------------------------------------------------------------------

def holder_id(app, national_code) -> int:
    return user_named(app, national_code).id


def test_a_region_resets_a_holder_of_its_province(demo_data, holder_client):
    region = staff_client(demo_data, "tehran")
    page = page_of(region.post("/admin/holders", data={"q": "۰۰۱۲۳۴۵۶۷۹"}))
    assert "مریم احمدی" in page.get_text()
    response = region.post(f"/admin/holders/{holder_id(demo_data, HOLDER)}/reset-password")
    assert response.status_code == 302
    assert holder_client.get("/account/password").headers["Location"].startswith("/login")
    user = user_named(demo_data, HOLDER)
    assert user.password_hash is None and user.must_change_password
    assert login(demo_data.test_client(), HOLDER, HOLDER).headers["Location"] == "/account/password"
    assert ("password-reset", "ok") in audit_actions(demo_data)


def test_a_region_cannot_see_or_reset_another_province(demo_data):
    region = staff_client(demo_data, "tehran")
    assert "فاطمه حسینی" not in region.post("/admin/holders", data={"q": OTHER_HOLDER}).get_data(as_text=True)
    assert region.post(f"/admin/holders/{holder_id(demo_data, OTHER_HOLDER)}/reset-password").status_code == 404


def test_the_holder_search_keeps_national_codes_out_of_urls(demo_data):
    region = staff_client(demo_data, "tehran")
    page = page_of(region.get("/admin/holders"))
    assert page.select_one("form.search")["method"] == "post"
    assert "مریم احمدی" not in region.get("/admin/holders", query_string={"q": HOLDER}).get_data(as_text=True)
    response = region.post(f"/admin/holders/{holder_id(demo_data, HOLDER)}/reset-password")
    assert response.headers["Location"] == "/admin/holders"


def test_an_admin_resets_any_province(demo_data):
    admin = staff_client(demo_data, "admin")
    assert admin.post(f"/admin/holders/{holder_id(demo_data, OTHER_HOLDER)}/reset-password").status_code == 302


# --- timing --------------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["national_code", "activation_code"])
def test_every_sign_in_path_runs_one_password_hash(demo_data, monkeypatch, mode):
    """Unknown user, initial credential (right and wrong) and a set password all cost one hash, so the
    time taken tells them apart no more than the answer does (ASVS 2.2.1)."""
    from wizard.auth import credentials

    demo_data.config["INITIAL_CREDENTIAL"] = mode
    with demo_data.app_context():
        with_password = user_named(demo_data, OTHER_HOLDER)
        with_password.password_hash = password_hash("a sturdy passphrase")
        db.session.merge(with_password)
        db.session.commit()
    hashes = []
    real = credentials.check_password_hash
    monkeypatch.setattr(credentials, "check_password_hash", lambda *args: hashes.append(1) or real(*args))
    for username, secret in [("nobody", "x"), (HOLDER, HOLDER), (HOLDER, "wrong"), (OTHER_HOLDER, "wrong"),
                             (OTHER_HOLDER, "a sturdy passphrase")]:
        hashes.clear()
        login(demo_data.test_client(), username, secret)
        assert len(hashes) == 1, (username, secret)


@pytest.mark.parametrize("username", ["fa\x00", "\x00", HOLDER + "\x00", "a\x7fb\x85"])
def test_control_characters_in_the_username_are_a_wrong_sign_in(demo_data, username):
    """PostgreSQL refuses a NUL in a query: the typed username loses its control characters first."""
    assert login(demo_data.test_client(), username, "wrong").status_code == 200
    region = staff_client(demo_data, "tehran")
    assert region.post("/admin/holders", data={"q": username}).status_code == 200
