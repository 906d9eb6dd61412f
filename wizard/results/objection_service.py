"""Objections to a published result (SPEC §5): the window and its countdown, filing one, and what became of each.

A holder objects to one criterion of the published breakdown, once per criterion and round; the region accepts
it with the corrected measured value or rejects it with a reason. An accepted value replaces the measured one in
every version computed after it (ranking_inputs.outside), so an objection was applied in the first version after
the one objected to whose result carries that value; one that no computed version carries yet awaits a new one."""

import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import clock
from ..extensions import db
from ..filters import round_name
from ..models import Objection
from ..models import Office
from ..models import Result
from ..models import Round
from ..models import audit
from ..ranking import explain
from ..ranking import round_rubric
from ..rules import tracking
from ..rules.countdown import epoch_ms
from ..rules.countdown import tone
from ..rules.deadline import remaining_parts
from ..rules.due_process import objections_open
from ..rules.rubric import Criterion
from ..rules.scoring import Item
from ..rules.scoring import item_for
from ..timers import Countdown
from . import attachments


class ObjectionRefused(Exception):
    """Why an objection cannot be filed now, in the holder's words."""


@dataclass(frozen=True)
class Applied:
    """The first version of the results that carries an accepted objection's value, and when it was published."""

    version: int
    published_at: datetime | None


def window_open(round_: Round, now: datetime) -> bool:
    return objections_open(now, round_.published_version, round_.objections_close_at, round_.approved_version)


def countdown(round_: Round | None, now: datetime) -> Countdown | None:
    """The objection window's countdown card, once results are published with a window; else None."""
    if round_ is None or round_.published_version is None or round_.objections_close_at is None:
        return None
    closes = round_.objections_close_at
    if window_open(round_, now):
        phase, left, shade = "open", remaining_parts(now, closes), tone(now, closes)
    else:
        phase, left, shade = "closed", (0, 0, 0), "closed"
    return Countdown(title=round_name(round_), phase=phase, opens_at=round_.published_at or closes, deadline=closes,
                     remaining=left, tone=shade, server_now_ms=epoch_ms(now), deadline_ms=epoch_ms(closes))


def criteria(result: Result, round_: Round, office_type: str) -> tuple[Item, ...]:
    """The published breakdown's criteria: what an objection may name (none for an office scored on no data)."""
    breakdown, _next = explain(result, round_, office_type)
    return breakdown.items if breakdown else ()


def office_objections(office_id: int, round_id: int) -> list[Objection]:
    return db.session.scalars(sa.select(Objection).where(Objection.office_id == office_id,
                                                         Objection.round_id == round_id)
                              .order_by(Objection.id)).all()


def file_objection(office: Office, round_: Round, result: Result, criterion: str, reason: str,
         upload: attachments.Upload | None, user_id: int, now: datetime) -> Objection:
    """Record the holder's objection with its attachment and a tracking code; ObjectionRefused says why not."""
    if not window_open(round_, now):
        raise ObjectionRefused(_("The objection window has closed, so the objection was not sent."))
    if criterion not in {item.key for item in criteria(result, round_, office.office_type)}:
        raise ObjectionRefused(_("Choose the part of the result you object to."))
    # One filing at a time per office (PostgreSQL locks the row; SQLite's writers are serialised anyway).
    db.session.execute(sa.select(Office.id).where(Office.id == office.id).with_for_update())
    earlier = db.session.scalar(sa.select(Objection.tracking_code).where(
        Objection.office_id == office.id, Objection.round_id == round_.id, Objection.criterion == criterion))
    if earlier is not None:
        raise ObjectionRefused(_("You have already objected to this part of the result (tracking code %(code)s); "
                                 "its answer is on your results page.", code=tracking.grouped(earlier)))
    key = attachments.keep(upload) if upload else None
    objection = Objection(round_id=round_.id, office_id=office.id, result_version=round_.published_version,
                          criterion=criterion, reason=reason, tracking_code=_new_tracking_code(), filed_by=user_id,
                          filed_at=clock.now(), attachment_key=key, attachment_name=upload and upload.name,
                          attachment_type=upload and upload.content_type, attachment_size=upload and len(upload.data))
    try:
        db.session.add(objection)
        db.session.flush()
        audit("objection-file", target=f"office:{office.id}", objection=objection.id, criterion=criterion,
              tracking_code=objection.tracking_code, version=objection.result_version, attachment=key is not None)
        db.session.commit()
    except Exception:
        db.session.rollback()
        attachments.forget(key)
        raise
    return objection


def _new_tracking_code() -> str:
    while True:
        code = tracking.make_code("".join(secrets.choice("0123456789") for _ in range(9)))
        if not db.session.scalar(sa.select(Objection.id).where(Objection.tracking_code == code)):
            return code


def applied(objections: list[Objection], round_: Round, office_id: int, published_only: bool) -> dict[int, Applied]:
    """objection id -> the version that applied it, for this office's accepted objections; published_only: among
    the versions holders have seen (a computed version is not shown to holders until it is published)."""
    accepted = [o for o in objections if o.status == "accepted" and o.corrected_value is not None]
    if not accepted:
        return {}
    last = round_.published_version if published_only else round_.results_version
    rows = db.session.execute(sa.select(Result.version, Result.breakdown, Result.published_at)
                              .where(Result.round_id == round_.id, Result.office_id == office_id,
                                     Result.version > min(o.result_version for o in accepted),
                                     Result.version <= (last or 0))
                              .order_by(Result.version)).all()
    found = {}
    for objection in accepted:
        for version, breakdown, published_at in rows:
            values = (breakdown or {}).get("values") or {}
            if version > objection.result_version and values.get(objection.criterion) == objection.corrected_value:
                found[objection.id] = Applied(version, published_at)
                break
    return found


def awaiting_new_version(round_: Round, province: str | None = None) -> int:
    """Accepted objections that the latest computed version does not carry yet: the next compute applies them."""
    latest = sa.orm.aliased(Result)
    query = (sa.select(Objection.criterion, Objection.corrected_value, latest.breakdown)
             .join(Office, Office.id == Objection.office_id)
             .outerjoin(latest, sa.and_(latest.round_id == Objection.round_id, latest.office_id == Objection.office_id,
                                        latest.version == round_.results_version))
             .where(Objection.round_id == round_.id, Objection.status == "accepted",
                    Objection.corrected_value.is_not(None)))
    if province is not None:
        query = query.where(Office.province == province)
    return sum(((breakdown or {}).get("values") or {}).get(criterion) != value
               for criterion, value, breakdown in db.session.execute(query))


@dataclass(frozen=True)
class Story:
    """One objection as its pages tell it: the criterion as scored in the version objected to, what the accepted
    value scores instead, and the version that applied it."""

    round: Round
    objected: Item | None  # None if the rubric no longer has the criterion (a round's rubric never changes)
    corrected: Item | None
    applied: Applied | None


def story(objection: Objection, office: Office, published_only: bool) -> Story:
    round_ = db.session.get(Round, objection.round_id)
    result = db.session.scalar(sa.select(Result).where(Result.round_id == round_.id, Result.office_id == office.id,
                                                       Result.version == objection.result_version))
    items = {item.key: item for item in criteria(result, round_, office.office_type)} if result else {}
    objected = items.get(objection.criterion)
    corrected = None
    if objection.status == "accepted" and objection.corrected_value is not None and objected is not None:
        corrected = item_for(criterion_of(round_, office.office_type, objection.criterion), objection.corrected_value)
    found = applied([objection], round_, office.id, published_only).get(objection.id)
    return Story(round_, objected, corrected, found)


def criterion_of(round_: Round, office_type: str, key: str) -> Criterion | None:
    return next((c for c in round_rubric(round_).for_office_type(office_type).criteria if c.key == key), None)
