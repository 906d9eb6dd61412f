"""Jalali (Solar Hijri) dates: conversion, parsing and Persian/English formatting."""

import re
from datetime import date, datetime
from functools import lru_cache

import jdatetime

from .deadline import TEHRAN
from .deadline import end_of_day as _end_of_day
from .text import InputError
from .text import strip_invisible, to_ascii_digits, to_persian_digits
from .times import parse_time_of_day

# Our own tables: jdatetime.set_locale is per-thread state keyed by recyclable thread ids.
MONTHS_FA = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)
MONTHS_EN = (
    "Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar",
    "Mehr", "Aban", "Azar", "Dey", "Bahman", "Esfand",
)
HALVES_FA = ("نیمسال اول", "نیمسال دوم")

# Year/month/day with '/' or '-', the same separator twice; [0-9] keeps it ASCII-only.
_DATE = re.compile(r"([0-9]{4})([/-])([0-9]{1,2})\2([0-9]{1,2})")
# Optional time after the date: H:MM or HH:MM[:SS], 24-hour clock.
_TIME = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9]))?")
ERR_DATE = "تاریخ معتبر نیست؛ آن را به شکل سال/ماه/روز بنویسید، مثلاً ۱۴۰۳/۰۷/۰۱."
ERR_DATETIME = "تاریخ و ساعت معتبر نیست؛ آن را به شکل سال/ماه/روز ساعت:دقیقه بنویسید، مثلاً ۱۴۰۳/۰۷/۰۱ ۰۸:۰۰."
ERR_NO_DAY = "چنین روزی در تقویم شمسی وجود ندارد."
ERR_FUTURE = "این تاریخ هنوز نرسیده است."


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _language(locale) -> str:
    # Accepts 'fa', 'fa_IR', 'en-US' or a Babel Locale (whose str() is e.g. 'fa_IR').
    language = re.split(r"[_-]", str(locale), maxsplit=1)[0].lower()
    if language not in ("fa", "en"):
        raise ValueError(f"unsupported locale: {locale!r}")
    return language


def _calendar_day(d: date | datetime) -> date:
    # An aware datetime names a Tehran calendar day; a naive one is ambiguous, so refuse it.
    if isinstance(d, datetime):
        if d.utcoffset() is None:
            raise ValueError("datetime must be timezone-aware")
        return d.astimezone(TEHRAN).date()
    if isinstance(d, date):
        return d
    raise ValueError("a date or an aware datetime is required")


def to_jalali(d: date | datetime) -> tuple[int, int, int]:
    """(year, month, day) in the Jalali calendar; an aware datetime is taken in Tehran time."""
    day = _calendar_day(d)
    try:
        j = jdatetime.date.fromgregorian(date=day)
    except ValueError:  # before 1 Farvardin year 1
        raise ValueError(ERR_NO_DAY) from None
    return j.year, j.month, j.day


def to_gregorian(year: int, month: int, day: int) -> date:
    """Gregorian date of a Jalali date; ValueError with a Persian message if there is no such day (e.g. 1404/12/30)."""
    if not all(map(_is_int, (year, month, day))):
        raise ValueError(ERR_NO_DAY)
    try:
        return jdatetime.date(year, month, day).togregorian()
    except (ValueError, OverflowError):
        raise ValueError(ERR_NO_DAY) from None


def is_leap(year: int) -> bool:
    """Whether Jalali `year` has 30 Esfand (1399, 1403, 1408 do; 1404 does not)."""
    if not _is_int(year):
        raise ValueError("year must be an integer")
    try:
        return jdatetime.date(year, 1, 1).isleap()
    except ValueError:
        raise ValueError(ERR_NO_DAY) from None


def parse_date(s: str) -> date:
    """Gregorian date of Jalali 'YYYY/MM/DD' (or 'YYYY-M-D'), in any digit script.

    Surrounding whitespace and invisible marks are ignored. ValueError with a
    Persian message for any other shape or a day the calendar does not have.
    """
    if not isinstance(s, str):
        raise ValueError(ERR_DATE)
    match = _DATE.fullmatch(strip_invisible(to_ascii_digits(s)).strip())
    if match is None:
        raise ValueError(ERR_DATE)
    year, _, month, day = match.groups()
    return to_gregorian(int(year), int(month), int(day))


def parse_datetime(s: str, end_of_day: bool = False) -> datetime:
    """Aware Tehran datetime of Jalali 'YYYY/MM/DD' with an optional ' HH:MM[:SS]' (24-hour; the hour and
    minute also as times.parse_time_of_day reads them, e.g. '8.30').

    Without a time it is 00:00:00, or 23:59:59 when end_of_day is true (for
    deadlines); a given time is used as written. Digits, marks and whitespace
    as for parse_date. ValueError with a Persian message otherwise.
    """
    if not isinstance(s, str):
        raise ValueError(ERR_DATETIME)
    day_text, *time_text = strip_invisible(to_ascii_digits(s)).split(maxsplit=1) or [""]
    day = parse_date(day_text)
    if not time_text:
        return _end_of_day(day) if end_of_day else datetime(day.year, day.month, day.day, tzinfo=TEHRAN)
    try:  # a time typed as the wizard's times are ('8:30', '۸٫۳۰'), else with seconds
        hour, minute, second = (*map(int, parse_time_of_day(time_text[0]).split(":")), 0)
    except ValueError:
        match = _TIME.fullmatch(time_text[0].strip())
        if match is None:
            raise ValueError(ERR_DATETIME) from None
        hour, minute, second = (int(part or 0) for part in match.groups())
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=TEHRAN)


def not_in_future(year: int, month: int, day: int, today: date | datetime) -> date:
    """The Gregorian day of a Jalali date that has already come: on or before `today` (the caller's "now"; an
    aware datetime is taken as its Tehran calendar day, so just after midnight in Tehran it is already the
    next day there). ValueError for a day the calendar lacks (as to_gregorian); InputError with reason
    "future" for a day after today."""
    gregorian = to_gregorian(year, month, day)
    if gregorian > _calendar_day(today):
        raise InputError("future", ERR_FUTURE)
    return gregorian


@lru_cache(maxsize=4096)  # pages show the same few moments (deadlines, submissions) again and again
def format_date(d: date | datetime, locale="fa", style: str = "short") -> str:
    """Jalali date text: short '۱۳۹۹/۰۷/۰۱' / '1399/07/01', long '۱ مهر ۱۳۹۹' / '1 Mehr 1399'.

    An aware datetime is shown as its Tehran date; a naive datetime raises ValueError.
    """
    language = _language(locale)
    year, month, day = to_jalali(d)
    if style == "short":
        text = f"{year:04d}/{month:02d}/{day:02d}"
    elif style == "long":
        months = MONTHS_FA if language == "fa" else MONTHS_EN
        text = f"{day} {months[month - 1]} {year}"
    else:
        raise ValueError(f"unknown style: {style!r}")
    return to_persian_digits(text) if language == "fa" else text


@lru_cache(maxsize=4096)
def format_datetime(dt: datetime, locale="fa") -> str:
    """Aware datetime in Tehran time: '۱ مهر ۱۳۹۹، ساعت ۲۳:۵۹' / '1 Mehr 1399, 23:59'."""
    if not isinstance(dt, datetime) or dt.utcoffset() is None:
        raise ValueError("an aware datetime is required")
    local = dt.astimezone(TEHRAN)
    clock = f"{local.hour:02d}:{local.minute:02d}"
    day = format_date(local, locale, "long")
    if _language(locale) == "fa":
        return f"{day}، ساعت {to_persian_digits(clock)}"
    return f"{day}, {clock}"


def half_year_label(year: int, half: int, locale="fa") -> str:
    """Name of a Jalali half-year: 'نیمسال اول ۱۳۹۹' / 'نیمسال دوم ۱۳۹۹', en 'H1 1399'."""
    if not _is_int(year) or year < 1 or not _is_int(half) or half not in (1, 2):
        raise ValueError("year must be a positive integer and half 1 or 2")
    if _language(locale) == "fa":
        return f"{HALVES_FA[half - 1]} {to_persian_digits(year)}"
    return f"H{half} {year}"
