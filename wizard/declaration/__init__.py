"""The holder's self-declaration wizard (SPEC §4)."""

from .views import bp  # noqa: F401 (its views are registered on it)
