"""Deadline reminders: which reminder a holder is due now under a round's plan (days before, cap, gap, quiet hours)."""

import re
from dataclasses import dataclass
from datetime import datetime
from datetime import time
from datetime import timedelta
from datetime import timezone

from .deadline import TEHRAN
from .text import InputError
from .text import numeric_text

MAX_DAYS = 30  # a reminder at most this many days before the deadline (a window is 20 days by default)
MAX_REMINDERS = 10
_SEPARATORS = re.compile(r"[\s,،٬;؛]+")


@dataclass(frozen=True)
class Plan:
    """A round's reminder plan: days before the deadline (largest first), at most max_per_holder reminders to a
    holder, at least min_gap between two of them, none from quiet_start to quiet_end o'clock Tehran time."""

    days: tuple[int, ...]
    max_per_holder: int = 3
    min_gap: timedelta = timedelta(hours=12)
    quiet_start: int = 22
    quiet_end: int = 8


def parse_days(text: str) -> tuple[int, ...]:
    """'7,3,1', '۷، ۳، ۱' or '1 3 7' → (7, 3, 1); an empty text is no reminders. InputError when a part is not a
    whole number of days from 1 to MAX_DAYS, or there are more than MAX_REMINDERS of them."""
    parts = [part for part in _SEPARATORS.split(numeric_text(text or "")) if part]
    if not all(part.isascii() and part.isdigit() and 1 <= int(part) <= MAX_DAYS for part in parts):
        raise InputError("days", f"روزها باید عددهایی از ۱ تا {MAX_DAYS} باشند، جدا با ویرگول؛ مانند ۷،۳،۱.")
    days = tuple(sorted({int(part) for part in parts}, reverse=True))
    if len(days) > MAX_REMINDERS:
        raise InputError("many", f"حداکثر {MAX_REMINDERS} یادآوری در هر دوره.")
    return days


def in_quiet_hours(now: datetime, start: int, end: int) -> bool:
    """Whether Tehran's hour of now is in [start, end), a range that may pass midnight; start == end: never."""
    hour = now.astimezone(TEHRAN).hour
    if start == end:
        return False
    return start <= hour < end if start < end else hour >= start or hour < end


def reminder_moment(deadline: datetime, days: int) -> datetime:
    """When the reminder "days before the deadline" is due: the start of that Tehran calendar day (quiet hours
    move it to their end)."""
    day = deadline.astimezone(TEHRAN).date() - timedelta(days=days)
    return datetime.combine(day, time(0), tzinfo=TEHRAN)


def days_left(now: datetime, deadline: datetime) -> int:
    """Tehran calendar days from today to the deadline's day (0 on the deadline's day)."""
    return (deadline.astimezone(TEHRAN).date() - now.astimezone(TEHRAN).date()).days


def due(now: datetime, deadline: datetime, plan: Plan, sent_days: set[int] | frozenset[int] = frozenset(),
        sent_count: int = 0, last_sent: datetime | None = None) -> int | None:
    """The reminder (its days before the deadline) a holder is due now, or None.

    Only the latest reminder whose moment has come is ever due: one that could not go out (quiet hours, the gap)
    before the next one's moment is skipped, not sent late. sent_days: the plan's reminders this holder already
    has; sent_count and last_sent count every reminder the holder got in the round (a region's too)."""
    if now.astimezone(timezone.utc) >= deadline.astimezone(timezone.utc):
        return None
    come = [days for days in plan.days if reminder_moment(deadline, days) <= now]
    if not come:
        return None
    latest = min(come)
    if latest in sent_days or sent_count >= plan.max_per_holder:
        return None
    if last_sent is not None and now - last_sent < plan.min_gap:
        return None
    if in_quiet_hours(now, plan.quiet_start, plan.quiet_end):
        return None
    return latest
