"""A holder's published results: rank, score breakdown, allowed services, printable page."""

from .views import bp  # noqa: F401 (its views are registered on it)
