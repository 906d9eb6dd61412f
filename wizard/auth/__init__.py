"""Signing in and out, the forced password change and the staff second factor."""

from . import recovery  # noqa: F401 (its views are registered on the same blueprint)
from .views import bp  # noqa: F401 (its views are registered on it)
