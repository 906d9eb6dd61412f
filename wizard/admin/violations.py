"""Violations on the staff console: the province's list, an office's list, recording and correcting one, and the
committee's decision (confirmed or dismissed), allowed after the holder's defence or the defence period."""

from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _

from .. import clock
from ..rounds import current_round
from ..rules.jalali import to_jalali
from ..results.labels import VIOLATION_KIND_LABELS
from ..results.labels import VIOLATION_STAFF_LABELS
from ..results.violation_service import deadline_of
from . import violations_service as service
from .blueprint import bp
from .forms import DecideViolationForm
from .forms import DismissViolationForm
from .forms import ViolationForm
from .paging import paging_for
from .scope import office_or_404
from .scope import staff


@bp.app_context_processor
def violation_labels():
    return {"violation_kind_labels": VIOLATION_KIND_LABELS, "violation_staff_labels": VIOLATION_STAFF_LABELS}


@bp.get("/violations")
@staff
def violations():
    round_ = current_round()
    status = request.args.get("status") if request.args.get("status") in service.STATUSES else None
    query = service.province_list(round_, status)
    paging = paging_for(query)
    return render_template("admin/violations.html", round=round_, rows=paging.rows(query), paging=paging,
                           status=status, statuses=service.STATUSES, deadline_of=deadline_of)


@bp.get("/offices/<int:office_id>/violations")
@staff
def office_violations(office_id: int):
    office = office_or_404(office_id)
    return render_template("admin/violations_office.html", office=office, rows=service.office_list(office),
                           deadline_of=deadline_of)


def _form(violation=None) -> ViolationForm:
    data = None
    if violation is not None:
        year, month, day = to_jalali(violation.occurred_on)
        data = {"occurred_on": {"year": year, "month": month, "day": day}, "kind": violation.kind,
                "description": violation.description, "points": violation.points, "note": violation.decision_note}
    form = ViolationForm(data=data)
    form.kind.choices = service.kind_choices(VIOLATION_KIND_LABELS)
    return form


@bp.route("/offices/<int:office_id>/violations/new", methods=["GET", "POST"])
@staff
def new_violation(office_id: int):
    office = office_or_404(office_id)
    form, problem = _form(), None
    if form.validate_on_submit():
        try:
            violation = service.record(office, current_round(), form)
        except service.ViolationRefused as refused:
            problem = str(refused)
        else:
            flash(_("The violation was recorded; the holder sees it on their pages and may write a defence."), "success")
            return redirect(url_for("admin.violation", violation_id=violation.id), 303)
    return render_template("admin/violation_form.html", office=office, form=form, violation=None,
                           problem=problem), 400 if form.errors else 409 if problem else 200


@bp.route("/violations/<int:violation_id>/edit", methods=["GET", "POST"])
@staff
def edit_violation(violation_id: int):
    violation, office = service.violation_or_404(violation_id)
    form, problem = _form(violation), None
    if form.validate_on_submit():
        try:
            service.edit(violation, office, form)
        except service.ViolationRefused as refused:
            problem = str(refused)
        else:
            flash(_("The violation was changed; the holder sees the change."), "success")
            return redirect(url_for("admin.violation", violation_id=violation.id), 303)
    return render_template("admin/violation_form.html", office=office, form=form, violation=violation,
                           problem=problem), 400 if form.errors else 409 if problem else 200


def _decision_page(violation, office, decide_form, dismiss_form, status=200):
    return render_template("admin/violation.html", violation=violation, office=office, decide_form=decide_form,
                           dismiss_form=dismiss_form, deadline=deadline_of(violation),
                           decidable=service.decidable(violation, clock.now())), status


@bp.get("/violations/<int:violation_id>")
@staff
def violation(violation_id: int):
    found, office = service.violation_or_404(violation_id)
    return _decision_page(found, office, DecideViolationForm(formdata=None, prefix="decide",
                                                             data={"points": found.points}),
                          DismissViolationForm(formdata=None, prefix="dismiss"))


@bp.post("/violations/<int:violation_id>/decide")
@staff
def decide_violation(violation_id: int):
    return _settle(violation_id, "decide")


@bp.post("/violations/<int:violation_id>/dismiss")
@staff
def dismiss_violation(violation_id: int):
    return _settle(violation_id, "dismiss")


def _settle(violation_id: int, outcome: str):
    """The committee's decision, confirmed (decide) or dismissed; the other form is shown empty beside it."""
    found, office = service.violation_or_404(violation_id)
    decide_form = DecideViolationForm(prefix="decide") if outcome == "decide" else DecideViolationForm(
        formdata=None, prefix="decide", data={"points": found.points})
    dismiss_form = DismissViolationForm(prefix="dismiss") if outcome == "dismiss" else DismissViolationForm(
        formdata=None, prefix="dismiss")
    form = decide_form if outcome == "decide" else dismiss_form
    if not form.validate():
        return _decision_page(found, office, decide_form, dismiss_form, 400)
    try:
        service.settle(found, office, "decided" if outcome == "decide" else "dismissed", form, clock.now())
    except service.ViolationRefused as refused:
        flash(str(refused), "error")
    else:
        flash(_("The committee's decision was recorded.") if outcome == "decide" else _("The violation was dismissed."),
              "success")
    return redirect(url_for("admin.violation", violation_id=found.id), 303)
