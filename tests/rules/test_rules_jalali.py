"""Tests for wizard.rules.jalali: conversion, leap years, parsing and formatting."""

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.rules.deadline import TEHRAN
from wizard.rules.text import InputError
from wizard.rules.text import to_persian_digits
from wizard.rules.jalali import (
    MONTHS_EN,
    MONTHS_FA,
    format_date,
    format_datetime,
    half_year_label,
    is_leap,
    not_in_future,
    parse_date,
    parse_datetime,
    to_gregorian,
    to_jalali,
)

PROPERTY = settings(max_examples=200, deadline=None, derandomize=True, database=None)
UTC = timezone.utc
DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
# (Gregorian, Jalali) pairs around Nowruz and leap days.
PAIRS = [
    (date(2020, 3, 19), (1398, 12, 29)),
    (date(2020, 3, 20), (1399, 1, 1)),
    (date(2020, 9, 21), (1399, 6, 31)),
    (date(2020, 9, 22), (1399, 7, 1)),
    (date(2021, 3, 20), (1399, 12, 30)),
    (date(2021, 3, 21), (1400, 1, 1)),
    (date(2017, 3, 20), (1395, 12, 30)),
    (date(2024, 9, 22), (1403, 7, 1)),
    (date(2025, 3, 20), (1403, 12, 30)),
    (date(2025, 3, 21), (1404, 1, 1)),
    (date(2026, 3, 20), (1404, 12, 29)),
    (date(2026, 3, 21), (1405, 1, 1)),
    (date(1900, 1, 1), (1278, 10, 11)),
    (date(2100, 12, 31), (1479, 10, 10)),
]


def test_month_tables():
    assert len(MONTHS_FA) == len(MONTHS_EN) == 12
    assert (MONTHS_FA[0], MONTHS_FA[6], MONTHS_FA[11]) == ("فروردین", "مهر", "اسفند")
    assert (MONTHS_EN[0], MONTHS_EN[6], MONTHS_EN[11]) == ("Farvardin", "Mehr", "Esfand")


@pytest.mark.parametrize(("gregorian", "jalali"), PAIRS)
def test_to_jalali_and_back(gregorian, jalali):
    assert to_jalali(gregorian) == jalali
    assert to_gregorian(*jalali) == gregorian


@pytest.mark.parametrize(
    ("moment", "jalali"),
    [
        (datetime(2021, 3, 20, 20, 29, 59, tzinfo=UTC), (1399, 12, 30)),
        (datetime(2021, 3, 20, 20, 30, tzinfo=UTC), (1400, 1, 1)),  # Tehran midnight starts Nowruz
        (datetime(2020, 9, 21, 22, 0, tzinfo=UTC), (1399, 7, 1)),
        (datetime(2020, 9, 22, 23, 59, tzinfo=TEHRAN), (1399, 7, 1)),
    ],
)
def test_to_jalali_takes_aware_datetimes_in_tehran(moment, jalali):
    assert to_jalali(moment) == jalali


@pytest.mark.parametrize(
    ("value", "message"),
    [(datetime(2021, 3, 20, 12, 0), "aware"), ("2021-03-20", "date"), (None, "date"), (date(600, 1, 1), "تقویم شمسی")],
)
def test_to_jalali_rejects(value, message):
    with pytest.raises(ValueError, match=message):
        to_jalali(value)


@pytest.mark.parametrize(
    "args",
    [(1404, 12, 30), (1403, 12, 31), (1400, 12, 30), (1403, 13, 1), (1403, 0, 1), (1403, 1, 0), (1403, 1, 32),
     (1403, 7, 31),
     (0, 1, 1), (10000, 1, 1), (True, 1, 1), ("1403", 1, 1), (1403.0, 1, 1), (1403, None, 1)],
)
def test_to_gregorian_rejects_with_persian_message(args):
    with pytest.raises(ValueError, match="تقویم شمسی"):
        to_gregorian(*args)


@pytest.mark.parametrize(
    ("args", "expected"),
    [((1403, 6, 31), date(2024, 9, 21)), ((1403, 7, 30), date(2024, 10, 21)), ((1403, 12, 30), date(2025, 3, 20))],
)
def test_to_gregorian_month_lengths(args, expected):
    assert to_gregorian(*args) == expected


@pytest.mark.parametrize(
    ("year", "leap"),
    [
        (1395, True), (1398, False), (1399, True), (1400, False), (1403, True), (1404, False),
        (1407, False), (1408, True),
    ],
)
def test_is_leap(year, leap):
    assert is_leap(year) is leap


@pytest.mark.parametrize("year", [0, -1, 1399.0, "1399", True, None])
def test_is_leap_rejects(year):
    with pytest.raises(ValueError):
        is_leap(year)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1399/12/30", date(2021, 3, 20)),
        ("۱۳۹۹/۱۲/۳۰", date(2021, 3, 20)),
        ("١٣٩٩/١٢/٣٠", date(2021, 3, 20)),
        ("1399-12-30", date(2021, 3, 20)),
        ("1399/7/1", date(2020, 9, 22)),
        ("۱۳۹۹/۷/۰۱", date(2020, 9, 22)),
        ("  \u200f۱۳۹۹/۰۷/۰۱\u200e\n", date(2020, 9, 22)),
        ("\u2067۱۴۰۳/۱۲/۳۰\u2069", date(2025, 3, 20)),
        ("1404/01/01", date(2025, 3, 21)),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1404/12/30", "تقویم شمسی"),
        ("1400/12/30", "تقویم شمسی"),
        ("1403/13/01", "تقویم شمسی"),
        ("1403/00/10", "تقویم شمسی"),
        ("", "سال/ماه/روز"),
        ("1399/07", "سال/ماه/روز"),
        ("99/07/01", "سال/ماه/روز"),
        ("01/07/1399", "سال/ماه/روز"),
        ("1399/07/01/01", "سال/ماه/روز"),
        ("1399.07.01", "سال/ماه/روز"),
        ("1399/07-01", "سال/ماه/روز"),
        ("1399/007/01", "سال/ماه/روز"),
        ("1399 / 07 / 01", "سال/ماه/روز"),
        ("१३९९/०७/०१", "سال/ماه/روز"),
        ("abcd/ef/gh", "سال/ماه/روز"),
        (None, "سال/ماه/روز"),
    ],
)
def test_parse_date_rejects_with_persian_message(text, message):
    with pytest.raises(ValueError, match=message):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("1399/07/01", False, datetime(2020, 9, 22, 0, 0, tzinfo=TEHRAN)),
        ("1399/07/20", True, datetime(2020, 10, 11, 23, 59, 59, tzinfo=TEHRAN)),
        ("۱۳۹۹/۰۷/۲۰ ۰۸:۳۰", True, datetime(2020, 10, 11, 8, 30, tzinfo=TEHRAN)),  # a given time wins
        ("‏1399-7-1	8:05:09 ", False, datetime(2020, 9, 22, 8, 5, 9, tzinfo=TEHRAN)),  # noqa: PLE2502 - a right-to-left mark is the point of this case
        ("1403/12/30 23:59", False, datetime(2025, 3, 20, 23, 59, tzinfo=TEHRAN)),
        ("1403/12/30 00:00", False, datetime(2025, 3, 20, 0, 0, tzinfo=TEHRAN)),
    ],
)
def test_parse_datetime(text, end, expected):
    result = parse_datetime(text, end_of_day=end)
    assert result == expected and result.tzinfo == TEHRAN


def test_parse_datetime_end_of_a_day_that_repeated_an_hour():
    # 30 Shahrivar 1400 (2021-09-21) repeated 23:00-24:00 when DST ended.
    end = parse_datetime("1400/06/30", end_of_day=True)
    assert end.astimezone(UTC) == datetime(2021, 9, 21, 20, 29, 59, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "", "1399/07/20 24:00", "1399/07/20 8", "1399/07/20 08:60", "1399/07/20 08:00 x",
        "1399/07/20T08:00", "08:00 1399/07/20", "1404/12/30 08:00", None,
    ],
)
def test_parse_datetime_rejects_with_persian_message(text):
    with pytest.raises(ValueError, match="معتبر نیست|وجود ندارد"):
        parse_datetime(text)


@pytest.mark.parametrize(
    ("value", "locale", "style", "expected"),
    [
        (date(2020, 9, 22), "fa", "short", "۱۳۹۹/۰۷/۰۱"),
        (date(2020, 9, 22), "en", "short", "1399/07/01"),
        (date(2020, 9, 22), "fa", "long", "۱ مهر ۱۳۹۹"),
        (date(2020, 9, 22), "en", "long", "1 Mehr 1399"),
        (date(2021, 3, 20), "fa", "short", "۱۳۹۹/۱۲/۳۰"),
        (date(2021, 3, 20), "fa", "long", "۳۰ اسفند ۱۳۹۹"),
        (date(2021, 3, 21), "en", "long", "1 Farvardin 1400"),
        (date(2025, 3, 20), "fa_IR", "long", "۳۰ اسفند ۱۴۰۳"),
        (date(2025, 3, 20), "en_US", "short", "1403/12/30"),
        (datetime(2020, 9, 21, 21, 0, tzinfo=UTC), "fa", "short", "۱۳۹۹/۰۷/۰۱"),  # 00:30 in Tehran
        (datetime(2020, 9, 21, 20, 0, tzinfo=UTC), "fa", "short", "۱۳۹۹/۰۶/۳۱"),  # 23:30 in Tehran
    ],
)
def test_format_date(value, locale, style, expected):
    assert format_date(value, locale=locale, style=style) == expected


def test_format_date_defaults_to_short_persian():
    assert format_date(date(2020, 9, 22)) == "۱۳۹۹/۰۷/۰۱"


@pytest.mark.parametrize(
    ("value", "locale", "style"),
    [
        (datetime(2020, 9, 22, 10, 0), "fa", "short"), (date(2020, 9, 22), "de", "short"),
        (date(2020, 9, 22), "fa", "medium"), ("1399/07/01", "fa", "short"),
    ],
)
def test_format_date_rejects(value, locale, style):
    with pytest.raises(ValueError):
        format_date(value, locale=locale, style=style)


@pytest.mark.parametrize(
    ("value", "locale", "expected"),
    [
        (datetime(2020, 10, 11, 23, 59, 59, tzinfo=TEHRAN), "fa", "۲۰ مهر ۱۳۹۹، ساعت ۲۳:۵۹"),
        (datetime(2020, 10, 11, 23, 59, 59, tzinfo=TEHRAN), "en", "20 Mehr 1399, 23:59"),
        (datetime(2020, 9, 22, 6, 30, tzinfo=UTC), "fa", "۱ مهر ۱۳۹۹، ساعت ۱۰:۰۰"),
        (datetime(2020, 9, 22, 6, 30, tzinfo=UTC), "en", "1 Mehr 1399, 10:00"),
        (datetime(2021, 3, 20, 20, 30, tzinfo=UTC), "fa", "۱ فروردین ۱۴۰۰، ساعت ۰۰:۰۰"),
        (datetime(2021, 6, 1, 4, 30, tzinfo=UTC), "en", "11 Khordad 1400, 09:00"),  # DST was +04:30 then
    ],
)
def test_format_datetime(value, locale, expected):
    assert format_datetime(value, locale) == expected


@pytest.mark.parametrize("value", [datetime(2020, 10, 11, 23, 59), date(2020, 10, 11), None])
def test_format_datetime_rejects(value):
    with pytest.raises(ValueError):
        format_datetime(value)


@pytest.mark.parametrize(
    ("year", "half", "locale", "expected"),
    [
        (1399, 1, "fa", "نیمسال اول ۱۳۹۹"), (1399, 2, "fa", "نیمسال دوم ۱۳۹۹"),
        (1399, 1, "en", "H1 1399"), (1404, 2, "en", "H2 1404"),
    ],
)
def test_half_year_label(year, half, locale, expected):
    assert half_year_label(year, half, locale) == expected


@pytest.mark.parametrize(("year", "half"), [(1399, 0), (1399, 3), (1399, True), (0, 1), ("1399", 1), (1399, "1")])
def test_half_year_label_rejects(year, half):
    with pytest.raises(ValueError):
        half_year_label(year, half)


@PROPERTY
@given(DATES)
def test_round_trip(day):
    assert to_gregorian(*to_jalali(day)) == day


@PROPERTY
@given(DATES.filter(lambda d: d < date(2100, 12, 31)))
def test_consecutive_days_are_consecutive_in_jalali(day):
    y, m, d = to_jalali(day)
    following = to_jalali(day + timedelta(days=1))
    month_length = 31 if m <= 6 else 30 if m <= 11 else 30 if is_leap(y) else 29
    if d < month_length:
        assert following == (y, m, d + 1)
    elif m < 12:
        assert following == (y, m + 1, 1)
    else:
        assert following == (y + 1, 1, 1)


@PROPERTY
@given(DATES, st.sampled_from(["fa", "en"]))
def test_format_then_parse(day, locale):
    assert parse_date(format_date(day, locale=locale)) == day


@PROPERTY
@given(DATES, st.integers(0, 23), st.integers(0, 59))
def test_parse_datetime_agrees_with_parse_date(day, hour, minute):
    text = f"{format_date(day)} {to_persian_digits(f'{hour:02d}:{minute:02d}')}"
    moment = parse_datetime(text)
    assert (moment.date(), moment.hour, moment.minute) == (day, hour, minute)
    assert parse_datetime(format_date(day), end_of_day=True).astimezone(TEHRAN).date() == day


@PROPERTY
@given(st.integers(min_value=1, max_value=3000))
def test_leap_years_have_esfand_30(year):
    try:
        to_gregorian(year, 12, 30)
    except ValueError:
        assert not is_leap(year)
    else:
        assert is_leap(year)


TODAY = date(2026, 11, 28)  # 1405/09/07


@pytest.mark.parametrize(("jalali", "today"), [
    ((1405, 9, 7), TODAY), ((1405, 9, 6), TODAY), ((1300, 1, 1), TODAY), ((1405, 9, 7), datetime(2026, 11, 28, 23, 59,
                                                                                             tzinfo=TEHRAN)),
    ((1405, 9, 8), datetime(2026, 11, 28, 21, 0, tzinfo=UTC)),  # 00:30 on 1405/09/08 in Tehran, still the 28th in UTC
])
def test_a_day_that_has_come_is_not_in_the_future(jalali, today):
    assert not_in_future(*jalali, today) == to_gregorian(*jalali)


@pytest.mark.parametrize(("jalali", "today"), [
    ((1405, 9, 8), TODAY), ((1406, 1, 1), TODAY), ((1499, 1, 1), TODAY),
    ((1405, 9, 8), datetime(2026, 11, 28, 20, 29, tzinfo=UTC)),  # 23:59 on 1405/09/07 in Tehran
])
def test_a_day_after_today_is_in_the_future(jalali, today):
    with pytest.raises(InputError, match="نرسیده") as refused:
        not_in_future(*jalali, today)
    assert refused.value.reason == "future"


def test_a_day_the_calendar_lacks_is_not_a_future_day():
    with pytest.raises(ValueError, match="وجود ندارد"):
        not_in_future(1404, 12, 30, TODAY)
