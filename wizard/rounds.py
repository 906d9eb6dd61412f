"""Queries about rounds that several areas share."""

import sqlalchemy as sa

from .extensions import db
from .models import Round


def open_round() -> Round | None:
    """The round currently taking declarations (the newest open one)."""
    query = sa.select(Round).where(Round.status == "open").order_by(Round.opens_at.desc())
    return db.session.scalars(query.limit(1)).first()


def current_round() -> Round | None:
    """The round holders see now: the newest one that is not a draft (open, closed or published)."""
    query = sa.select(Round).where(Round.status != "draft").order_by(Round.opens_at.desc())
    return db.session.scalars(query.limit(1)).first()
