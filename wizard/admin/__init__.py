"""Regional staff and the regulator: progress, offices, corrections, indicators, imports, exports, audit.

Views are split by task (Notify's layout): each module registers its routes on `bp`."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from . import views  # noqa: E402,F401
