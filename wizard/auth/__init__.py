"""Signing in and out, the forced password change and the staff second factor."""

from .views import bp  # noqa: F401 (its views are registered on it)
