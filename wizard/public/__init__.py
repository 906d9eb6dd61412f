"""Pages anyone may see: home, language switch (later: result verification)."""

from .views import bp  # noqa: F401 (its views are registered on it)
