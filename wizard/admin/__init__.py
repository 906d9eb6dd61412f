"""Regional staff and the regulator: progress, offices, corrections, scores, imports, exports, audit.

Views are split by task (Notify's layout): each module registers its routes on `bp`."""

from . import views  # noqa: F401 (imports every task module, so their routes register)
from .blueprint import bp  # noqa: F401
