"""The 20-day declaration window and its countdown (SPEC §3); callers pass the time in."""

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

TEHRAN = ZoneInfo("Asia/Tehran")
DEFAULT_DAYS = 20
_END_OF_DAY = time(23, 59, 59)


def _require_aware(**values: datetime) -> None:
    for name, value in values.items():
        if not isinstance(value, datetime):
            raise ValueError(f"{name} must be a datetime")
        if value.utcoffset() is None:
            raise ValueError(f"{name} must be timezone-aware")


def _utc(value: datetime) -> datetime:
    # Same-tzinfo arithmetic and comparison use wall time; UTC gives real elapsed time.
    return value.astimezone(timezone.utc)


def default_deadline(opens_at: datetime, days: int = DEFAULT_DAYS) -> datetime:
    """SPEC §3: the end (23:59:59) of day `days`, counting the opening day as day 1, Tehran time.

    The opening day is opens_at's date in Asia/Tehran (22:00 UTC is already the
    next day there). The result is aware, in TEHRAN. Naive opens_at or days < 1
    raise ValueError.
    """
    _require_aware(opens_at=opens_at)
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ValueError("days must be an integer >= 1")
    return end_of_day(opens_at.astimezone(TEHRAN).date() + timedelta(days=days - 1))


def end_of_day(day: date) -> datetime:
    """23:59:59 of a Tehran calendar day, aware, in TEHRAN."""
    if isinstance(day, datetime) or not isinstance(day, date):
        raise ValueError("day must be a date (a datetime's day depends on its zone)")
    end = datetime.combine(day, _END_OF_DAY, tzinfo=TEHRAN)
    # Until 2022 Iran's DST ended by repeating 23:00-24:00; the day ends at the later 23:59:59.
    later = end.replace(fold=1)
    return later if later.utcoffset() != end.utcoffset() else end


def is_open(now: datetime, opens_at: datetime, deadline: datetime) -> bool:
    """SPEC §3: the window is opens_at <= now <= deadline, both ends inclusive.

    The deadline instant itself (23:59:59.000 by default) is still open; any
    later instant, even 23:59:59.000001, is closed. All three must be aware.
    """
    _require_aware(now=now, opens_at=opens_at, deadline=deadline)
    return _utc(opens_at) <= _utc(now) <= _utc(deadline)


def time_left(now: datetime, deadline: datetime) -> timedelta:
    """Real time until the deadline; zero once it has passed, never negative."""
    _require_aware(now=now, deadline=deadline)
    return max(_utc(deadline) - _utc(now), timedelta(0))


def remaining_parts(now: datetime, deadline: datetime) -> tuple[int, int, int]:
    """Countdown (days, hours, minutes) left, each rounded down; (0, 0, 0) when closed."""
    minutes = time_left(now, deadline) // timedelta(minutes=1)
    hours, minute = divmod(minutes, 60)
    day, hour = divmod(hours, 24)
    return day, hour, minute
