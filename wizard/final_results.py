"""What the agencies get once a round's results are final (issue 21, item 6), shared by the staff export and the
JSON API: each office's code, type, place, rank and the services it may offer, from the approved version only.

Nothing about the holder (name, national code, mobile) and no score: agencies assign services by rank, find an office
by its code, and may check a result by its verification code at /verify."""

import sqlalchemy as sa

from .extensions import db
from .models import Area
from .models import Office
from .models import Result
from .models import Round

COLUMNS = (Office.office_code, Office.office_type, Office.province, Area.county, Area.code.label("area_code"),
           Area.name.label("area"), Result.rank, Result.allowed_services, Area.available_services,
           Result.verification_code)


def final_results(round_: Round):
    """A query of the approved version's rows (COLUMNS); the caller filters and orders it."""
    return (sa.select(*COLUMNS).join(Office, Office.id == Result.office_id).join(Area, Area.id == Office.area_id)
            .where(Result.round_id == round_.id, Result.version == round_.approved_version))


def approved_rounds() -> list[Round]:
    return list(db.session.scalars(sa.select(Round).where(Round.approved_version.is_not(None))
                                   .order_by(Round.approved_at.desc(), Round.id.desc())))


def approved_round(round_id: int) -> Round | None:
    """The round if its results are final; None for a round that is missing or not approved (the same to a caller)."""
    found = db.session.get(Round, round_id)
    return found if found is not None and found.approved_version is not None else None
