"""The violations recorded against a holder's office (SPEC §5): each with its state and dates, and the holder's
defence, written until the committee decides. What the holder typed is never dropped: an invalid or late
defence comes back on the page with its message."""

from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _

from ..ownership import own_office_or_404
from ..rules.due_process import may_defend
from . import violation_service
from .blueprint import bp
from .blueprint import holder
from .forms import DefenceForm


@bp.get("/<int:office_id>/violations")
@holder
def violations(office_id: int):
    office = own_office_or_404(office_id)
    return render_template("results/violations.html", office=office,
                           rows=violation_service.office_violations(office.id), deadline_of=violation_service.deadline_of)


@bp.route("/<int:office_id>/violations/<int:violation_id>", methods=["GET", "POST"])
@holder
def violation(office_id: int, violation_id: int):
    office = own_office_or_404(office_id)
    found, round_ = violation_service.office_violation_or_404(office.id, violation_id)
    form = DefenceForm(data={"defence": found.defence})
    problem = None
    if request.method == "POST" and form.validate():
        try:
            violation_service.defend(found, form.defence.data, office.id)
        except violation_service.DefenceRefused as refused:
            problem = str(refused)
        else:
            flash(_("Your defence was saved; the committee reads it before deciding."), "success")
            return redirect(url_for("results.violation", office_id=office.id, violation_id=found.id), 303)
    status = 400 if form.errors else 409 if problem else 200
    return render_template("results/violation.html", office=office, violation=found, round=round_, form=form,
                           problem=problem, writable=may_defend(found.status) and problem is None,
                           deadline=violation_service.deadline_of(found)), status
