"""The audit log for the regulator: who did what, when, from where and how it ended, filtered and paged."""

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
from ..models import AuditEvent
from ..models import User
from ..rules.deadline import TEHRAN
from .audit_view import action_label
from .audit_view import describe
from .audit_view import outcome_label
from .blueprint import bp
from .forms import AuditFilterForm
from .paging import EMPTY
from .paging import paging_for
from .scope import admin_only

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


@bp.get("/audit")
@admin_only
def audit():
    form = _filter_form()
    shown = {"form": form, "args": {key: value for key, value in request.args.items() if key != "page"}}
    if not form.validate():
        return render_template("admin/audit.html", events=[], paging=EMPTY, **shown), 400
    query = _filtered(form)
    paging = paging_for(query)
    events = describe(paging.rows(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())))
    return render_template("admin/audit.html", events=events, paging=paging, **shown)
