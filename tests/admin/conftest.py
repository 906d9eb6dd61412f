"""The cycle's shared fixtures (tests/cycle.py)."""

from tests.cycle import published  # noqa: F401
from tests.cycle import recorded  # noqa: F401
from tests.agencies import approved  # noqa: F401
