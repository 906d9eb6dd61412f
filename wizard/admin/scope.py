"""What a staff member may see: a region its own province, an admin everything (SPEC §1)."""

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from ..access import roles
from ..extensions import db
from ..models import STAFF_ROLES
from ..models import Office

staff = roles(*STAFF_ROLES)
admin_only = roles("admin")


def offices_in_scope(query=None):
    """An Office query limited to the current staff member's provinces."""
    query = sa.select(Office) if query is None else query
    if current_user.role == "region":
        query = query.where(Office.province == current_user.province)
    return query


def office_or_404(office_id: int) -> Office:
    """Another province's office is as invisible as a missing one."""
    office = db.session.scalar(offices_in_scope().where(Office.id == office_id))
    if office is None:
        abort(404)
    return office


def provinces_in_scope() -> list[str] | None:
    """The provinces shown to this staff member; None means all of them."""
    return [current_user.province] if current_user.role == "region" else None
