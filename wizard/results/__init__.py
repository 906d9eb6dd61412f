"""A holder's published results (rank, score breakdown, allowed services, printable page), their objections to
them, and the violations recorded against their offices with the holder's defence."""

from .blueprint import bp  # noqa: F401
from . import views  # noqa: F401 (their views register on bp)
from . import objections  # noqa: F401
from . import violations  # noqa: F401
