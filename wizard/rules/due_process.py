"""Due process (SPEC §5): when a violation may be decided and when objections may be filed; callers pass the time in."""

from datetime import datetime
from datetime import timedelta

from .deadline import TEHRAN
from .deadline import _require_aware
from .deadline import _utc
from .deadline import end_of_day

UNDECIDED = ("notified", "defended")


def defence_deadline(recorded_at: datetime, days: int) -> datetime:
    """The end (23:59:59 Tehran time) of the day `days` days after the Tehran day a violation was recorded."""
    _require_aware(recorded_at=recorded_at)
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValueError("days must be an integer >= 0")
    return end_of_day(recorded_at.astimezone(TEHRAN).date() + timedelta(days=days))


def may_defend(status: str) -> bool:
    """The holder may write (or rewrite) a defence until the committee's decision is recorded."""
    return status in UNDECIDED


def may_decide(status: str, now: datetime, deadline: datetime) -> bool:
    """The committee decides after the holder's defence, or once the defence period has ended without one."""
    _require_aware(now=now, deadline=deadline)
    if status == "defended":
        return True
    return status == "notified" and _utc(now) > _utc(deadline)


def objections_open(now: datetime, published_version: int | None, closes_at: datetime | None,
                    approved_version: int | None) -> bool:
    """Objections are filed after a publication, up to and including the closing second, until final approval."""
    _require_aware(now=now)
    if published_version is None or closes_at is None or approved_version is not None:
        return False
    _require_aware(closes_at=closes_at)
    return _utc(now) <= _utc(closes_at)
