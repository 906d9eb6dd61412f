"""The one source of "now": every part of the app asks here, tests set it here."""

from datetime import UTC
from datetime import datetime

_frozen: datetime | None = None


def now() -> datetime:
    """The current time as an aware UTC datetime (or the time a test froze)."""
    return _frozen if _frozen is not None else datetime.now(UTC)


def freeze(moment: datetime | None) -> None:
    """Pin now() to an aware moment, or release it with None (tests and demos only)."""
    if moment is not None and moment.tzinfo is None:
        raise ValueError("freeze() needs an aware datetime")
    global _frozen
    _frozen = moment.astimezone(UTC) if moment is not None else None
