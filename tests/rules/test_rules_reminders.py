"""Deadline reminders (wizard/rules/reminders.py), table-driven: which reminder is due, and the plan's parsing."""

from datetime import datetime
from datetime import timedelta

import pytest

from wizard.rules.deadline import TEHRAN
from wizard.rules.reminders import Plan
from wizard.rules.reminders import days_left
from wizard.rules.reminders import due
from wizard.rules.reminders import in_quiet_hours
from wizard.rules.reminders import parse_days
from wizard.rules.reminders import reminder_moment
from wizard.rules.text import InputError

DEADLINE = datetime(2026, 12, 17, 23, 59, 59, tzinfo=TEHRAN)  # 26 Azar 1405
PLAN = Plan(days=(7, 3, 1), max_per_holder=3, min_gap=timedelta(hours=12), quiet_start=22, quiet_end=8)


def at(day, hour, minute=0):
    return datetime(2026, 12, day, hour, minute, tzinfo=TEHRAN)


@pytest.mark.parametrize("now, sent_days, count, last, expected", [
    (at(9, 23), set(), 0, None, None),  # before the first reminder's day
    (at(10, 0, 30), set(), 0, None, None),  # its day, but quiet hours (until 8:00)
    (at(10, 7, 59), set(), 0, None, None),
    (at(10, 8), set(), 0, None, 7),  # 7 days before the deadline's day, after the quiet hours
    (at(10, 21, 59), set(), 0, None, 7),
    (at(10, 22), set(), 0, None, None),  # quiet again
    (at(11, 9), {7}, 1, at(10, 8), None),  # sent already
    (at(14, 9), {7}, 1, at(10, 8), 3),
    (at(14, 9), {7}, 1, at(14, 1), None),  # a region's message 8 hours ago: the gap holds it back
    (at(14, 14), {7}, 1, at(14, 1), 3),  # 13 hours later
    (at(14, 9), {7}, 3, at(10, 8), None),  # the cap (a region's messages count too)
    (at(16, 9), set(), 0, None, 1),  # late: only the latest reminder that has come, never the missed ones
    (at(16, 9), {7, 3}, 2, at(14, 9), 1),
    (at(16, 9), {7, 3, 1}, 3, at(16, 8), None),
    (at(17, 23, 59), {7, 3}, 2, at(14, 9), None),  # the deadline's day, but quiet hours
    (at(17, 12), {7, 3}, 2, at(14, 9), 1),  # the deadline's day: the 1-day reminder is still the latest
    (at(18, 9), set(), 0, None, None),  # the window has closed
])
def test_due(now, sent_days, count, last, expected):
    assert due(now, DEADLINE, PLAN, sent_days, count, last) == expected


@pytest.mark.parametrize("hour, start, end, quiet", [
    (23, 22, 8, True), (0, 22, 8, True), (7, 22, 8, True), (8, 22, 8, False), (21, 22, 8, False),
    (13, 13, 15, True), (15, 13, 15, False), (12, 13, 15, False), (3, 0, 0, False),
])
def test_quiet_hours_in_tehran_time(hour, start, end, quiet):
    assert in_quiet_hours(datetime(2026, 12, 10, hour, 30, tzinfo=TEHRAN), start, end) is quiet


def test_quiet_hours_read_tehran_time_from_utc():
    from datetime import UTC

    assert in_quiet_hours(datetime(2026, 12, 10, 19, 0, tzinfo=UTC), 22, 8)  # 22:30 in Tehran
    assert not in_quiet_hours(datetime(2026, 12, 10, 5, 0, tzinfo=UTC), 22, 8)  # 08:30 in Tehran


def test_moments_and_days_left():
    assert reminder_moment(DEADLINE, 7) == at(10, 0)
    assert days_left(at(10, 8), DEADLINE) == 7
    assert days_left(at(17, 8), DEADLINE) == 0


@pytest.mark.parametrize("text, expected", [
    ("7,3,1", (7, 3, 1)), ("۷، ۳، ۱", (7, 3, 1)), ("1 3 7", (7, 3, 1)), ("3,3", (3,)), ("", ()),
    (" 10 ;5", (10, 5)), ("30", (30,)),
])
def test_parse_days(text, expected):
    assert parse_days(text) == expected


@pytest.mark.parametrize("text", ["0", "31", "7,x", "-1", "2.5", "1,2,3,4,5,6,7,8,9,10,11"])
def test_parse_days_refuses(text):
    with pytest.raises(InputError):
        parse_days(text)
