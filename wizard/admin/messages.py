"""The SMS outbox for staff (a region sees its province's messages, an admin all), retries of failed messages, the
round's reminder plan (admins) and a region's reminder to its non-submitters (preview, then confirm)."""

import secrets

import sqlalchemy as sa
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import clock
from ..extensions import db
from ..models import MESSAGE_STATES
from ..models import Message
from ..models import ReminderPlan
from ..models import Round
from ..models import User
from ..models import audit
from ..notify import bulk
from ..notify import delivery
from ..notify.reminders import plan_of
from ..notify.texts import shown_text
from ..rounds import current_round
from ..rules import reminders
from ..rules.sms import MAX_PARTS
from ..rules.text import InputError
from .blueprint import bp
from .export_common import download
from .export_common import stream
from .export_common import when
from .forms import BulkMessageForm
from .forms import ReminderPlanForm
from .paging import paging_for
from .scope import PROVINCIAL_ROLES
from .scope import admin_only
from .scope import staff
from .xlsx_files import ID
from .xlsx_files import NUMBER
from .xlsx_files import TEXT

EVENT_LABELS = {
    "round_opened": _l("Round opened"), "reminder": _l("Deadline reminder"), "bulk_reminder": _l("Region's reminder"),
    "deadline_extended": _l("Deadline extended"), "correction_answered": _l("Correction answered"),
    "objection_answered": _l("Objection answered"), "results_published": _l("Results published"),
    "receipt": _l("Submission receipt"), "recovery": _l("Password recovery"),
}
MESSAGE_STATUS_LABELS = {"queued": _l("Queued"), "sending": _l("Sending"), "sent": _l("Sent"),
                         "delivered": _l("Delivered"), "failed": _l("Failed")}
DEFAULT_QUIET = (22, 8)  # when a round has no reminder plan


def _in_scope(query):
    if current_user.role in PROVINCIAL_ROLES:
        query = query.where(Message.province == current_user.province)
    return query


def _filters() -> dict:
    chosen = {"status": request.args.get("status", ""), "event": request.args.get("event", "")}
    return {name: value for name, value in chosen.items()
            if value in (MESSAGE_STATES if name == "status" else EVENT_LABELS)}


def _listing(filters: dict):
    query = _in_scope(sa.select(Message, User.full_name).outerjoin(User, User.id == Message.user_id))
    if "status" in filters:
        query = query.where(Message.status == filters["status"])
    if "event" in filters:
        query = query.where(Message.event == filters["event"])
    return query.order_by(Message.id.desc())


def figures() -> list[dict]:
    """Per event: messages by status, the total and the share delivered or sent."""
    counts: dict[str, dict] = {}
    query = _in_scope(sa.select(Message.event, Message.status, sa.func.count()).group_by(Message.event, Message.status))
    for event, status, number in db.session.execute(query):
        counts.setdefault(event, dict.fromkeys(MESSAGE_STATES, 0))[status] = number
    rows = []
    for event in sorted(counts, key=lambda name: list(EVENT_LABELS).index(name) if name in EVENT_LABELS else 99):
        total = sum(counts[event].values())
        done = counts[event]["sent"] + counts[event]["delivered"]
        rows.append({"event": event, "counts": counts[event], "total": total, "percent": done * 100 // total})
    return rows


@bp.get("/messages")
@staff
def outbox():
    filters = _filters()
    query = _listing(filters)
    paging = paging_for(query)
    return render_template("admin/outbox.html", rows=paging.rows(query), paging=paging, filters=filters,
                           figures=figures(), events=EVENT_LABELS, statuses=MESSAGE_STATUS_LABELS,
                           states=MESSAGE_STATES, shown_text=shown_text)


OUTBOX_FIELDS = ((_l("Number"), NUMBER), (_l("Queued at"), TEXT), (_l("Event"), TEXT), (_l("Mobile"), ID),
                 (_l("Recipient"), TEXT), (_l("Province"), TEXT), (_l("Text"), TEXT), (_l("SMS parts"), NUMBER),
                 (_l("Status"), TEXT), (_l("Attempts"), NUMBER), (_l("Provider's id"), ID), (_l("Sent at"), TEXT),
                 (_l("Last error"), TEXT))


@bp.get("/messages.csv")
@staff
def export_outbox():
    filters = _filters()
    query = _listing(filters)
    audit("export", target=None, kind="messages", format="csv",
          province=current_user.province if current_user.role in PROVINCIAL_ROLES else None, **filters)
    db.session.commit()
    events = {key: str(label) for key, label in EVENT_LABELS.items()}
    statuses = {key: str(label) for key, label in MESSAGE_STATUS_LABELS.items()}
    return download("csv", "messages.csv", _l("Messages"), OUTBOX_FIELDS, (
        [m.id, when(m.created_at), events.get(m.event, m.event), m.mobile, name or "", m.province or "",
         shown_text(m.template, m.text), m.parts,
         statuses[m.status], m.attempts, m.provider_id or "", when(m.sent_at), m.last_error or ""]
        for m, name in stream(query)))


@bp.post("/messages/<int:message_id>/retry")
@staff
def retry_message(message_id: int):
    message = db.session.scalar(_in_scope(sa.select(Message)).where(Message.id == message_id))
    if message is None:
        abort(404)  # another province's message is as invisible as a missing one
    done = db.session.execute(sa.update(Message).where(Message.id == message.id, Message.status == "failed")
                              .values(status="queued", attempts=0, next_attempt_at=None))
    if done.rowcount != 1:
        db.session.rollback()
        flash(_("Only a failed message can be sent again; this one is not failed."), "info")
    else:
        audit("message-retry", target=f"message:{message.id}", event=message.event, attempts=message.attempts,
              last_error=message.last_error)
        delivery.after_commit(db.session(), [message.id])
        db.session.commit()
        flash(_("The message is queued to be sent again."), "success")
    return redirect(request.form.get("back") if _is_outbox_url(request.form.get("back"))
                    else url_for("admin.outbox"), 303)


def _is_outbox_url(url: str | None) -> bool:
    return bool(url) and url.startswith(url_for("admin.outbox")) and "//" not in url and "\\" not in url


@bp.route("/rounds/<int:round_id>/reminders", methods=["GET", "POST"])
@admin_only
def reminder_plan(round_id: int):
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        abort(404)
    plan = db.session.get(ReminderPlan, round_.id)
    form = ReminderPlanForm(obj=plan) if request.method == "GET" and plan else ReminderPlanForm()
    if request.method == "GET" and plan:
        form.days.data = ",".join(str(day) for day in plan.days)
    if request.method == "POST" and form.validate():
        try:
            days = reminders.parse_days(form.days.data)
        except InputError:
            form.days.errors.append(_("Enter whole numbers of days from 1 to %(max)s, separated by commas, "
                                      "at most %(count)s of them.", max=reminders.MAX_DAYS, count=reminders.MAX_REMINDERS))
        else:
            plan = plan or ReminderPlan(round_id=round_.id)
            plan.days, plan.max_per_holder, plan.min_gap_hours = list(days), form.max_per_holder.data, form.min_gap_hours.data
            plan.quiet_start, plan.quiet_end, plan.updated_by = form.quiet_start.data, form.quiet_end.data, current_user.id
            db.session.add(plan)
            audit("reminder-plan", target=f"round:{round_.id}", days=list(days), max_per_holder=plan.max_per_holder,
                  min_gap_hours=plan.min_gap_hours, quiet=[plan.quiet_start, plan.quiet_end])
            db.session.commit()
            flash(_("The reminder plan is saved."), "success")
            return redirect(url_for("admin.reminder_plan", round_id=round_.id), 303)
    moments = [(day, reminders.reminder_moment(round_.deadline, day)) for day in (plan.days if plan else [])]
    return render_template("admin/reminder_plan.html", round=round_, form=form, moments=moments), \
        400 if form.errors else 200


def _province() -> str | None:
    return current_user.province if current_user.role in PROVINCIAL_ROLES else None


def _quiet_now(round_) -> tuple[int, int] | None:
    plan = plan_of(db.session.get(ReminderPlan, round_.id))
    start, end = (plan.quiet_start, plan.quiet_end) if plan else DEFAULT_QUIET
    return (start, end) if reminders.in_quiet_hours(clock.now(), start, end) else None


def _open_round_or_back():
    round_ = current_round()
    if round_ is None or not round_.accepts_declarations(clock.now()):
        flash(_("Reminders go only to offices of a round whose window is open."), "error")
        return None
    return round_


@bp.get("/non-submitters/message")
@staff
def bulk_preview():
    round_ = _open_round_or_back()
    if round_ is None:
        return redirect(url_for("admin.non_submitters"), 303)
    form = BulkMessageForm(request.args)
    form.batch.data = secrets.token_urlsafe(12)
    valid = form.validate()
    found = bulk.preview(round_, _province(), form.note.data or "")
    if valid and found.parts > MAX_PARTS:
        form.note.errors.append(_("The message would take %(parts)s SMS parts; shorten the note so it fits in "
                                  "%(max)s.", parts=found.parts, max=MAX_PARTS))
    return render_template("admin/bulk_message.html", round=round_, form=form, preview=found,
                           quiet=_quiet_now(round_), can_send=not form.errors and found.recipients > 0
                           and _quiet_now(round_) is None)


@bp.post("/non-submitters/message")
@staff
def bulk_send():
    round_ = _open_round_or_back()
    if round_ is None:
        return redirect(url_for("admin.non_submitters"), 303)
    form = BulkMessageForm()
    note = form.note.data or ""
    if not form.validate() or not form.batch.data or bulk.preview(round_, _province(), note).parts > MAX_PARTS:
        flash(_("The message could not be sent; check it and try again."), "error")
        return redirect(url_for("admin.bulk_preview", note=note), 303)
    if _quiet_now(round_):
        start, end = _quiet_now(round_)
        flash(_("No messages are sent from %(start)s to %(end)s Tehran time; send it after the quiet hours.",
                start=f"{start:02d}:00", end=f"{end:02d}:00"), "error")
        return redirect(url_for("admin.bulk_preview", note=note), 303)
    count = bulk.send(round_, _province(), note, form.batch.data[:40])
    audit("bulk-message", target=f"round:{round_.id}", province=_province(), recipients=count, note=note or None)
    db.session.commit()
    flash(_("%(count)s messages are queued; their delivery shows in the outbox.", count=count), "success")
    return redirect(url_for("admin.outbox", event="bulk_reminder"), 303)
