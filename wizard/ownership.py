"""A holder's own offices, shared by the declaration and results pages: any other office is a 404,
as if it did not exist."""

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import joinedload

from .extensions import db
from .models import Office

OFFICE_WITH_AREA = sa.select(Office).options(joinedload(Office.area)).where(Office.id == sa.bindparam("id"))


def own_office_or_404(office_id: int) -> Office:
    """One of the signed-in holder's offices, with its area."""
    return owned_or_404(db.session.execute(OFFICE_WITH_AREA, {"id": office_id}).scalar_one_or_none())


def owned_or_404(office: Office | None) -> Office:
    """The office if it is the signed-in holder's; another's, or none, is a 404."""
    if office is None or office.holder_id != current_user.id:
        abort(404)
    return office


def own_offices() -> list[Office]:
    """The signed-in holder's offices in license-number order."""
    owned = db.session.scalars(sa.select(Office).where(Office.holder_id == current_user.id))
    return sorted(owned, key=lambda office: office.license_number)  # code points, whatever the database collation
