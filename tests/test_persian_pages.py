"""Persian first (issue 20, items 5-7): on every Persian page of a holder's whole journey and every staff page,
no Latin digit shows except inside an element marked as a code; English pages show no Persian digit outside
user data."""

import re

import pytest
from bs4 import BeautifulSoup

from tests.conftest import AFTER
from tests.conftest import office_id
from tests.conftest import staff_client
from tests.declaration.test_declaration import fill_all
from tests.declaration.test_declaration import review_version
from tests.declaration.test_declaration import url

pytestmark = pytest.mark.usefixtures("in_the_window")

LATIN_DIGIT = re.compile(r"[0-9]")
PERSIAN_DIGIT = re.compile(r"[۰-۹]")


def visible_text(html: bytes) -> list[str]:
    """Every piece of text a reader sees (text nodes and the values of visible inputs), codes left out."""
    page = BeautifulSoup(html, "html.parser")
    for hidden in page.select("script, style, head, [hidden], .code, code"):
        hidden.decompose()
    texts = [text.strip() for text in page.body.find_all(string=True) if text.strip()]
    texts += [field["value"] for field in page.select("input[value]")
              if field.get("type") not in ("hidden", "submit", "radio", "checkbox", "button")]
    texts += [option.get_text() for option in page.select("option")]
    return texts


def latin_digits(html: bytes) -> list[str]:
    return [text for text in visible_text(html) if LATIN_DIGIT.search(text)]


def assert_persian(client, address: str):
    response = client.get(address)
    assert response.status_code == 200, (address, response.status_code)
    assert latin_digits(response.data) == [], address


@pytest.fixture
def journey(demo_data, holder_client):
    """The holder's office after she filled every step (one step left invalid, so errors show too)."""
    office = office_id(demo_data, "P-1038")
    fill_all(holder_client, demo_data, office)
    return office


def test_a_holders_whole_journey_is_in_persian_digits(demo_data, holder_client, journey, frozen_clock):
    office = journey
    pages = ["/", "/declaration/", url(office), *(url(office, slug) for slug in
                                                  ("license", "address", "premises", "staff", "hours", "review")),
             url(office, "correction"), "/results/", f"/results/{office}"]
    for address in pages:
        assert_persian(holder_client, address)
    response = holder_client.post(url(office, "submit"),
                                  data={"declare": "y", "version": review_version(holder_client, office)})
    assert_persian(holder_client, response.headers["Location"])  # the receipt
    assert_persian(holder_client, url(office))  # the task list with the tracking code
    # A step with errors: messages and what was typed back, in Persian digits.
    response = holder_client.post(url(office, "premises"), data={"floor_area": "2", "version": "1"})
    assert_persian(holder_client, response.headers["Location"])


def test_the_results_and_verification_pages_are_in_persian_digits(demo_data, holder_client, journey, frozen_clock):
    office = journey
    holder_client.post(url(office, "submit"), data={"declare": "y", "version": review_version(holder_client, office)})
    frozen_clock(AFTER)
    runner = demo_data.test_cli_runner()
    assert runner.invoke(args=["results", "compute"]).exit_code == 0
    assert runner.invoke(args=["results", "publish"]).exit_code == 0
    with holder_client.session_transaction() as session:
        session["seen"] = session["started"] = int(AFTER.timestamp())
    assert_persian(holder_client, f"/results/{office}")
    code = BeautifulSoup(holder_client.get(f"/results/{office}").data, "html.parser").select_one(
        ".verification-code").get_text()
    assert_persian(demo_data.test_client(), f"/verify/{code}")


def staff_pages(app, office: int) -> list[str]:
    """Every GET page of the staff console, its ids taken from the demo data."""
    filled = {"office_id": office, "round_id": 1, "correction_id": 1, "action": "extend"}
    pages = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin") or "GET" not in rule.methods:
            continue
        if rule.rule.endswith((".csv", ".xlsx")) or "<token>" in rule.rule:
            continue  # files, and an import preview that needs an upload first
        address = rule.rule
        for name, value in filled.items():
            address = re.sub(rf"<(?:[a-z]+:)?{name}>", str(value), address)
        if "<" not in address:
            pages.append(address)
    return sorted(pages)


def test_every_staff_page_is_in_persian_digits(demo_data, holder_client, journey):
    holder_client.post(url(journey, "correction"), data={"field": "license_number", "requested_value": "P-1093",
                                                         "reason": "شماره در پروانه ۱۰۹۳ است"})
    admin = staff_client(demo_data, "admin")
    pages = staff_pages(demo_data, journey)
    assert len(pages) >= 10
    for address in pages:
        assert_persian(admin, address)
    tehran = staff_client(demo_data, "tehran")
    for address in ("/admin/", "/admin/corrections", f"/admin/offices/{journey}"):  # a region's pages too
        assert_persian(tehran, address)
    assert_persian(admin, "/admin/audit")  # after all those staff acts


def test_english_pages_show_no_persian_digit(demo_data, holder_client, journey):
    holder_client.post("/language", data={"lang": "en", "next": "/"})
    for address in (url(journey, "license"), url(journey, "review"), url(journey)):
        response = holder_client.get(address)
        page = BeautifulSoup(response.data, "html.parser")
        for data in page.select("bdi:not(.code)"):
            data.decompose()  # user data (a Persian round title or area name) keeps its own script
        assert not [t for t in visible_text(str(page).encode()) if PERSIAN_DIGIT.search(t)], address
