"""Objections as the region answers them (SPEC §5): accepted with the criterion's right measured value (what it
would score is shown first) or rejected with a reason; an accepted one is applied by the next compute, and the
admin publishes that version as a whole. Every answer is audited; of two staff answering at once, one wins."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..i18n import locale_name
from ..models import Objection
from ..models import Office
from ..models import Result
from ..models import Round
from ..models import audit
from ..notify import events as notify_events
from ..ranking import round_rubric
from ..rules import scoring
from ..rules.scoring import Item
from .scope import record_or_404
from .scope import records_in_scope

STATUSES = ("open", "accepted", "rejected")
MEASURE_HIGH = 10**9


class AnswerRefused(Exception):
    """Why an objection cannot be answered (or with this value), in the staff member's words."""


def objection_or_404(objection_id: int) -> tuple[Objection, Office]:
    return record_or_404(Objection, objection_id)


def province_list(round_: Round | None, status: str | None):
    """The round's objections in scope: waiting ones first (oldest first), then the answered, newest first."""
    query = records_in_scope(Objection).where(Objection.round_id == (round_.id if round_ else None))
    if status in STATUSES:
        query = query.where(Objection.status == status)
    return query.order_by((Objection.status != "open"), sa.case((Objection.status == "open", Objection.id),
                                                                 else_=-Objection.id))


@dataclass(frozen=True)
class Preview:
    """What accepting a value would do: the criterion's line and the office's total and rank, before and after
    (with this office's other accepted objections, and nothing else changing)."""

    value: int
    before: Item
    after: Item
    total_before: int
    total_after: int
    rank_before: int
    rank_after: int


def range_of(objection: Objection, office: Office, round_: Round) -> tuple[int, int]:
    """The values a criterion can measure: a score's own range, else a count from 0."""
    criterion = _criterion(round_, office, objection.criterion)
    if criterion is not None and criterion.low is not None:
        return criterion.low, criterion.high
    return 0, MEASURE_HIGH


def _criterion(round_: Round, office: Office, key: str):
    return next((c for c in round_rubric(round_).for_office_type(office.office_type).criteria if c.key == key), None)


def preview(objection: Objection, office: Office, round_: Round, value: int) -> Preview | None:
    """None when the result objected to has no breakdown (nothing to preview)."""
    result = db.session.scalar(sa.select(Result).where(Result.round_id == round_.id, Result.office_id == office.id,
                                                       Result.version == round_.published_version))
    rubric = round_rubric(round_).for_office_type(office.office_type)
    values = dict((result.breakdown or {}).get("values") or {}) if result else {}
    if objection.criterion not in values or _criterion(round_, office, objection.criterion) is None:
        return None
    others = db.session.execute(sa.select(Objection.criterion, Objection.corrected_value).where(
        Objection.round_id == round_.id, Objection.office_id == office.id, Objection.status == "accepted",
        Objection.id != objection.id, Objection.corrected_value.is_not(None)).order_by(Objection.answered_at)).all()
    after = values | dict(others) | {objection.criterion: value}
    total = {name: sum(scoring.points_for(c, source[c.key]) * c.weight for c in rubric.criteria)
             for name, source in (("before", values), ("after", after))}
    criterion = _criterion(round_, office, objection.criterion)
    return Preview(value=value, before=scoring.item_for(criterion, values[objection.criterion]),
                   after=scoring.item_for(criterion, value), total_before=total["before"], total_after=total["after"],
                   rank_before=scoring.rank(total["before"], rubric), rank_after=scoring.rank(total["after"], rubric))


def _answerable(objection: Objection, round_: Round) -> None:
    if objection.status != "open":
        raise AnswerRefused(_("This objection has already been answered; nothing was changed."))
    if round_.approved_version is not None:
        raise AnswerRefused(_("The results of this round are final; objections can no longer be answered."))


def check_value(objection: Objection, office: Office, round_: Round, value: int) -> None:
    low, high = range_of(objection, office, round_)
    if not low <= value <= high:
        raise AnswerRefused(_("Enter a number from %(min)s to %(max)s.", min=low, max=high))
    current = preview(objection, office, round_, value)
    if current is not None and current.before.value == value:
        raise AnswerRefused(_("This is the value already counted. Enter the right value, or reject the objection "
                              "with a reason."))


def _close(objection: Objection, values: dict) -> None:
    done = db.session.execute(sa.update(Objection).where(Objection.id == objection.id, Objection.status == "open")
                              .values(answered_by=current_user.id, **values))
    if done.rowcount != 1:
        db.session.rollback()
        raise AnswerRefused(_("This objection has already been answered; nothing was changed."))


def accept(objection: Objection, office: Office, round_: Round, value: int, note: str | None, now: datetime) -> None:
    _answerable(objection, round_)
    check_value(objection, office, round_, value)
    _close(objection, {"status": "accepted", "corrected_value": value, "answer": note or None, "answered_at": now})
    audit("objection-accept", target=f"office:{office.id}", objection=objection.id, criterion=objection.criterion,
          tracking_code=objection.tracking_code, corrected_value=value, answer=note or None)
    notify_events.objection_answered(objection, office, accepted=True)
    db.session.commit()


def reject(objection: Objection, office: Office, round_: Round, answer: str, now: datetime) -> None:
    _answerable(objection, round_)
    _close(objection, {"status": "rejected", "answer": answer, "answered_at": now})
    audit("objection-reject", target=f"office:{office.id}", objection=objection.id, criterion=objection.criterion,
          tracking_code=objection.tracking_code, answer=answer)
    notify_events.objection_answered(objection, office, accepted=False)
    db.session.commit()


def bands_of(objection: Objection, office: Office, round_: Round) -> list[tuple[int, int]]:
    """The criterion's bands as (from this value, points × weight): what any value scores under the rubric."""
    criterion = _criterion(round_, office, objection.criterion)
    return [(band.min, band.points * criterion.weight) for band in criterion.bands] if criterion else []


def criterion_labels(round_: Round, office_type: str) -> dict[str, str]:
    english = locale_name() == "en"
    return {c.key: c.label_en if english else c.label_fa for c in round_rubric(round_).for_office_type(office_type).criteria}
