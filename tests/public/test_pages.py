"""The pages of the foundation: home with the round's countdown, language switch, error pages."""

from datetime import datetime
from datetime import timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from tests.auth.test_redirects import OFF_SITE
from wizard.access import public
from wizard.extensions import db
from wizard.models import AuditEvent
from wizard.models import Round
from wizard.rules.deadline import TEHRAN

OPENS = datetime(2020, 9, 22, 0, 0, tzinfo=TEHRAN)  # 1399/07/01
DEADLINE = datetime(2020, 10, 11, 23, 59, 59, tzinfo=TEHRAN)  # 1399/07/20


@pytest.fixture
def open_round(app):
    with app.app_context():
        db.session.add(Round(title="مرحله دوم — نیمسال دوم ۱۳۹۹", jalali_year=1399, half=2, status="open",
                             opens_at=OPENS, deadline=DEADLINE))
        db.session.commit()


def text_of(page: BeautifulSoup, selector: str) -> str:
    return " ".join(page.select_one(selector).get_text().split())


def test_home_is_persian_and_right_to_left(get_page):
    page = get_page("/")
    assert page.html["lang"] == "fa" and page.html["dir"] == "rtl"
    assert text_of(page, "h1") == "ارزیابی و رتبه‌بندی دفاتر پیشخوان خدمات دولت"
    assert "هیچ دورهٔ ارزیابی بازی نیست" in text_of(page, "main")


@pytest.mark.parametrize(("now", "expected"), [
    (datetime(2020, 9, 22, 0, 0, tzinfo=TEHRAN), "۱۹ روز، ۲۳ ساعت و ۵۹ دقیقه"),
    (datetime(2020, 10, 10, 12, 0, tzinfo=TEHRAN), "۱ روز، ۱۱ ساعت و ۵۹ دقیقه"),
    (datetime(2020, 10, 11, 23, 0, tzinfo=TEHRAN), "۰ روز، ۰ ساعت و ۵۹ دقیقه"),
])
def test_home_shows_the_deadline_in_jalali_and_the_time_left_in_persian_digits(
        get_page, open_round, frozen_clock, now, expected):
    frozen_clock(now)
    page = get_page("/")
    card = text_of(page, ".round-card")
    assert "مرحله دوم — نیمسال دوم ۱۳۹۹" in card
    assert "۲۰ مهر ۱۳۹۹، ساعت ۲۳:۵۹" in card and "به وقت تهران" in card
    assert expected in text_of(page, ".countdown")


def test_home_says_the_window_has_closed_after_the_deadline(get_page, open_round, frozen_clock):
    frozen_clock(DEADLINE + timedelta(seconds=1))
    assert "مهلت ثبت اطلاعات به پایان رسیده است" in text_of(get_page("/"), ".countdown")


def test_home_says_when_a_future_window_opens(get_page, open_round, frozen_clock):
    frozen_clock(OPENS - timedelta(hours=1))
    assert "۱ مهر ۱۳۹۹، ساعت ۰۰:۰۰ باز می‌شود" in text_of(get_page("/"), ".countdown")


def test_english_pages_use_latin_digits_and_left_to_right(client, open_round, frozen_clock):
    frozen_clock(datetime(2020, 10, 10, 12, 0, tzinfo=TEHRAN))
    response = client.post("/language", data={"lang": "en", "next": "/"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = BeautifulSoup(client.get("/").data, "html.parser")
    assert page.html["lang"] == "en" and page.html["dir"] == "ltr"
    assert "20 Mehr 1399, 23:59" in text_of(page, ".round-card")
    assert "1 days, 11 hours and 59 minutes" in text_of(page, ".countdown")


@pytest.mark.parametrize("target", OFF_SITE)
def test_language_switch_never_redirects_off_site(client, target):
    response = client.post("/language", data={"lang": "en", "next": target})
    assert response.headers["Location"] == "/"


def test_language_switch_ignores_unknown_languages(client):
    client.post("/language", data={"lang": "de", "next": "/"})
    assert BeautifulSoup(client.get("/").data, "html.parser").html["lang"] == "fa"


def test_language_switch_keeps_the_page_and_its_query(get_page):
    page = get_page("/?x=1")
    assert page.select_one(".language-switch input[name=next]")["value"] == "/?x=1"


def test_unknown_page_is_a_persian_404(get_page):
    page = get_page("/no-such-page", status=404)
    assert text_of(page, "h1") == "صفحه پیدا نشد"
    assert page.html["dir"] == "rtl"


def test_wrong_method_is_a_405_page(client):
    response = client.get("/language")
    assert response.status_code == 405
    assert "این کار در اینجا مجاز نیست" in response.get_data(as_text=True)


def test_a_crash_rolls_back_and_shows_a_persian_500(app, client):
    @app.get("/boom")
    @public
    def boom():
        db.session.add(AuditEvent(action="half-done"))
        db.session.flush()
        raise RuntimeError("boom")

    response = client.get("/boom")
    assert response.status_code == 500
    assert "چیزی از این درخواست ذخیره نشد" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 0


def test_a_post_without_a_csrf_token_is_refused_with_a_persian_page(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/language", data={"lang": "en", "next": "/"})
    assert response.status_code == 400
    assert "منقضی شده بود" in response.get_data(as_text=True)
    assert BeautifulSoup(client.get("/").data, "html.parser").html["lang"] == "fa"


def test_a_post_with_the_page_csrf_token_works(csrf_app):
    client = csrf_app.test_client()
    page = BeautifulSoup(client.get("/").data, "html.parser")
    token = page.select_one(".language-switch input[name=csrf_token]")["value"]
    response = client.post("/language", data={"lang": "en", "next": "/", "csrf_token": token})
    assert response.status_code == 302
    assert BeautifulSoup(client.get("/").data, "html.parser").html["lang"] == "en"


def test_static_font_and_licence_are_served(client):
    for path in ("/static/fonts/Vazirmatn-Regular.woff2", "/static/fonts/Vazirmatn-Bold.woff2",
                 "/static/fonts/OFL.txt", "/static/css/app.css"):
        with client.get(path) as response:
            assert response.status_code == 200


def test_links_follow_the_path_the_app_is_mounted_at(client, open_round):
    def links(prefix):
        page = BeautifulSoup(client.get("/", base_url=f"http://localhost{prefix}").data, "html.parser")
        return page.select_one('link[rel="stylesheet"]')["href"], page.select_one("a.site-name")["href"]

    assert links("/pishkhan") == ("/pishkhan/static/css/app.css", "/pishkhan/")
    assert links("") == ("/static/css/app.css", "/")


def test_pages_load_nothing_from_another_host(get_page, open_round):
    page = get_page("/")
    for tag, attribute in (("link", "href"), ("script", "src"), ("img", "src")):
        for element in page.select(f"{tag}[{attribute}]"):
            assert element[attribute].startswith("/"), element
