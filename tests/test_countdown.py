"""The deadline countdown (SPEC §3) and the session-timeout warning's markup and keep-alive (issue 5, items 3-4)."""

from datetime import datetime
from datetime import timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from tests.conftest import HOLDER
from tests.conftest import login
from tests.conftest import staff_client
from tests.conftest import password_hash
from wizard.extensions import db
from wizard.models import Round
from wizard.models import User
from wizard.rules.countdown import epoch_ms
from wizard.rules.deadline import TEHRAN

OPENS = datetime(2020, 9, 22, 0, 0, tzinfo=TEHRAN)  # 1399/07/01
DEADLINE = datetime(2020, 10, 11, 23, 59, 59, tzinfo=TEHRAN)  # 1399/07/20, the demo round opened on OPENS
DAY_ONE_NOON = datetime(2020, 9, 22, 12, 0, tzinfo=TEHRAN)
TITLE = "مرحله دوم — نیمسال دوم ۱۳۹۹"
PASSPHRASE = "a sturdy passphrase"


def parse(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def text(element) -> str:
    return " ".join(element.get_text().split())


def card_of(page: BeautifulSoup):
    cards = page.select("[data-countdown]")
    assert len(cards) == 1, "the countdown shows exactly once"
    return cards[0]


def tone_of(card) -> str:
    tones = [c for c in card["class"] if c.startswith("tone-")]
    assert len(tones) == 1
    return tones[0].removeprefix("tone-")


@pytest.fixture
def round_1399(app):
    with app.app_context():
        db.session.add(Round(title=TITLE, jalali_year=1399, half=2, status="open", opens_at=OPENS, deadline=DEADLINE))
        db.session.commit()


@pytest.fixture
def on_day_one(frozen_clock):
    """The server clock at noon of the window's first day, before the demo data (and its round) is made."""
    return frozen_clock(DAY_ONE_NOON)


# --- the component on the home page -------------------------------------------------------------

@pytest.mark.parametrize(("before_deadline", "expected", "tone"), [
    (timedelta(days=19, hours=23, minutes=59, seconds=59), "زمان باقی‌مانده: ۱۹ روز، ۲۳ ساعت و ۵۹ دقیقه", "calm"),
    (timedelta(days=3), "زمان باقی‌مانده: ۳ روز، ۰ ساعت و ۰ دقیقه", "soon"),
    (timedelta(days=2, hours=23, minutes=59, seconds=59), "زمان باقی‌مانده: ۲ روز، ۲۳ ساعت و ۵۹ دقیقه", "soon"),
    (timedelta(hours=23), "زمان باقی‌مانده: ۰ روز، ۲۳ ساعت و ۰ دقیقه", "urgent"),
    (timedelta(seconds=59), "زمان باقی‌مانده: ۰ روز، ۰ ساعت و ۰ دقیقه", "urgent"),
    (timedelta(0), "زمان باقی‌مانده: ۰ روز، ۰ ساعت و ۰ دقیقه", "urgent"),  # the deadline second is still open
    (-timedelta(seconds=1), "مهلت ثبت اطلاعات به پایان رسیده است.", "closed"),
])
def test_countdown_text_tone_and_deadline(client, round_1399, frozen_clock, before_deadline, expected, tone):
    now = frozen_clock(DEADLINE - before_deadline)
    card = card_of(parse(client.get("/")))
    assert text(card.select_one("h2")) == TITLE
    moment = "بسته شد" if tone == "closed" else "مهلت"  # once closed, the moment it closed
    assert f"{moment}: ۲۰ مهر ۱۳۹۹، ساعت ۲۳:۵۹ به وقت تهران" in text(card)
    assert text(card.select_one(".countdown")) == expected
    assert tone_of(card) == tone
    assert card["data-phase"] == ("closed" if tone == "closed" else "open")
    assert int(card["data-deadline-ms"]) == epoch_ms(DEADLINE) == 1602448199000
    assert int(card["data-server-now-ms"]) == epoch_ms(now)


def test_the_live_text_is_polite_and_atomic_with_its_numbers_marked_for_the_script(client, round_1399, frozen_clock):
    frozen_clock(DEADLINE - timedelta(days=1, hours=2, minutes=3))
    card = card_of(parse(client.get("/")))
    live = card.select_one("[data-countdown-text]")
    assert live["aria-live"] == "polite" and live["aria-atomic"] == "true" and live["role"] == "timer"
    assert [span.get_text() for span in live.select("[data-unit]")] == ["۱", "۲", "۳"]
    assert [span["data-unit"] for span in live.select("[data-unit]")] == ["days", "hours", "minutes"]
    assert card["data-closed-text"] == "مهلت ثبت اطلاعات به پایان رسیده است."
    assert card["data-closed-notice"].startswith("مهلت ثبت اطلاعات به پایان رسیده است و این فرم دیگر فرستاده نمی‌شود")


def test_the_round_title_is_text_never_markup(app, client, round_1399, frozen_clock):
    frozen_clock(DEADLINE - timedelta(days=5))
    with app.app_context():
        db.session.execute(sa.update(Round).values(title='دور <b>"۲"</b> & <script>x()</script>'))
        db.session.commit()
    response = client.get("/")
    card = card_of(parse(response))
    assert text(card.select_one("h2")) == 'دور <b>"۲"</b> & <script>x()</script>'
    assert not card.select("script, b") and b"<script>x()" not in response.data


def test_a_round_closed_by_an_admin_before_its_deadline_says_closed(app, client, round_1399, frozen_clock):
    frozen_clock(DEADLINE - timedelta(days=5))
    with app.app_context():
        db.session.execute(sa.update(Round).values(status="closed"))
        db.session.commit()
    card = card_of(parse(client.get("/")))
    assert tone_of(card) == "closed" and card["data-phase"] == "closed"
    assert text(card.select_one(".countdown")) == "مهلت ثبت اطلاعات به پایان رسیده است."


def test_an_upcoming_round_says_when_it_opens(client, round_1399, frozen_clock):
    frozen_clock(OPENS - timedelta(hours=1))
    card = card_of(parse(client.get("/")))
    assert card["data-phase"] == "upcoming"
    assert "۱ مهر ۱۳۹۹، ساعت ۰۰:۰۰ باز می‌شود" in text(card.select_one(".countdown"))


def test_english_pages_use_latin_digits(client, round_1399, frozen_clock):
    frozen_clock(DEADLINE - timedelta(days=3))
    client.post("/language", data={"lang": "en", "next": "/"})
    card = card_of(parse(client.get("/")))
    assert "Deadline: 20 Mehr 1399, 23:59 Tehran time" in text(card)
    assert text(card.select_one(".countdown")) == "Time left: 3 days, 0 hours and 0 minutes"
    assert card["data-closed-text"] == "The declaration window has closed."


def test_no_round_no_countdown(client):
    page = parse(client.get("/"))
    assert page.select("[data-countdown]") == [] and page.select('script[src*="countdown.js"]') == []
    assert "هیچ دورهٔ ارزیابی بازی نیست" in text(page.select_one("main"))


# --- on holder pages, not on others -------------------------------------------------------------

def test_every_holder_page_shows_the_countdown_at_the_top_of_main(on_day_one, holder_client):
    page = parse(holder_client.get("/account/password"))
    card = card_of(page)
    assert page.select_one("main").find(True) is card, "first thing in <main>"
    assert card.select("h2") == [] and text(card.select_one(".countdown-title")) == "دورهٔ ارزیابی نیمسال دوم ۱۳۹۹"
    assert "۲۰ مهر ۱۳۹۹، ساعت ۲۳:۵۹" in text(card) and "به وقت تهران" in text(card)
    assert text(card.select_one(".countdown")) == "زمان باقی‌مانده: ۱۹ روز، ۱۱ ساعت و ۵۹ دقیقه"
    assert tone_of(card) == "calm"
    assert page.select_one('script[src="/static/js/countdown.js"]').has_attr("defer")


def test_the_home_page_shows_it_once_inside_its_own_layout_for_a_holder(on_day_one, holder_client):
    page = parse(holder_client.get("/"))
    assert card_of(page).select_one("h2") is not None


def test_a_holder_on_the_forced_password_change_sees_it_too(on_day_one, demo_data):
    client = demo_data.test_client()
    login(client, HOLDER, HOLDER)
    assert tone_of(card_of(parse(client.get("/account/password")))) == "calm"


def test_staff_and_signed_out_pages_have_no_countdown(on_day_one, demo_data):
    admin = staff_client(demo_data, "admin")
    for client, url in ((admin, "/admin/holders"), (admin, "/account/password"), (demo_data.test_client(), "/login")):
        page = parse(client.get(url))
        assert page.select("[data-countdown]") == [], url
        assert page.select('script[src*="countdown.js"]') == [], url


def test_one_round_query_per_request(on_day_one, holder_client, demo_data):
    statements = []

    def count(conn, cursor, statement, *args):
        if "FROM rounds" in statement:
            statements.append(statement)

    with demo_data.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        holder_client.get("/account/password")
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1


def test_pages_carry_no_inline_script_or_style(on_day_one, holder_client):
    for url in ("/", "/account/password"):
        page = parse(holder_client.get(url))
        assert all(script.has_attr("src") for script in page.select("script")), url
        assert page.select("[style]") == [] and page.select("style") == [], url


# --- the session-timeout warning's markup ---------------------------------------------------------

def test_signed_in_pages_carry_the_warning_dialog(on_day_one, holder_client):
    page = parse(holder_client.get("/account/password"))
    body = page.body
    assert body["data-idle-seconds"] == "1800" and body["data-keepalive-url"] == "/account/keep-alive"
    assert page.select_one('script[src="/static/js/session.js"]').has_attr("defer")
    token = page.select_one('meta[name="csrf-token"]')["content"]
    assert token
    dialog = page.select_one("dialog#session-dialog")
    assert dialog["aria-labelledby"] == "session-dialog-title"
    warning, expired = dialog.select("[data-session-warning]"), dialog.select("[data-session-expired]")
    assert [text(e) for e in warning][0] == "نشست شما به‌زودی به پایان می‌رسد"
    assert "۲:۰۰" in text(dialog.select_one("p[data-session-warning] [data-session-left]"))
    assert [text(e) for e in expired][0] == "نشست شما به پایان رسید"
    assert all(e.has_attr("hidden") for e in expired) and not any(e.has_attr("hidden") for e in warning)
    buttons = dialog.select("button")
    assert text(buttons[0]) == "ادامه می‌دهم" and buttons[0].has_attr("autofocus")
    assert text(buttons[1]) == "خروج" and buttons[1]["type"] == "submit"
    sign_out = page.select_one(f'form#{buttons[1]["form"]}')
    assert sign_out["action"] == "/logout" and sign_out.select_one("input[name=csrf_token]")


def test_no_warning_when_signed_out_or_on_a_pending_setup_step(on_day_one, demo_data):
    client = demo_data.test_client()
    signed_out = parse(client.get("/login"))
    login(client, HOLDER, HOLDER)
    pending = parse(client.get("/account/password"))  # signed in, but held on the forced password change
    for page in (signed_out, pending):
        assert page.select("dialog") == [] and not page.body.has_attr("data-idle-seconds")
        assert page.select('script[src*="session.js"]') == []


# --- the keep-alive --------------------------------------------------------------------------------

def test_keep_alive_answers_a_fresh_token_as_json(on_day_one, holder_client):
    response = holder_client.post("/account/keep-alive")
    assert response.status_code == 200 and response.is_json
    assert set(response.json) == {"csrf_token"} and response.json["csrf_token"]
    assert response.headers["Cache-Control"] == "no-store"


def test_keep_alive_is_post_only_and_not_for_anonymous_users(client):
    assert client.get("/account/keep-alive").status_code == 405
    response = client.post("/account/keep-alive")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_keep_alive_is_not_reachable_on_a_pending_setup_step(on_day_one, demo_data):
    client = demo_data.test_client()
    login(client, HOLDER, HOLDER)
    response = client.post("/account/keep-alive")
    assert response.status_code == 302 and response.headers["Location"] == "/account/password"


@pytest.mark.parametrize(("keep_alive", "alive"), [(True, True), (False, False)])
def test_keep_alive_extends_the_idle_timeout(on_day_one, holder_client, frozen_clock, keep_alive, alive):
    # Signed in at noon; at 12:29 the warning's button is pressed (or not); at 12:58 the holder comes back.
    frozen_clock(DAY_ONE_NOON + timedelta(minutes=29))
    if keep_alive:
        assert holder_client.post("/account/keep-alive").status_code == 200
    frozen_clock(DAY_ONE_NOON + timedelta(minutes=58))
    assert (holder_client.get("/account/password").status_code == 200) is alive



def test_the_idle_clock_is_stamped_once_a_minute_and_pages_say_how_long_it_has(on_day_one, holder_client,
                                                                               frozen_clock):
    # Signed in at noon: pages within the minute leave the cookie alone and count down from the noon stamp.
    holder_client.get("/account/password")  # the first page puts the CSRF token in the session
    for seconds, left in ((0, 1799), (59, 1740)):  # whole seconds left, never more than the server gives
        frozen_clock(DAY_ONE_NOON + timedelta(seconds=seconds, milliseconds=300))
        response = holder_client.get("/account/password")
        assert not response.headers.getlist("Set-Cookie")
        assert parse(response).body["data-idle-left"] == str(left)
    frozen_clock(DAY_ONE_NOON + timedelta(seconds=60))
    response = holder_client.get("/account/password")
    assert response.headers.getlist("Set-Cookie")  # stamped again: the full timeout from now
    assert parse(response).body["data-idle-left"] == "1800"


@pytest.mark.parametrize(("after_the_promise", "alive"), [(0, True), (1, False)])
def test_the_server_ends_the_session_when_the_page_said(on_day_one, holder_client, frozen_clock, after_the_promise,
                                                        alive):
    frozen_clock(DAY_ONE_NOON + timedelta(seconds=59))
    left = int(parse(holder_client.get("/account/password")).body["data-idle-left"])
    frozen_clock(DAY_ONE_NOON + timedelta(seconds=59 + left + after_the_promise))
    assert (holder_client.get("/account/password").status_code == 200) is alive


def test_keep_alive_stamps_the_idle_clock_at_once(on_day_one, holder_client, frozen_clock):
    frozen_clock(DAY_ONE_NOON + timedelta(seconds=30))
    response = holder_client.post("/account/keep-alive")
    assert response.headers.getlist("Set-Cookie")
    frozen_clock(DAY_ONE_NOON + timedelta(seconds=30 + 1800))
    assert holder_client.get("/account/password").status_code == 200

def test_a_keep_alive_after_the_timeout_fails_without_json(on_day_one, holder_client, frozen_clock):
    frozen_clock(DAY_ONE_NOON + timedelta(minutes=31))
    response = holder_client.post("/account/keep-alive")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert not response.is_json


@pytest.fixture
def csrf_holder(csrf_app):
    """A signed-in holder on the app with CSRF protection on, as in production."""
    assert csrf_app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    with csrf_app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == HOLDER))
        user.password_hash, user.must_change_password = password_hash(PASSPHRASE), False
        db.session.commit()
    client = csrf_app.test_client()
    token = parse(client.get("/login")).select_one("input[name=csrf_token]")["value"]
    assert login(client, HOLDER, PASSPHRASE, csrf_token=token).status_code == 302
    return client


def test_keep_alive_needs_the_csrf_header(on_day_one, csrf_holder):
    assert csrf_holder.post("/account/keep-alive").status_code == 400
    assert csrf_holder.post("/account/keep-alive", headers={"X-CSRFToken": "forged"}).status_code == 400
    token = parse(csrf_holder.get("/account/password")).select_one('meta[name="csrf-token"]')["content"]
    fresh = csrf_holder.post("/account/keep-alive", headers={"X-CSRFToken": token}).json["csrf_token"]
    # The fresh token works for the page's forms, e.g. the language switch.
    response = csrf_holder.post("/language", data={"lang": "en", "next": "/", "csrf_token": fresh})
    assert response.status_code == 302
