"""Violations as their holder meets them (SPEC §5): each recorded against their offices, with the period for a
defence, and the defence itself, written (and rewritten) until the committee's decision is recorded."""

from datetime import datetime

import sqlalchemy as sa
from flask import abort
from flask import current_app
from flask_babel import gettext as _

from .. import clock
from ..extensions import db
from ..models import Round
from ..models import Violation
from ..models import audit
from ..rules.due_process import UNDECIDED
from ..rules.due_process import defence_deadline


class DefenceRefused(Exception):
    """Why a defence cannot be saved, in the holder's words."""


def deadline_of(violation: Violation) -> datetime:
    """The end of the holder's defence period: after it the committee may decide without a defence."""
    return defence_deadline(violation.recorded_at, current_app.config["VIOLATION_DEFENCE_DAYS"])


def office_violations(office_id: int) -> list[tuple[Violation, Round]]:
    """Every violation recorded against the office, newest first, with its round."""
    return db.session.execute(sa.select(Violation, Round).join(Round, Round.id == Violation.round_id)
                              .where(Violation.office_id == office_id)
                              .order_by(Violation.recorded_at.desc(), Violation.id.desc())).all()


def office_violation_or_404(office_id: int, violation_id: int) -> tuple[Violation, Round]:
    """One violation of this (already checked) office; another office's is a 404."""
    found = db.session.execute(sa.select(Violation, Round).join(Round, Round.id == Violation.round_id)
                               .where(Violation.id == violation_id, Violation.office_id == office_id)).first()
    if found is None:
        abort(404)
    return found[0], found[1]


def awaiting_defence(office_ids: list[int]) -> dict[int, int]:
    """office id -> how many of its violations are recorded and still have no defence and no decision."""
    if not office_ids:
        return {}
    return dict(db.session.execute(sa.select(Violation.office_id, sa.func.count())
                                   .where(Violation.office_id.in_(office_ids), Violation.status == "notified")
                                   .group_by(Violation.office_id)).all())


def defend(violation: Violation, text: str, office_id: int) -> None:
    """Save the holder's defence (a later one replaces it) unless the committee has decided meanwhile."""
    now = clock.now()
    done = db.session.execute(sa.update(Violation).where(Violation.id == violation.id,
                                                         Violation.status.in_(UNDECIDED))
                              .values(defence=text, defended_at=now, status="defended"))
    if done.rowcount != 1:
        db.session.rollback()
        raise DefenceRefused(_("The committee's decision was recorded before your defence arrived, so it was not "
                               "saved. What you wrote is still below."))
    audit("violation-defend", target=f"office:{office_id}", violation=violation.id, defence=text)
    db.session.commit()
    db.session.refresh(violation)
