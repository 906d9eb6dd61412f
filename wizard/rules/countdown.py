"""The countdown's tone and the epoch milliseconds its script runs on (SPEC §3); callers pass the time in."""

from datetime import UTC, datetime, timedelta

# The deadline module's own checks, so both agree on awareness and real elapsed time.
from .deadline import _require_aware, _utc

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

SOON = timedelta(days=3)
URGENT = timedelta(hours=24)
TONES = ("calm", "soon", "urgent", "closed")


def tone(now: datetime, deadline: datetime) -> str:
    """calm (more than 3 days left), soon (<= 3 days), urgent (<= 24 h), closed (after the deadline).

    The deadline instant itself is still open, as in deadline.is_open.
    """
    _require_aware(now=now, deadline=deadline)
    left = _utc(deadline) - _utc(now)
    if left < timedelta(0):
        return "closed"
    if left <= URGENT:
        return "urgent"
    return "soon" if left <= SOON else "calm"


def epoch_ms(moment: datetime) -> int:
    """Milliseconds since 1970 UTC, what the browser script counts in."""
    _require_aware(moment=moment)
    return (_utc(moment) - EPOCH) // timedelta(milliseconds=1)
