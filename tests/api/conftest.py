"""The cycle's fixtures (tests/cycle.py, tests/agencies.py) for the API's tests."""

from tests.agencies import approved  # noqa: F401
from tests.cycle import published  # noqa: F401
