"""Violations before the province's violations committee (SPEC §5), as staff keep them: recorded against an office
of their province, corrected until decided, then confirmed (its points subtracted at the next compute) or
dismissed, only after the holder's defence or once the defence period has ended. Every act is audited."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_login import current_user

from .. import clock
from ..declaration.forms import options
from ..extensions import db
from ..filters import jalali_datetime
from ..models import Office
from ..models import Round
from ..models import Violation
from ..models import audit
from ..results.violation_service import deadline_of
from ..rules import jalali
from ..rules.due_process import UNDECIDED
from ..rules.due_process import may_decide
from ..rules.vocabulary import VIOLATION_KINDS
from .scope import record_or_404
from .scope import records_in_scope

STATUSES = ("notified", "defended", "decided", "dismissed")


class ViolationRefused(Exception):
    """Why a violation cannot be recorded, changed or decided now, in the staff member's words."""


def violation_or_404(violation_id: int) -> tuple[Violation, Office]:
    return record_or_404(Violation, violation_id)


def province_list(round_: Round | None, status: str | None):
    """The round's violations in scope, newest first, for a paged list."""
    query = records_in_scope(Violation).where(Violation.round_id == (round_.id if round_ else None))
    if status in STATUSES:
        query = query.where(Violation.status == status)
    return query.order_by(Violation.recorded_at.desc(), Violation.id.desc())


def office_list(office: Office) -> list[tuple[Violation, Round]]:
    return db.session.execute(sa.select(Violation, Round).join(Round, Round.id == Violation.round_id)
                              .where(Violation.office_id == office.id)
                              .order_by(Violation.recorded_at.desc(), Violation.id.desc())).all()


def _writable_round(round_: Round | None) -> Round:
    if round_ is None or round_.status == "draft":
        raise ViolationRefused(_("There is no round to record the violation in."))
    if round_.approved_version is not None:
        raise ViolationRefused(_("The results of this round are final; its violations can no longer change."))
    return round_


def _details(form) -> dict:
    day = jalali.to_gregorian(form.occurred_on.data["year"], form.occurred_on.data["month"],
                              form.occurred_on.data["day"])
    return {"occurred_on": day, "kind": form.kind.data, "description": form.description.data,
            "points": form.points.data, "decision_note": form.note.data or None}


def _audited(details: dict) -> dict:
    """What the audit log keeps of a violation's fields: the day as a Jalali date, the rest as entered."""
    year, month, day = jalali.to_jalali(details["occurred_on"])
    return {"occurred_on": f"{year}/{month:02d}/{day:02d}", "violation_kind": details["kind"],
            "points": details["points"], "description": details["description"], "note": details["decision_note"]}


def record(office: Office, round_: Round | None, form) -> Violation:
    round_ = _writable_round(round_)
    details = _details(form)
    violation = Violation(round_id=round_.id, office_id=office.id, status="notified", recorded_by=current_user.id,
                          recorded_at=clock.now(), **details)
    db.session.add(violation)
    db.session.flush()
    audit("violation-record", target=f"office:{office.id}", violation=violation.id, round=round_.id,
          **_audited(details))
    db.session.commit()
    return violation


def edit(violation: Violation, office: Office, form) -> None:
    """Correct the record before the decision; a decided or dismissed violation is refused (and that is audited)."""
    details = _details(form)
    if violation.status not in UNDECIDED:
        audit("violation-edit", target=f"office:{office.id}", outcome="refused", violation=violation.id,
              status=violation.status)
        db.session.commit()
        raise ViolationRefused(_("The committee has decided this violation, so it can no longer be changed."))
    _writable_round(db.session.get(Round, violation.round_id))
    done = db.session.execute(sa.update(Violation).where(Violation.id == violation.id,
                                                         Violation.status.in_(UNDECIDED)).values(**details))
    if done.rowcount != 1:
        db.session.rollback()
        raise ViolationRefused(_("The committee has decided this violation, so it can no longer be changed."))
    audit("violation-edit", target=f"office:{office.id}", violation=violation.id, **_audited(details))
    db.session.commit()


def decidable(violation: Violation, now: datetime) -> bool:
    return may_decide(violation.status, now, deadline_of(violation))


def settle(violation: Violation, office: Office, outcome: str, form, now: datetime) -> None:
    """Record the committee's decision: outcome "decided" (points subtracted) or "dismissed"."""
    if not decidable(violation, now):
        audit(f"violation-{'decide' if outcome == 'decided' else 'dismiss'}", target=f"office:{office.id}",
              outcome="refused", violation=violation.id, status=violation.status)
        db.session.commit()
        if violation.status not in UNDECIDED:
            raise ViolationRefused(_("The committee's decision on this violation is already recorded."))
        raise ViolationRefused(_("The holder may still write a defence until %(moment)s; the committee decides "
                                 "after it.", moment=jalali_datetime(deadline_of(violation))))
    _writable_round(db.session.get(Round, violation.round_id))
    values = {"status": outcome, "decision_ref": form.decision_ref.data or None, "decision_note": form.note.data or None,
              "decided_by": current_user.id, "decided_at": now}
    if outcome == "decided":
        values["points"] = form.points.data
    done = db.session.execute(sa.update(Violation).where(Violation.id == violation.id,
                                                         Violation.status.in_(UNDECIDED)).values(**values))
    if done.rowcount != 1:
        db.session.rollback()
        raise ViolationRefused(_("The committee's decision on this violation is already recorded."))
    audit("violation-decide" if outcome == "decided" else "violation-dismiss", target=f"office:{office.id}",
          violation=violation.id, decision_ref=values["decision_ref"], points=values.get("points"),
          note=values["decision_note"])
    db.session.commit()


def kind_choices(labels: dict) -> list:
    return options(("", _("Choose…")), *((kind, labels[kind]) for kind in VIOLATION_KINDS))
