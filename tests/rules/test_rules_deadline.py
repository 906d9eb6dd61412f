"""Tests for wizard.rules.deadline: the 20-day window and countdown (SPEC §3)."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.rules.deadline import TEHRAN, default_deadline, end_of_day, is_open, remaining_parts, time_left

PROPERTY = settings(max_examples=200, deadline=None, derandomize=True, database=None)
UTC = timezone.utc
SECOND = timedelta(seconds=1)
OPENS = datetime(2020, 9, 22, 10, 0, tzinfo=TEHRAN)
DEADLINE = datetime(2020, 10, 11, 23, 59, 59, tzinfo=TEHRAN)
LONG_WAIT = timedelta(days=1, hours=2, minutes=3, seconds=59)


def tehran(*args):
    return datetime(*args, tzinfo=TEHRAN)


@pytest.mark.parametrize(
    ("opens_at", "days", "expected"),
    [
        (OPENS, 20, DEADLINE),  # 1399/07/01 -> 1399/07/20
        (datetime(2020, 9, 21, 22, 0, tzinfo=UTC), 20, DEADLINE),  # 22:00 UTC is already 22 Sep in Tehran
        (datetime(2020, 9, 21, 20, 29, 59, tzinfo=UTC), 20, tehran(2020, 10, 10, 23, 59, 59)),  # 23:59:59 on 21 Sep
        (datetime(2020, 9, 21, 20, 30, tzinfo=UTC), 20, DEADLINE),  # Tehran midnight
        (tehran(2020, 9, 22, 0, 0), 20, DEADLINE),
        (tehran(2020, 9, 22, 23, 59, 59), 20, DEADLINE),
        (datetime(2020, 9, 21, 17, 0, tzinfo=ZoneInfo("America/New_York")), 20, DEADLINE),  # 00:30 in Tehran
        (OPENS, 1, tehran(2020, 9, 22, 23, 59, 59)),
        (OPENS, 2, tehran(2020, 9, 23, 23, 59, 59)),
        (tehran(2024, 9, 22, 9, 0), 20, tehran(2024, 10, 11, 23, 59, 59)),  # 1-20 Mehr 1403
        (tehran(2025, 3, 17, 8, 0), 20, tehran(2025, 4, 5, 23, 59, 59)),  # 1403/12/27 across Nowruz to 1404/01/16
        (tehran(2021, 3, 1, 8, 0), 20, tehran(2021, 3, 20, 23, 59, 59)),  # ends on leap day 1399/12/30
        (tehran(2020, 2, 20, 8, 0), 20, tehran(2020, 3, 10, 23, 59, 59)),  # through Gregorian 29 Feb
    ],
)
def test_default_deadline(opens_at, days, expected):
    result = default_deadline(opens_at, days)
    assert result == expected
    assert result.tzinfo == TEHRAN
    assert (result.hour, result.minute, result.second, result.microsecond) == (23, 59, 59, 0)


def test_default_days_is_twenty():
    assert default_deadline(OPENS) == DEADLINE


@pytest.mark.parametrize(
    ("opens_at", "utc_deadline"),
    [
        # Iran kept DST until 2022: +04:30 in summer, +03:30 after.
        (tehran(2021, 9, 10, 9, 0), datetime(2021, 9, 29, 20, 29, 59, tzinfo=UTC)),
        (tehran(2021, 6, 1, 9, 0), datetime(2021, 6, 20, 19, 29, 59, tzinfo=UTC)),
        # Day 20 is 2021-09-21, whose 23:00-24:00 happened twice; the day ends at the later one.
        (tehran(2021, 9, 2, 9, 0), datetime(2021, 9, 21, 20, 29, 59, tzinfo=UTC)),
        (tehran(2024, 6, 1, 9, 0), datetime(2024, 6, 20, 20, 29, 59, tzinfo=UTC)),  # no DST any more
    ],
)
def test_default_deadline_in_utc_across_old_dst(opens_at, utc_deadline):
    assert default_deadline(opens_at).astimezone(UTC) == utc_deadline


@pytest.mark.parametrize(
    ("day", "utc"),
    [
        (date(2020, 10, 11), datetime(2020, 10, 11, 20, 29, 59, tzinfo=UTC)),
        (date(2021, 6, 20), datetime(2021, 6, 20, 19, 29, 59, tzinfo=UTC)),
        (date(2021, 9, 21), datetime(2021, 9, 21, 20, 29, 59, tzinfo=UTC)),  # the later of two 23:59:59s
    ],
)
def test_end_of_day(day, utc):
    end = end_of_day(day)
    assert end.tzinfo == TEHRAN and end.astimezone(UTC) == utc


@pytest.mark.parametrize("day", [datetime(2020, 10, 11, 12, 0, tzinfo=TEHRAN), "2020-10-11", None])
def test_end_of_day_rejects(day):
    with pytest.raises(ValueError):
        end_of_day(day)


@pytest.mark.parametrize(
    ("opens_at", "days"),
    [
        (datetime(2020, 9, 22, 10, 0), 20), (date(2020, 9, 22), 20), ("2020-09-22", 20), (OPENS, 0),
        (OPENS, -1), (OPENS, True), (OPENS, 1.5), (OPENS, "20"),
    ],
)
def test_default_deadline_rejects(opens_at, days):
    with pytest.raises(ValueError):
        default_deadline(opens_at, days)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (DEADLINE, True),  # the deadline second itself is inside the window
        (DEADLINE - SECOND, True),
        (DEADLINE + SECOND, False),
        (DEADLINE + timedelta(microseconds=1), False),
        (tehran(2020, 10, 12, 0, 0), False),
        (DEADLINE.astimezone(UTC), True),
        ((DEADLINE + SECOND).astimezone(UTC), False),
        (OPENS, True),
        (OPENS - SECOND, False),
        (OPENS - timedelta(microseconds=1), False),
        (tehran(2020, 10, 1, 12, 0), True),
        (tehran(2019, 10, 1, 12, 0), False),
    ],
)
def test_is_open(now, expected):
    assert is_open(now, OPENS, DEADLINE) is expected


@pytest.mark.parametrize(
    "args",
    [
        (datetime(2020, 10, 1), OPENS, DEADLINE),
        (tehran(2020, 10, 1), datetime(2020, 9, 22), DEADLINE),
        (tehran(2020, 10, 1), OPENS, datetime(2020, 10, 11, 23, 59, 59)),
        (tehran(2020, 10, 1), OPENS, None),
    ],
)
def test_is_open_rejects_naive(args):
    with pytest.raises(ValueError):
        is_open(*args)


@pytest.mark.parametrize(
    ("now", "left", "parts"),
    [
        (DEADLINE - LONG_WAIT, LONG_WAIT, (1, 2, 3)),
        (OPENS, timedelta(days=19, hours=13, minutes=59, seconds=59), (19, 13, 59)),
        (tehran(2020, 9, 22, 0, 0), timedelta(days=20) - SECOND, (19, 23, 59)),
        (DEADLINE - timedelta(minutes=1), timedelta(minutes=1), (0, 0, 1)),
        (DEADLINE - timedelta(seconds=59), timedelta(seconds=59), (0, 0, 0)),
        (DEADLINE - SECOND, SECOND, (0, 0, 0)),
        (DEADLINE, timedelta(0), (0, 0, 0)),
        (DEADLINE + SECOND, timedelta(0), (0, 0, 0)),
        (DEADLINE + timedelta(days=400), timedelta(0), (0, 0, 0)),
        ((DEADLINE - timedelta(hours=5)).astimezone(UTC), timedelta(hours=5), (0, 5, 0)),
    ],
)
def test_time_left_and_remaining_parts(now, left, parts):
    assert time_left(now, DEADLINE) == left
    assert remaining_parts(now, DEADLINE) == parts


def test_time_left_counts_real_time_across_the_dst_change():
    # 12:00 +04:30 to 12:00 +03:30 next day: 25 real hours, not 24 wall-clock hours.
    now, deadline = tehran(2021, 9, 21, 12, 0), tehran(2021, 9, 22, 12, 0)
    assert time_left(now, deadline) == timedelta(hours=25)
    assert remaining_parts(now, deadline) == (1, 1, 0)


def test_time_left_rejects_naive():
    with pytest.raises(ValueError):
        time_left(datetime(2020, 10, 1), DEADLINE)
    with pytest.raises(ValueError):
        remaining_parts(tehran(2020, 10, 1), datetime(2020, 10, 11))


INSTANTS = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2040, 1, 1),
    timezones=st.sampled_from([TEHRAN, UTC, ZoneInfo("Asia/Tokyo")]),
)


@PROPERTY
@given(INSTANTS, INSTANTS)
def test_countdown_properties(now, deadline):
    left = time_left(now, deadline)
    days, hours, minutes = remaining_parts(now, deadline)
    assert left >= timedelta(0)
    assert 0 <= hours < 24 and 0 <= minutes < 60 and days >= 0
    shown = timedelta(days=days, hours=hours, minutes=minutes)
    assert shown <= left < shown + timedelta(minutes=1)
    if left > timedelta(0):
        assert is_open(now, now, deadline)


@PROPERTY
@given(INSTANTS, st.integers(min_value=1, max_value=400))
def test_default_deadline_properties(opens_at, days):
    deadline = default_deadline(opens_at, days)
    local_open = opens_at.astimezone(TEHRAN)
    assert (deadline.date() - local_open.date()).days == days - 1
    assert deadline.time().replace(fold=0) == datetime(2000, 1, 1, 23, 59, 59).time()
    assert is_open(opens_at, opens_at, deadline)
    assert is_open(deadline, opens_at, deadline)
    assert not is_open(deadline + SECOND, opens_at, deadline)
    # The deadline is the last second of its Tehran day.
    assert (deadline + SECOND).astimezone(TEHRAN).date() == deadline.date() + timedelta(days=1)
