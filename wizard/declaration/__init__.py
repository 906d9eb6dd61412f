"""The holder's self-declaration wizard (SPEC §4)."""

from flask import Blueprint

bp = Blueprint("declaration", __name__)

from . import views  # noqa: E402,F401
