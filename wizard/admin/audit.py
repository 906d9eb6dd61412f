"""The audit log for the regulator: who did what, when, from where and how it ended, filtered and paged."""

import json
import re
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa
from flask import render_template
from flask import request
from flask_babel import lazy_gettext as _l

from ..auth.credentials import normalize_username
from ..auth.credentials import typed_username_key
from ..declaration.forms import options
from ..extensions import db
from ..filters import digits
from ..models import AuditEvent
from ..models import User
from ..rules.deadline import TEHRAN
from .blueprint import bp
from .forms import AuditFilterForm
from .paging import EMPTY
from .paging import paging_for
from .scope import admin_only

# No password is ever audited; a details key that looks like a secret is still masked, in case one slips in.
SECRET_KEY = re.compile(r"password|secret|token|otp", re.IGNORECASE)
ACTION_LABELS = {
    "login": _l("Sign-in"), "logout": _l("Sign-out"), "lockout": _l("Account locked"),
    "password-change": _l("Password change"), "password-reset": _l("Password reset by staff"),
    "totp-enroll": _l("Two-step sign-in set up"), "totp": _l("Two-step sign-in code"),
    "activation-code": _l("Activation code issued"), "user-create": _l("Account created"),
    "save": _l("Declaration saved"), "submit": _l("Declaration submitted"),
    "correction-request": _l("Correction requested"), "correction-accept": _l("Correction accepted"),
    "correction-reject": _l("Correction rejected"), "indicators": _l("Reviewer indicators entered"),
    "round-open": _l("Round opened"), "round-extend": _l("Deadline extended"), "round-close": _l("Round closed"),
    "results-compute": _l("Results computed"), "results-publish": _l("Results published"),
    "import-areas": _l("Areas imported"), "import-offices": _l("Offices imported"),
}
OUTCOME_LABELS = {"ok": _l("Succeeded"), "failed": _l("Failed"), "locked": _l("Refused: locked")}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def outcome_label(outcome: str) -> str:
    return str(OUTCOME_LABELS.get(outcome, outcome))


def _present(column) -> list[str]:
    return list(db.session.scalars(sa.select(column).distinct().order_by(column)))


def _filter_form() -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    form.action.choices = options(("", _l("All")), *((a, action_label(a)) for a in _present(AuditEvent.action)))
    form.outcome.choices = options(("", _l("All")), *((o, outcome_label(o)) for o in _present(AuditEvent.outcome)))
    return form


def _start_of(day) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=TEHRAN)  # days are Tehran days, whatever the server's zone


def _filtered(form: AuditFilterForm):
    query = sa.select(AuditEvent, User.username).outerjoin(User, User.id == AuditEvent.actor_id)
    if form.who.data:
        wanted = normalize_username(form.who.data)
        # A failed sign-in has no actor when the username does not exist; its target is the typed username's key.
        query = query.where(sa.or_(User.username == wanted, User.national_code == wanted,
                                   AuditEvent.target == f"typed:{typed_username_key(wanted)}"))
    if form.action.data:
        query = query.where(AuditEvent.action == form.action.data)
    if form.outcome.data:
        query = query.where(AuditEvent.outcome == form.outcome.data)
    if getattr(form.since, "day", None):
        query = query.where(AuditEvent.at >= _start_of(form.since.day))
    if getattr(form.until, "day", None):
        query = query.where(AuditEvent.at < _start_of(form.until.day + timedelta(days=1)))
    return query


def details_text(details: dict | None) -> str:
    """Compact one-line details; the template escapes them."""
    shown = {key: "***" if SECRET_KEY.search(key) else value for key, value in (details or {}).items()}
    return json.dumps(shown, ensure_ascii=False, sort_keys=True, separators=(", ", ": "), default=str) if shown else ""


def tehran_time(moment: datetime) -> str:
    return digits(moment.astimezone(TEHRAN).strftime("%H:%M:%S"))


@bp.get("/audit")
@admin_only
def audit():
    form = _filter_form()
    shown = {"form": form, "action_label": action_label, "outcome_label": outcome_label,
             "details_text": details_text, "tehran_time": tehran_time,
             "args": {key: value for key, value in request.args.items() if key != "page"}}
    if not form.validate():
        return render_template("admin/audit.html", rows=[], paging=EMPTY, **shown), 400
    query = _filtered(form)
    paging = paging_for(query)
    rows = paging.rows(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()))
    return render_template("admin/audit.html", rows=rows, paging=paging, **shown)
