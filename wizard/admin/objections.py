"""Objections on the staff console: the province's list (paged), one objection with the value objected to, the
holder's reason and attachment, and its answer: accepted with the right value (previewed first) or rejected."""

from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import clock
from ..database import end_transaction
from ..extensions import db
from ..models import Round
from ..models import audit
from ..results import attachments
from ..results import objection_service
from ..results.labels import OBJECTION_STATUS_LABELS
from ..rounds import current_round
from . import objections_service as service
from .blueprint import bp
from .forms import AcceptObjectionForm
from .forms import RejectForm
from .paging import paging_for
from .scope import PROVINCIAL_ROLES
from .scope import staff


@bp.app_template_global()
def objections_awaiting(round_: Round) -> int:
    """Accepted objections the latest computed version does not carry yet (the rounds page, the objections list)."""
    province = current_user.province if current_user.role in PROVINCIAL_ROLES else None
    return objection_service.awaiting_new_version(round_, province)


@bp.get("/objections")
@staff
def objections():
    round_ = current_round()
    status = request.args.get("status") if request.args.get("status") in service.STATUSES else None
    query = service.province_list(round_, status)
    paging = paging_for(query)
    return render_template("admin/objections.html", round=round_, rows=paging.rows(query), paging=paging,
                           status=status, statuses=service.STATUSES, labels=OBJECTION_STATUS_LABELS)


def _page(objection, office, accept_form, reject_form, preview=None, problem=None, status=200):
    round_ = db.session.get(Round, objection.round_id)
    return render_template("admin/objection.html", objection=objection, office=office, round=round_,
                           story=objection_service.story(objection, office, published_only=False),
                           accept_form=accept_form, reject_form=reject_form, preview=preview, problem=problem,
                           labels=OBJECTION_STATUS_LABELS, bands=service.bands_of(objection, office, round_)), status


@bp.get("/objections/<int:objection_id>")
@staff
def objection(objection_id: int):
    found, office = service.objection_or_404(objection_id)
    return _page(found, office, AcceptObjectionForm(formdata=None, prefix="accept"),
                 RejectForm(formdata=None, prefix="reject"))


@bp.post("/objections/<int:objection_id>/accept")
@staff
def accept_objection(objection_id: int):
    """The preview button shows what the value would score; the accept button records it."""
    found, office = service.objection_or_404(objection_id)
    form, reject_form = AcceptObjectionForm(prefix="accept"), RejectForm(formdata=None, prefix="reject")
    if not form.validate():
        return _page(found, office, form, reject_form, status=400)
    round_ = db.session.get(Round, found.round_id)
    try:
        if "preview" in request.form:
            service.check_value(found, office, round_, form.corrected_value.data)
            return _page(found, office, form, reject_form,
                         preview=service.preview(found, office, round_, form.corrected_value.data))
        service.accept(found, office, round_, form.corrected_value.data, form.answer.data, clock.now())
    except service.AnswerRefused as refused:
        return _page(found, office, form, reject_form, problem=str(refused), status=409)
    flash(_("The objection was accepted; the next computed version of the results applies the new value."), "success")
    return redirect(url_for("admin.objection", objection_id=found.id), 303)


@bp.post("/objections/<int:objection_id>/reject")
@staff
def reject_objection(objection_id: int):
    found, office = service.objection_or_404(objection_id)
    form = RejectForm(prefix="reject")
    if not form.validate():
        return _page(found, office, AcceptObjectionForm(formdata=None, prefix="accept"), form, status=400)
    try:
        service.reject(found, office, db.session.get(Round, found.round_id), form.answer.data, clock.now())
    except service.AnswerRefused as refused:
        return _page(found, office, AcceptObjectionForm(formdata=None, prefix="accept"), form, problem=str(refused),
                     status=409)
    flash(_("The objection was rejected; the holder sees your reason."), "success")
    return redirect(url_for("admin.objection", objection_id=found.id), 303)


@bp.get("/objections/<int:objection_id>/attachment")
@staff
def objection_attachment(objection_id: int):
    """The holder's file; who read it is audited (it may hold personal papers)."""
    found, _office = service.objection_or_404(objection_id)
    response = attachments.download(found.attachment_key, found.attachment_name, found.attachment_type)
    end_transaction()  # a GET that writes: the audit gets a transaction of its own
    audit("objection-attachment", target=f"objection:{found.id}", file=found.attachment_name)
    db.session.commit()
    return response


@bp.app_template_global()
def criterion_labels(round_: Round, office) -> dict[str, str]:
    """criterion key -> its label in the page's language, for one office type of the round's rubric."""
    return service.criterion_labels(round_, office.office_type)
