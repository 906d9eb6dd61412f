"""`flask messages tick`: what a cron entry (every few minutes) or any scheduler runs. It queues the deadline
reminders that are due (wizard/rules/reminders.py) and the round-opened messages of a round that has just opened,
and hands messages a lost job left behind to the queue again. Running it twice queues nothing twice."""

from datetime import timedelta

import sqlalchemy as sa

from .. import clock
from ..extensions import db
from ..models import Message
from ..models import Office
from ..models import ReminderPlan
from ..models import Round
from ..rounds import open_round
from ..rules import jalali
from ..rules import reminders
from . import delivery
from . import events
from . import send_many

REMINDER_EVENTS = ("reminder", "bulk_reminder")  # both count towards a holder's cap and gap
LOST_AFTER = timedelta(minutes=2)  # a queued message this much past its time lost its job


def plan_of(row: ReminderPlan | None) -> reminders.Plan | None:
    if row is None or not row.days:
        return None
    return reminders.Plan(days=tuple(row.days), max_per_holder=row.max_per_holder,
                          min_gap=timedelta(hours=row.min_gap_hours), quiet_start=row.quiet_start,
                          quiet_end=row.quiet_end)


def queue_reminders(round_: Round, now) -> int:
    """Queue the reminders due now to holders with an office that has not submitted; returns how many."""
    plan = plan_of(db.session.get(ReminderPlan, round_.id))
    if plan is None or not round_.accepts_declarations(now):
        return 0
    if reminders.in_quiet_hours(now, plan.quiet_start, plan.quiet_end):
        return 0
    history: dict[int, dict] = {}
    for user_id, key, event, created_at in db.session.execute(
            sa.select(Message.user_id, Message.key, Message.event, Message.created_at)
            .where(Message.round_id == round_.id, Message.event.in_(REMINDER_EVENTS))):
        seen = history.setdefault(user_id, {"days": set(), "count": 0, "last": None})
        seen["count"] += 1
        seen["last"] = max(filter(None, (seen["last"], created_at)))
        if event == "reminder":
            seen["days"].add(int(key.rsplit(":", 1)[1]))
    deadline = jalali.format_datetime(round_.deadline, locale="fa")
    left = reminders.days_left(now, round_.deadline)
    recipients = []
    for user_id, mobile, province, count in events.holders(Office.id.in_(events.not_submitted_ids(round_.id))):
        seen = history.get(user_id, {"days": set(), "count": 0, "last": None})
        days = reminders.due(now, round_.deadline, plan, seen["days"], seen["count"], seen["last"])
        if days is not None:
            recipients.append({"mobile": mobile, "key": f"reminder:{round_.id}:{user_id}:{days}", "user_id": user_id,
                               "round_id": round_.id, "province": province,
                               "context": {"days": left, "deadline": deadline, "count": count}})
    return send_many("reminder", "reminder", recipients)


def sweep(now) -> int:
    """Queued messages whose job was lost, and messages a dead worker left "sending", go to the queue again."""
    db.session.execute(sa.update(Message).where(Message.status == "sending", Message.next_attempt_at <= now)
                       .values(status="queued"))  # its worker's lease (delivery.LEASE) ran out
    due = sa.or_(sa.and_(Message.next_attempt_at.is_(None), Message.created_at <= now - LOST_AFTER),
                 Message.next_attempt_at <= now)
    ids = list(db.session.scalars(sa.select(Message.id).where(Message.status == "queued", due).order_by(Message.id)))
    db.session.commit()
    if ids:
        delivery.dispatch(ids)
    return len(ids)


def tick() -> dict[str, int]:
    """One pass: the round-opened messages, the reminders due, and the sweep (each committed)."""
    now = clock.now()
    counts = {"opened": 0, "reminders": 0, "retried": 0}
    round_ = open_round()
    if round_ is not None and round_.accepts_declarations(now):
        already = db.session.scalar(sa.select(Message.id).where(Message.round_id == round_.id,
                                                                 Message.event == "round_opened").limit(1))
        if already is None:
            counts["opened"] = events.round_opened(round_)
        counts["reminders"] = queue_reminders(round_, now)
        db.session.commit()
    counts["retried"] = sweep(now)
    return counts
