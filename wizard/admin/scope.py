"""What a staff member may see: a region its own province, an admin everything (SPEC §1)."""

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from ..access import roles
from ..extensions import db
from ..models import CONSOLE_ROLES
from ..models import Office

staff = roles(*CONSOLE_ROLES)  # the console: regions and admins (an association has its own pages)
admin_only = roles("admin")
PROVINCIAL_ROLES = ("region", "association")  # staff who see one province


def offices_in_scope(query=None):
    """An Office query limited to the current staff member's provinces."""
    query = sa.select(Office) if query is None else query
    if current_user.role in PROVINCIAL_ROLES:
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
    return [current_user.province] if current_user.role in PROVINCIAL_ROLES else None


def records_in_scope(model, query=None):
    """A (record, Office) query of a table with an office_id, limited to the staff member's provinces."""
    query = sa.select(model, Office) if query is None else query
    return offices_in_scope(query.join(Office, Office.id == model.office_id))


def record_or_404(model, record_id: int):
    """A record and its office; another province's record is as invisible as a missing one."""
    found = db.session.execute(records_in_scope(model).where(model.id == record_id)).first()
    if found is None:
        abort(404)
    return found[0], found[1]
