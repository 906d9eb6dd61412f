"""Correction requests for locked license fields: staff accept them (the record changes) or reject them with a reason.

Only an admin may accept a change of province: moving an office between provinces takes it out of one
region's scope into another's and needs an area of the new province, which only the regulator sees.
"""


import sqlalchemy as sa
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..declaration.forms import options
from ..declaration.labels import LOCKED_LABELS
from ..extensions import db
from ..models import Area
from ..models import CorrectionRequest
from ..models import audit
from ..notify import events as notify_events
from .blueprint import bp
from .correction_changes import change_for
from .correction_changes import province_named
from .correction_changes import shown
from .forms import AcceptForm
from .forms import RejectForm
from .scope import record_or_404
from .scope import records_in_scope
from .scope import staff

OPEN_SHOWN = 100  # a long queue is worked from the oldest; the count says how many more wait
ANSWERED_SHOWN = 20
STATUS_LABELS = {"open": _l("waiting"), "accepted": _l("accepted"), "rejected": _l("rejected")}


@bp.get("/corrections")
@staff
def corrections():
    waiting = records_in_scope(CorrectionRequest).where(CorrectionRequest.status == "open")
    answered = records_in_scope(CorrectionRequest).where(CorrectionRequest.status != "open")
    waiting_count = db.session.scalar(sa.select(sa.func.count()).select_from(waiting.subquery()))
    return render_template(
        "admin/corrections.html", labels=LOCKED_LABELS, status_labels=STATUS_LABELS, waiting_count=waiting_count,
        waiting=db.session.execute(waiting.order_by(CorrectionRequest.id).limit(OPEN_SHOWN)).all(),
        answered=db.session.execute(answered.order_by(CorrectionRequest.id.desc()).limit(ANSWERED_SHOWN)).all())


@bp.get("/corrections/<int:correction_id>")
@staff
def correction(correction_id: int):
    """The confirmation page: what accepting would change (or why it cannot), and the reject form."""
    correction_, office = record_or_404(CorrectionRequest, correction_id)
    return _answer_page(correction_, office, RejectForm(formdata=None))


def _answer_page(correction_, office, reject_form, status=200):
    change = problem = None
    accept_form = _accept_form(correction_, posted=False)
    if correction_.status == "open":
        try:
            change = change_for(correction_, office, accept_form, checking=True)
        except ValueError as error:
            problem = str(error)
    return render_template("admin/correction_answer.html", correction=correction_, office=office, change=change,
                           problem=problem, accept_form=accept_form, reject_form=reject_form,
                           label=LOCKED_LABELS[correction_.field], status_labels=STATUS_LABELS, shown=shown,
                           current=_current(correction_, office)), status


def _current(correction_, office) -> str:
    """The field's value in the record now (it may have changed since the holder asked)."""
    holder = office.holder
    stored = {"holder_name": holder.full_name, "national_code": holder.national_code or "",
              "license_date": office.license_date.isoformat()}
    return stored[correction_.field] if correction_.field in stored else getattr(office, correction_.field)


@bp.post("/corrections/<int:correction_id>/accept")
@staff
def accept_correction(correction_id: int):
    correction_, office = record_or_404(CorrectionRequest, correction_id)
    back = url_for("admin.correction", correction_id=correction_.id)
    if correction_.status != "open":
        return _already_answered(correction_)
    try:
        change = change_for(correction_, office, _accept_form(correction_))
    except ValueError as error:
        flash(_("The correction was not applied: %(problem)s", problem=error), "error")
        return redirect(back, 303)
    if not _close(correction_, "accepted", None):
        return _already_answered(correction_)
    change.apply()
    audit("correction-accept", target=f"office:{office.id}",
          request=correction_.id, field=correction_.field, old=change.old, new=change.new)
    notify_events.correction_answered(correction_, office, accepted=True)
    try:
        db.session.commit()
    except IntegrityError:  # another office took the same license number or code a moment ago
        db.session.rollback()
        flash(_("The correction was not applied: %(problem)s", problem=_("another record took this value just now.")),
              "error")
        return redirect(back, 303)
    flash(_("The correction was applied: %(field)s is now %(value)s.", field=LOCKED_LABELS[correction_.field],
            value=shown(correction_.field, change.new)), "success")
    return redirect(url_for("admin.corrections"), 303)


@bp.post("/corrections/<int:correction_id>/reject")
@staff
def reject_correction(correction_id: int):
    correction_, office = record_or_404(CorrectionRequest, correction_id)
    if correction_.status != "open":
        return _already_answered(correction_)
    form = RejectForm()
    if not form.validate():
        return _answer_page(correction_, office, form, status=400)
    if not _close(correction_, "rejected", form.answer.data):
        return _already_answered(correction_)
    audit("correction-reject", target=f"office:{office.id}",
          request=correction_.id, field=correction_.field, answer=form.answer.data)
    notify_events.correction_answered(correction_, office, accepted=False)
    db.session.commit()
    flash(_("The request was rejected; the holder sees your reason on their correction page."), "success")
    return redirect(url_for("admin.corrections"), 303)


def _already_answered(correction_):
    flash(_("This request has already been answered (%(status)s); nothing was changed.",
            status=STATUS_LABELS[correction_.status]), "info")
    return redirect(url_for("admin.correction", correction_id=correction_.id), 303)


def _close(correction_, status: str, answer: str | None) -> bool:
    """Answer the request only if it is still open: of two staff answering at once, exactly one wins."""
    done = db.session.execute(sa.update(CorrectionRequest)
                              .where(CorrectionRequest.id == correction_.id, CorrectionRequest.status == "open")
                              .values(status=status, answer=answer))
    if done.rowcount != 1:
        db.session.rollback()
        return False
    return True


def _accept_form(correction_, posted: bool = True) -> AcceptForm:
    form = AcceptForm() if posted else AcceptForm(formdata=None)
    wanted = province_named(correction_.requested_value) if correction_.field == "province" else None
    areas = db.session.scalars(sa.select(Area).where(Area.province == wanted).order_by(Area.county, Area.name)
                               ).all() if wanted else []
    form.area.choices = options(("", _("Choose…")), *((str(a.id), f"{a.county} — {a.name}") for a in areas))
    return form
