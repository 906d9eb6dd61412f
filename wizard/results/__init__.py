"""A holder's published results: rank, score breakdown, allowed services, printable page."""

from flask import Blueprint

bp = Blueprint("results", __name__)

from . import views  # noqa: E402,F401
