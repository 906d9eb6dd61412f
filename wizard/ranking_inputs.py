"""What a round's results are computed from (SPEC §5), read in a few set-based queries: each office's latest
submission (or, for one that submitted nothing, its latest in an earlier round), its confirmed scores, the points
of its decided violations and the values its accepted objections corrected."""

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from .extensions import db
from .models import Area
from .models import Objection
from .models import Office
from .models import Result
from .models import Round
from .models import Score
from .models import Submission
from .models import Violation
from .rules.rubric import Rubric
from .rules.scoring import Outside


@dataclass(frozen=True)
class OfficeRow:
    office_id: int
    province: str
    office_type: str
    available: int  # services in the office's area
    snapshot: str | None  # the JSON text scored, or None: no data at all
    basis: str  # submission (this round), earlier (an earlier round's), none
    basis_round_id: int | None


def offices(round_: Round):
    """Every office with the submission it is scored on."""
    this = _latest(sa.select(Submission.office_id, sa.func.max(Submission.id).label("id"))
                   .where(Submission.round_id == round_.id))
    earlier = _latest(sa.select(Submission.office_id, sa.func.max(Submission.id).label("id"))
                      .join(Round, Round.id == Submission.round_id)
                      .where(Round.id != round_.id, Round.opens_at <= round_.opens_at))
    own, carried = sa.orm.aliased(Submission), sa.orm.aliased(Submission)
    query = (sa.select(Office.id, Office.province, Office.office_type, Area.available_services, own.snapshot,
                       carried.snapshot, carried.round_id)
             .join(Area, Area.id == Office.area_id)
             .outerjoin(this, this.c.office_id == Office.id).outerjoin(own, own.id == this.c.id)
             .outerjoin(earlier, earlier.c.office_id == Office.id).outerjoin(carried, carried.id == earlier.c.id))
    for office_id, province, office_type, available, snapshot, old_snapshot, old_round in db.session.execute(query):
        if snapshot is not None:
            yield OfficeRow(office_id, province, office_type, available, snapshot, "submission", round_.id)
        elif round_.carry_forward and old_snapshot is not None:
            # Not reporting counts as confirming the earlier data (SPEC §1).
            yield OfficeRow(office_id, province, office_type, available, old_snapshot, "earlier", old_round)
        else:
            yield OfficeRow(office_id, province, office_type, available, None, "none", None)


def _latest(query):
    return query.group_by(Submission.office_id).subquery()


def outside(round_id: int) -> dict[int, Outside]:
    """Per office: its confirmed scores, its decided violations' points and its corrected values."""
    scores: dict[int, dict[str, int]] = defaultdict(dict)
    confirmed = sa.select(Score.office_id, Score.name, Score.value).where(Score.round_id == round_id,
                                                                          Score.status == "confirmed")
    for office_id, name, value in db.session.execute(confirmed):
        scores[office_id][name] = value
    penalties = dict(db.session.execute(
        sa.select(Violation.office_id, sa.func.sum(Violation.points))
        .where(Violation.round_id == round_id, Violation.status == "decided").group_by(Violation.office_id)).all())
    corrections: dict[int, dict[str, int]] = defaultdict(dict)
    accepted = (sa.select(Objection.office_id, Objection.criterion, Objection.corrected_value)
                .where(Objection.round_id == round_id, Objection.status == "accepted",
                       Objection.corrected_value.is_not(None))
                .order_by(Objection.answered_at, Objection.id))  # a later decision on the same criterion wins
    for office_id, criterion, value in db.session.execute(accepted):
        corrections[office_id][criterion] = value
    return {office_id: Outside(scores.get(office_id, {}), int(penalties.get(office_id) or 0),
                               corrections.get(office_id))
            for office_id in scores.keys() | penalties.keys() | corrections.keys()}


def missing_scores(round_: Round, rubric: Rubric) -> list[tuple[int, str]]:
    """(office id, score name) of every score results must wait for, by office: a required score not confirmed
    for an office it applies to, and any score entered but not confirmed yet (it would silently not count)."""
    status = {(office_id, name): state for office_id, name, state in db.session.execute(
        sa.select(Score.office_id, Score.name, Score.status).where(Score.round_id == round_.id))}
    missing = []
    for office_id, office_type in db.session.execute(sa.select(Office.id, Office.office_type).order_by(Office.id)):
        for spec in rubric.for_office_type(office_type).scores:
            state = status.get((office_id, spec.name))
            if state == "entered" or (spec.required and state != "confirmed"):
                missing.append((office_id, spec.name))
    return missing


def unsettled_objections(round_: Round) -> tuple[int, int]:
    """(objections still undecided, accepted ones the published version does not carry yet): both must be none
    before a version is approved as final."""
    undecided = db.session.scalar(sa.select(sa.func.count()).select_from(Objection)
                                  .where(Objection.round_id == round_.id, Objection.status == "open"))
    published = sa.orm.aliased(Result)
    accepted = (sa.select(Objection.criterion, Objection.corrected_value, published.breakdown)
                .outerjoin(published, sa.and_(published.round_id == Objection.round_id,
                                              published.office_id == Objection.office_id,
                                              published.version == round_.published_version))
                .where(Objection.round_id == round_.id, Objection.status == "accepted",
                       Objection.corrected_value.is_not(None)))
    unapplied = sum(((breakdown or {}).get("values") or {}).get(criterion) != value
                    for criterion, value, breakdown in db.session.execute(accepted))
    return undecided, unapplied
