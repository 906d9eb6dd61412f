"""What the wizard accepts and refuses, read off the step pages (issue 20, items 8, 9 and 10).

Every case posts a step through the test client and reads the step page back: the messages shown under
each field, the step's state, and (for what is stored) the submitted snapshot."""

import json
from datetime import datetime

import pytest
import sqlalchemy as sa

from tests.conftest import HOLDER
from tests.conftest import login
from tests.declaration.test_declaration import HOURS
from tests.declaration.test_declaration import LICENSE
from tests.declaration.test_declaration import PREMISES
from tests.declaration.test_declaration import STAFF
from tests.declaration.test_declaration import draft
from tests.declaration.test_declaration import page
from tests.declaration.test_declaration import review_version
from tests.declaration.test_declaration import save
from tests.declaration.test_declaration import steps
from tests.declaration.test_declaration import url
from wizard.extensions import db
from wizard.models import Submission
from wizard.rules.deadline import TEHRAN
from wizard.rules.text import to_persian_digits

pytestmark = pytest.mark.usefixtures("in_the_window")  # 1405/09/07 in Tehran: the demo round is open

RLM, LRM, ALM, ZWNJ, ZWJ, ZWSP, BOM, NBSP = "\u200f", "\u200e", "\u061c", "\u200c", "\u200d", "\u200b", "\ufeff", "\u00a0"
NNBSP, THIN = "\u202f", "\u2009"  # narrow no-break space, thin space
WHOLE_NUMBER = "عدد صحیح"  # every "needs a whole number" message says this


def shown_after(client, office, slug, data):
    """Post the step, then read its page back (it shows the step's saved input and its errors)."""
    response = save(client, office, slug, data)
    assert response.status_code == 303
    return page(client.get(url(office, slug)))


def errors_of(shown, name) -> list[str]:
    """The messages shown with the control called `name` (for a date, any of its three boxes)."""
    control = shown.select_one(f"[name='{name}']")
    assert control is not None, name
    box = control.find_parent("div", class_="field")
    return [" ".join(p.get_text().split()) for p in box.select(".error-message")]


def all_errors(shown) -> list[str]:
    return [" ".join(a.get_text().split()) for a in shown.select(".error-summary a")]


def state(app, office, slug) -> str:
    return draft(app, office).data[slug]["state"]


def submitted(client, app, office, changes: dict) -> dict:
    """Fill every step (with these changes per step), submit, and return the snapshot's answers."""
    for slug, data in steps(app).items():
        response = save(client, office, slug, {**data, **changes.get(slug, {})})
        assert response.status_code == 303 and response.headers["Location"] != url(office, slug), (
            slug, all_errors(page(client.get(url(office, slug)))))
    response = client.post(url(office, "submit"), data={"declare": "y", "version": review_version(client, office)})
    assert response.status_code == 303 and "receipt" in response.headers["Location"]
    with app.app_context():
        return json.loads(db.session.scalar(sa.select(Submission.snapshot)))["steps"]


# --- item 8: times ----------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", [
    "8:00", "۸:۰۰", "٨:٠٠", "08:00", "۰۸:۰۰", "8.00", "۸٫۰۰", "8\uff1a00", "۸:۰۰ ", f"{RLM}۸:۰۰{LRM}",
    f"{NBSP}8:00{NBSP}", f"{BOM}8{ZWNJ}:00", "\u20668:00\u2069", "0۸:٠0",
])
def test_an_opening_time_typed_any_way_is_accepted(holder_client, demo_data, office, typed):
    shown = shown_after(holder_client, office, "hours", {**HOURS, "opens_at": typed})
    assert all_errors(shown) == []
    assert state(demo_data, office, "hours") == "complete"


def test_times_are_stored_as_hh_mm(holder_client, demo_data, office):
    answers = submitted(holder_client, demo_data, office, {"hours": {"opens_at": "۷.۰۵", "closes_at": f"{RLM}۱۶:۳۰"}})
    assert (answers["hours"]["opens_at"], answers["hours"]["closes_at"]) == ("07:05", "16:30")


@pytest.mark.parametrize("typed", [
    "24:00", "۲۴:۰۰", "25:30", "8:60", "۸:۷۵", "8", "۸", "800", "0800", "8:5", "8:00:00", "-8:00", "8:00 صبح",
    "هشت", "8,00", "8::00", "8:0 0", "99:99",
])
def test_a_time_that_is_not_one_has_one_message_and_no_comparison(holder_client, office, typed):
    shown = shown_after(holder_client, office, "hours", {**HOURS, "opens_at": typed})
    assert len(errors_of(shown, "opens_at")) == 1, errors_of(shown, "opens_at")
    assert errors_of(shown, "closes_at") == []
    # What was typed is shown back, in the page's digits (every script reads the same).
    assert shown.select_one("input[name=opens_at]")["value"] == to_persian_digits(typed.strip())
    assert len(all_errors(shown)) == 1


@pytest.mark.parametrize("typed", ["24:00", "8", "16:60", "ساعت چهار"])
def test_an_invalid_closing_time_gets_only_its_own_message(holder_client, office, typed):
    shown = shown_after(holder_client, office, "hours", {**HOURS, "opens_at": "8:00", "closes_at": typed})
    assert len(errors_of(shown, "closes_at")) == 1
    assert errors_of(shown, "opens_at") == []


def test_an_hour_or_minute_out_of_range_is_told_so(holder_client, office):
    shown = shown_after(holder_client, office, "hours", {**HOURS, "opens_at": "24:00"})
    [message] = errors_of(shown, "opens_at")
    assert "۲۳" in message and "۵۹" in message


@pytest.mark.parametrize(("opens", "closes"), [("16:00", "8:00"), ("۸:۰۰", "08:00"), ("9.30", "۹:۳۰")])
def test_closing_at_or_before_opening_gets_one_message_on_the_closing_time(holder_client, office, opens, closes):
    shown = shown_after(holder_client, office, "hours", {**HOURS, "opens_at": opens, "closes_at": closes})
    assert errors_of(shown, "closes_at") == ["ساعت پایان کار باید پس از ساعت شروع باشد."]
    assert errors_of(shown, "opens_at") == []


def test_a_single_digit_hour_compares_as_a_time_not_as_text(holder_client, demo_data, office):
    shown = shown_after(holder_client, office, "hours", {**HOURS, "opens_at": "8:00", "closes_at": "16:00"})
    assert all_errors(shown) == [] and state(demo_data, office, "hours") == "complete"


# --- item 9: numbers as people paste them -----------------------------------------------------------

PASTED = [
    ("address", "postal_code", f"{RLM}۱۴۳۵۶۷۸۹۰۱{LRM}"),
    ("address", "postal_code", "1435678901 "),
    ("address", "postal_code", f"۱۴۳۵۶{ZWNJ}۷۸۹۰۱"),
    ("address", "postal_code", f"{BOM}14356{NBSP}78901"),
    ("address", "postal_code", "\u202a۱۴۳۵۶-۷۸۹۰۱\u202c"),
    ("address", "postal_code", "\u2066١٤٣٥٦٧٨٩٠١\u2069"),
    ("address", "postal_code", f"14356{ZWSP}78901{ALM}"),
    ("license", "office_phone", f"{RLM}۰۲۱-۸۸۷۷۶۶۵۵{RLM}"),
    ("license", "office_phone", f"021{NNBSP}8877{THIN}6655{ZWJ}"),
    ("license", "office_phone", f"{LRM}+98 21 8877 6655{LRM}"),
    ("license", "mobile", f"{LRM}0912{NBSP}123{NBSP}4567{LRM}"),
    ("license", "mobile", f"۰۹۱۲{ZWNJ}۱۲۳۴۵۶۷ "),
    ("license", "activity_start-year", f"{RLM}۱۳۹۵{LRM}"),
    ("license", "activity_start-day", f"۱{ZWNJ}"),
    ("premises", "counters", f"{RLM}۴{RLM}"),
    ("premises", "floor_area", "۸۰ "),
    ("premises", "waiting_seats", f"{ZWNJ}12{NBSP}"),
    ("premises", "bandwidth_mbps", f"{BOM}٥٠"),
    ("staff", "staff-0-insurance_number", f"{RLM}۱۲۳۴۵۶۷{LRM}"),
    ("staff", "staff-0-insurance_number", f"۱۲۳ ۴۵۶۷{ZWNJ}"),
    ("staff", "staff-0-national_code", f"{RLM}۰۰۱۲۳۴۵۶۷۹ "),
    ("staff", "staff-1-start_date-year", f"۱۴۰۳{RLM}"),
    ("hours", "working_days", f"{RLM}۶"),
    ("hours", "monthly_transactions", "۲٬۵۰۰"),
    ("hours", "monthly_transactions", "2,500"),
    ("hours", "monthly_transactions", f"{RLM}۲٬۵۰۰{RLM}"),
    ("hours", "monthly_transactions", "۱٬۰۰۰٬۰۰۰"),
    ("hours", "monthly_transactions", f"2{NBSP}500"),
    ("hours", "monthly_transactions", f"2{NNBSP}500"),
    ("hours", "services_offered", "1,200"),
    ("hours", "services_offered", "١٬٢٠٠"),
]


@pytest.mark.parametrize(("slug", "name", "typed"), PASTED)
def test_pasted_numbers_with_invisible_marks_and_separators_are_accepted(holder_client, demo_data, office, slug,
                                                                        name, typed):
    shown = shown_after(holder_client, office, slug, {**steps(demo_data)[slug], name: typed})
    assert all_errors(shown) == []
    assert state(demo_data, office, slug) == "complete"


def test_pasted_numbers_are_stored_clean(holder_client, demo_data, office):
    answers = submitted(holder_client, demo_data, office, {
        "address": {"postal_code": f"{RLM}۱۴۳۵۶{NBSP}۷۸۹۰۱ "},
        "license": {"mobile": f"{LRM}۰۹۱۲ ۱۲۳ ۴۵۶۷{LRM}", "office_phone": f"{RLM}۰۲۱{ZWNJ}۸۸۷۷۶۶۵۵"},
        "hours": {"monthly_transactions": "۲٬۵۰۰", "services_offered": "1,200"},
        "staff": {"staff-0-insurance_number": f"{RLM}۱۲۳۴۵۶۷{LRM}", "staff-0-national_code": f"۰۰۱۲۳۴۵۶۷۹{RLM}"},
    })
    assert answers["address"]["postal_code"] == "1435678901"
    assert (answers["license"]["mobile"], answers["license"]["office_phone"]) == ("09121234567", "02188776655")
    assert (answers["hours"]["monthly_transactions"], answers["hours"]["services_offered"]) == (2500, 1200)
    assert answers["staff"]["staff"][0]["insurance_number"] == "1234567"
    assert answers["staff"]["staff"][0]["national_code"] == "0012345679"


@pytest.mark.parametrize(("name", "typed"), [
    ("counters", "1.5"), ("counters", "۱٫۵"), ("counters", "١٫٥"), ("counters", "2.0"), ("counters", "۲/۵"),
    ("floor_area", "80.5"), ("waiting_seats", "12.75"), ("computers", ".5"),
])
def test_a_decimal_in_a_whole_number_field_gets_one_message_asking_for_a_whole_number(holder_client, office,
                                                                                       name, typed):
    shown = shown_after(holder_client, office, "premises", {**PREMISES, name: typed})
    [message] = errors_of(shown, name)
    assert WHOLE_NUMBER in message
    assert shown.select_one(f"input[name={name}]")["value"] == to_persian_digits(typed)


@pytest.mark.parametrize("typed", ["2,50", "25,00", "1,2345", "۱٬۲", ",250", "250,", "2,,500", "2, 500",
                                   "۲،۵۰۰", "twelve", "12a", "--3"])
def test_a_number_that_is_not_one_gets_exactly_one_message(holder_client, office, typed):
    shown = shown_after(holder_client, office, "hours", {**HOURS, "monthly_transactions": typed})
    assert len(errors_of(shown, "monthly_transactions")) == 1, errors_of(shown, "monthly_transactions")
    assert len(all_errors(shown)) == 1


def test_a_number_out_of_range_gets_the_range_message_only(holder_client, office):
    shown = shown_after(holder_client, office, "hours", {**HOURS, "monthly_transactions": "۱٬۰۰۰٬۰۰۱"})
    assert errors_of(shown, "monthly_transactions") == ["عددی از ۰ تا ۱۰۰۰۰۰۰ وارد کنید."]


def test_a_date_part_that_is_a_decimal_gets_one_message(holder_client, office):
    shown = shown_after(holder_client, office, "license", {**LICENSE, "activity_start-day": "1.5"})
    assert len(errors_of(shown, "activity_start-day")) == 1


# --- dependent checks never pile onto an invalid field ----------------------------------------------

def test_an_invalid_insurance_number_of_an_insured_person_gets_one_message(holder_client, office):
    shown = shown_after(holder_client, office, "staff", {**STAFF, "staff-0-insurance_number": "12"})
    assert len(errors_of(shown, "staff-0-insurance_number")) == 1


def test_an_insured_answer_that_is_not_a_choice_asks_nothing_of_the_insurance_number(holder_client, office):
    shown = shown_after(holder_client, office, "staff", {**STAFF, "staff-1-insured": "perhaps"})
    assert errors_of(shown, "staff-1-insurance_number") == []
    assert len(errors_of(shown, "staff-1-insured")) == 1


def test_the_same_invalid_national_code_twice_is_only_called_invalid(holder_client, office):
    shown = shown_after(holder_client, office, "staff", {**STAFF, "staff-0-national_code": "1234567890",
                                                         "staff-1-national_code": "1234567890"})
    assert errors_of(shown, "staff-0-national_code") == ["کد ملی معتبر نیست."]
    assert errors_of(shown, "staff-1-national_code") == ["کد ملی معتبر نیست."]


def test_the_same_national_code_typed_two_ways_is_a_repeat(holder_client, office):
    shown = shown_after(holder_client, office, "staff", {**STAFF, "staff-1-national_code": f"{RLM}۰۰۱۲۳۴۵۶۷۹"})
    assert errors_of(shown, "staff-1-national_code") == ["این کد ملی دو بار در فهرست کاربران آمده است."]


# --- item 10: accepted but wrong --------------------------------------------------------------------

@pytest.mark.parametrize(("day", "month", "year"), [("8", "9", "1405"), ("۱", "۱", "۱۴۰۶"), ("7", "10", "1405"),
                                                    ("1", "1", "1499")])
def test_a_staff_start_date_in_the_future_is_refused(holder_client, office, day, month, year):
    shown = shown_after(holder_client, office, "staff", {**STAFF, "staff-1-start_date-day": day,
                                                         "staff-1-start_date-month": month,
                                                         "staff-1-start_date-year": year})
    assert len(errors_of(shown, "staff-1-start_date-day")) == 1
    assert "آینده" in errors_of(shown, "staff-1-start_date-day")[0]


def test_a_staff_start_date_of_today_is_accepted(holder_client, demo_data, office):
    shown = shown_after(holder_client, office, "staff", {**STAFF, "staff-1-start_date-day": "۷",
                                                         "staff-1-start_date-month": "۹",
                                                         "staff-1-start_date-year": "۱۴۰۵"})
    assert all_errors(shown) == []


def test_a_future_date_is_judged_by_tehran_time(holder_client, demo_data, office, frozen_clock):
    frozen_clock(datetime(2026, 11, 29, 0, 30, tzinfo=TEHRAN))  # already 1405/09/08 in Tehran, not yet in UTC
    client = demo_data.test_client()  # signed in afresh: the holder's session of the day before has ended
    assert login(client, HOLDER, "a sturdy passphrase").status_code == 302
    shown = shown_after(client, office, "staff", {**STAFF, "staff-1-start_date-day": "8",
                                                  "staff-1-start_date-month": "9", "staff-1-start_date-year": "1405"})
    assert all_errors(shown) == []
    tomorrow = shown_after(client, office, "staff", {**STAFF, "staff-1-start_date-day": "9",
                                                     "staff-1-start_date-month": "9", "staff-1-start_date-year": "1405"})
    assert errors_of(tomorrow, "staff-1-start_date-day") == ["این تاریخ در آینده است و هنوز نرسیده؛ امروز ۸ آذر ۱۴۰۵ است."]


def test_an_activity_start_date_in_the_future_is_refused(holder_client, office):
    shown = shown_after(holder_client, office, "license", {**LICENSE, "activity_start-day": "1",
                                                           "activity_start-month": "1", "activity_start-year": "1406"})
    [message] = errors_of(shown, "activity_start-day")
    assert "آینده" in message


@pytest.mark.parametrize("typed", [
    "😀" * 12, "🏠🏢🏬🏣🏤🏥🏦🏨🏪🏫🏩", "!!!!!!!!!!!!", "........ ،،، ؟؟", "★★★★★ ☆☆☆☆☆", "- - - - - - - -",
    "\u0651\u0651\u0651\u0651\u0651\u0651\u0651\u0651\u0651\u0651\u0651",  # marks with no letter
    "ـــــــــــــــــ",  # kashida only
])
def test_an_address_with_no_letter_is_refused_with_one_message(holder_client, demo_data, office, typed):
    shown = shown_after(holder_client, office, "address", {**steps(demo_data)["address"], "address": typed})
    assert len(errors_of(shown, "address")) == 1, errors_of(shown, "address")


@pytest.mark.parametrize("typed", ["😀😀😀", "...", "۱۲۳۴۵", "---", "⭐⭐⭐⭐"])
def test_a_name_with_no_letter_is_refused_with_one_message(holder_client, office, typed):
    shown = shown_after(holder_client, office, "staff", {**STAFF, "staff-1-full_name": typed})
    assert len(errors_of(shown, "staff-1-full_name")) == 1


@pytest.mark.parametrize("typed", ["0000000000", "1111111111", "۲۲۲۲۲۲۲۲۲۲", "9999999999", "1234567890", "0123456789",
                                   "2143567890", "1435078901", "4444356789", "۰۱۴۳۵۶۷۸۹۰"])
def test_a_postal_code_that_cannot_exist_is_refused_with_one_message(holder_client, demo_data, office, typed):
    shown = shown_after(holder_client, office, "address", {**steps(demo_data)["address"], "postal_code": typed})
    [message] = errors_of(shown, "postal_code")
    assert "کد پستی" in message


@pytest.mark.parametrize("typed", ["1435678901", "5951412749", "1416932790", "۳۱۳۹۹-۵۸۱۱۱", "8155555555"])
def test_a_postal_code_that_can_exist_is_accepted(holder_client, demo_data, office, typed):
    shown = shown_after(holder_client, office, "address", {**steps(demo_data)["address"], "postal_code": typed})
    assert all_errors(shown) == []


def test_the_same_name_in_other_spellings_is_stored_once(holder_client, demo_data, office):
    answers = submitted(holder_client, demo_data, office, {
        "staff": {"staff-0-full_name": "\ufee3\ufeae\ufbfe\ufee2 \ufe8d\ufea3\ufee4\ufeaa\ufbfc",  # PDF presentation forms
                  "staff-1-full_name": "عـلـی كـريـمـی"},  # kashida and Arabic yeh/kaf
        "address": {"address": "تهران، خیابان \u0627\u0653زادی، پلاک ۱۲"},  # آ as alef + combining madda
    })
    assert answers["staff"]["staff"][0]["full_name"] == "مریم احمدی"
    assert answers["staff"]["staff"][1]["full_name"] == "علی کریمی"
    assert answers["address"]["address"] == "تهران، خیابان آزادی، پلاک ۱۲"
