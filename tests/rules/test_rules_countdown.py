"""Tests for wizard.rules.countdown: the countdown's tone at its edges and the epoch milliseconds."""

from datetime import datetime, timedelta, timezone

import pytest

from wizard.rules.countdown import epoch_ms, tone
from wizard.rules.deadline import TEHRAN

DEADLINE = datetime(2020, 10, 11, 23, 59, 59, tzinfo=TEHRAN)  # 1399/07/20 23:59:59
SECOND = timedelta(seconds=1)
MICROSECOND = timedelta(microseconds=1)


@pytest.mark.parametrize(
    ("before_deadline", "expected"),
    [
        (timedelta(days=19, hours=23, minutes=59), "calm"),
        (timedelta(days=3) + MICROSECOND, "calm"),
        (timedelta(days=3), "soon"),  # "the last 3 days" include their first instant
        (timedelta(days=2, hours=23), "soon"),
        (timedelta(hours=24) + MICROSECOND, "soon"),
        (timedelta(hours=24), "urgent"),
        (timedelta(hours=23), "urgent"),
        (timedelta(seconds=59), "urgent"),
        (SECOND, "urgent"),
        (timedelta(0), "urgent"),  # the deadline second itself is still open
        (-MICROSECOND, "closed"),
        (-SECOND, "closed"),
        (-timedelta(days=400), "closed"),
    ],
)
def test_tone(before_deadline, expected):
    assert tone(DEADLINE - before_deadline, DEADLINE) == expected


def test_tone_counts_real_time_across_a_zone_and_a_clock_change():
    # Iran's summer time ended at midnight 30/31 Shahrivar 1399 (21 Sep 2020): that night had 25 hours,
    # so 3 wall-clock days before this deadline is really 3 days and 1 hour: still calm.
    deadline = datetime(2020, 9, 23, 23, 59, 59, tzinfo=TEHRAN)
    wall_three_days = datetime(2020, 9, 20, 23, 59, 59, tzinfo=TEHRAN)
    assert tone(wall_three_days, deadline) == "calm"
    assert tone(deadline.astimezone(timezone.utc) - timedelta(days=3), deadline) == "soon"


@pytest.mark.parametrize("bad", [datetime(2020, 10, 11, 12, 0), "2020-10-11", None])
def test_tone_needs_aware_datetimes(bad):
    with pytest.raises(ValueError):
        tone(bad, DEADLINE)
    with pytest.raises(ValueError):
        tone(DEADLINE, bad)


def test_epoch_ms_is_exact_and_zone_independent():
    assert epoch_ms(datetime(1970, 1, 1, tzinfo=timezone.utc)) == 0
    assert epoch_ms(DEADLINE) == epoch_ms(DEADLINE.astimezone(timezone.utc)) == 1602448199000
    assert epoch_ms(DEADLINE + timedelta(microseconds=1999)) == 1602448199001  # rounded down, no float error
    with pytest.raises(ValueError):
        epoch_ms(datetime(2020, 10, 11))
