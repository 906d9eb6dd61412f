"""The admin blueprint, on which each task module registers its routes."""

from flask import Blueprint

bp = Blueprint("admin", __name__)
