"""Regional staff and the regulator: holder accounts (more of the console comes with its own issue)."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from . import views  # noqa: E402,F401
