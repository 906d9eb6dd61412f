"""When a violation may be decided and when objections may be filed (SPEC §5)."""

from datetime import datetime
from datetime import timedelta

import pytest

from wizard.rules.deadline import TEHRAN
from wizard.rules.due_process import defence_deadline
from wizard.rules.due_process import may_decide
from wizard.rules.due_process import may_defend
from wizard.rules.due_process import objections_open

RECORDED = datetime(2026, 12, 20, 23, 30, tzinfo=TEHRAN)
DEADLINE = datetime(2026, 12, 27, 23, 59, 59, tzinfo=TEHRAN)
SECOND = timedelta(seconds=1)


@pytest.mark.parametrize(("recorded", "days", "deadline"), [
    (RECORDED, 7, DEADLINE),
    (datetime(2026, 12, 20, 20, 30, tzinfo=TEHRAN).astimezone(TEHRAN), 0, datetime(2026, 12, 20, 23, 59, 59, tzinfo=TEHRAN)),
    # 21:00 UTC is already the next day in Tehran.
    (datetime(2026, 12, 20, 21, 0).replace(tzinfo=TEHRAN).astimezone(TEHRAN) + timedelta(hours=3), 1,
     datetime(2026, 12, 22, 23, 59, 59, tzinfo=TEHRAN)),
])
def test_defence_deadline(recorded, days, deadline):
    assert defence_deadline(recorded, days) == deadline


@pytest.mark.parametrize("days", [-1, 1.5, True, "7"])
def test_defence_days_must_be_a_whole_number(days):
    with pytest.raises(ValueError):
        defence_deadline(RECORDED, days)


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        defence_deadline(datetime(2026, 12, 20), 7)
    with pytest.raises(ValueError):
        may_decide("notified", datetime(2026, 12, 20), DEADLINE)


@pytest.mark.parametrize(("status", "allowed"), [
    ("notified", True), ("defended", True), ("decided", False), ("dismissed", False)])
def test_may_defend(status, allowed):
    assert may_defend(status) is allowed


@pytest.mark.parametrize(("status", "now", "allowed"), [
    ("notified", DEADLINE, False),  # the last second of the period is the holder's
    ("notified", DEADLINE + SECOND, True),
    ("defended", RECORDED, True),  # a defence is in: the committee need not wait
    ("decided", DEADLINE + SECOND, False),
    ("dismissed", DEADLINE + SECOND, False),
])
def test_may_decide(status, now, allowed):
    assert may_decide(status, now, DEADLINE) is allowed


CLOSES = datetime(2027, 1, 3, 23, 59, 59, tzinfo=TEHRAN)


@pytest.mark.parametrize(("now", "published", "closes", "approved", "is_open"), [
    (CLOSES - timedelta(days=3), 1, CLOSES, None, True),
    (CLOSES, 1, CLOSES, None, True),  # the closing second itself is inside
    (CLOSES + timedelta(microseconds=1), 1, CLOSES, None, False),
    (CLOSES - timedelta(days=3), None, None, None, False),  # nothing published
    (CLOSES - timedelta(days=3), 1, None, None, False),  # a round without an objection window
    (CLOSES - timedelta(days=3), 2, CLOSES, 2, False),  # final: no more objections
])
def test_objections_open(now, published, closes, approved, is_open):
    assert objections_open(now, published, closes, approved) is is_open
