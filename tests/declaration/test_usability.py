"""What a new holder meets around the steps: where sign-in lands, the step count, a kept save after an expired
session, the printed receipt and the correction list (issue 20, items 11 and 12)."""

from datetime import timedelta

import pytest

from tests.conftest import HOLDER
from tests.conftest import login
from tests.declaration.test_declaration import NOW
from tests.declaration.test_declaration import PREMISES
from tests.declaration.test_declaration import fill_all
from tests.declaration.test_declaration import page
from tests.declaration.test_declaration import review_version
from tests.declaration.test_declaration import url
from tests.declaration.test_declaration import version_of

pytestmark = pytest.mark.usefixtures("in_the_window")


def visible(shown) -> str:
    return " ".join(shown.get_text().split())


def test_signing_in_lands_a_holder_on_the_declaration(demo_data, holder_client):
    response = login(demo_data.test_client(), HOLDER, "a sturdy passphrase")
    assert response.headers["Location"] == "/declaration/"


@pytest.mark.parametrize(("slug", "number"), [("license", "۱"), ("address", "۲"), ("premises", "۳"),
                                              ("staff", "۴"), ("hours", "۵"), ("review", "۶")])
def test_every_step_says_which_of_six_it_is(holder_client, office, slug, number):
    shown = page(holder_client.get(url(office, slug)))
    assert shown.select_one(".step-count").get_text() == f"گام {number} از ۶"


def test_after_an_expired_session_the_sign_in_page_says_the_input_is_kept(holder_client, office, frozen_clock):
    version = version_of(holder_client, office, "premises")
    frozen_clock(NOW + timedelta(minutes=31))
    response = holder_client.post(url(office, "premises"), data={**PREMISES, "version": version})
    shown = page(holder_client.get(response.headers["Location"]))
    assert shown.select_one("form input[name=password]") is not None  # the sign-in page
    assert "آن را نگه داشته‌ایم: دوباره وارد شوید تا نشانتان دهیم" in visible(shown)


def test_a_page_with_errors_has_a_focusable_summary_and_the_script_that_focuses_it(holder_client, office):
    response = holder_client.post(url(office, "premises"), data={**PREMISES, "counters": "",
                                                                 "version": version_of(holder_client, office,
                                                                                       "premises")})
    shown = page(holder_client.get(response.headers["Location"]))
    assert shown.select_one(".error-summary")["tabindex"] == "-1"
    assert shown.select_one('script[src$="/js/errors.js"]') is not None


@pytest.fixture
def receipt(holder_client, demo_data, office):
    fill_all(holder_client, demo_data, office)
    response = holder_client.post(url(office, "submit"), data={"declare": "y",
                                                               "version": review_version(holder_client, office)})
    return page(holder_client.get(response.headers["Location"]))


def test_the_printed_receipt_names_the_authority_system_office_and_holder(receipt):
    text = visible(receipt.select_one("main"))
    for expected in ("سازمان تنظیم مقررات و ارتباطات رادیویی", "سامانهٔ خوداظهاری دفاتر پیشخوان خدمات دولت",
                     "مریم احمدی", "کد دفتر"):
        assert expected in text
    assert [c.get_text() for c in receipt.select("bdi.code")][:2] == ["TEH21059", "P-1038"]


def test_printing_without_javascript_is_explained(receipt):
    button = receipt.select_one("[data-print]")
    assert button.has_attr("hidden")  # the script shows it; without it, nothing on the page does nothing
    assert "از فرمان چاپ مرورگر استفاده کنید" in receipt.select_one(".print-hint").get_text()


def test_the_correction_list_names_the_field(holder_client, office):
    holder_client.post(url(office, "correction"), data={"field": "holder_name", "requested_value": "مریم احمدی‌نژاد",
                                                        "reason": "در شناسنامه چنین است"})
    item = page(holder_client.get(url(office, "correction"))).select_one(".corrections li")
    assert visible(item).startswith("دارندهٔ پروانه: از مریم احمدی به مریم احمدی‌نژاد")
