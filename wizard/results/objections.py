"""A holder's objections (SPEC §5): filed from the results page while the objection window is open, one per
criterion, each with a tracking code, its answer and the version that applied it; its attachment downloads."""

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import render_error
from ..extensions import db
from ..filters import digits
from ..models import Objection
from ..ownership import own_office_or_404
from ..rounds import current_round
from ..rules.tracking import grouped
from ..verification import published_result
from ..window import arrived_at
from . import attachments
from . import objection_service
from .blueprint import bp
from .blueprint import holder
from .forms import ObjectionForm


def _published(office_id: int):
    """The holder's office with its current round and published result; nothing published yet is a 404."""
    office = own_office_or_404(office_id)
    round_ = current_round()
    result = published_result(office.id, round_) if round_ else None
    if result is None:
        abort(404)
    return office, round_, result


def _own_objection(office_id: int, objection_id: int):
    office = own_office_or_404(office_id)
    objection = db.session.get(Objection, objection_id)
    if objection is None or objection.office_id != office.id:
        abort(404)
    return office, objection


@bp.route("/<int:office_id>/objections/new", methods=["GET", "POST"])
@holder
def new_objection(office_id: int):
    office, round_, result = _published(office_id)
    items = objection_service.criteria(result, round_, office.office_type)
    filed = {o.criterion: o for o in objection_service.office_objections(office.id, round_.id)}
    form = ObjectionForm()
    form.criterion.choices = [(item.key, item.label_fa) for item in items if item.key not in filed]
    if request.method == "GET" and request.args.get("criterion") in {key for key, _label in form.criterion.choices}:
        form.criterion.data = request.args["criterion"]
    problem = None
    if form.validate_on_submit():
        try:
            objection = objection_service.file_objection(office, round_, result, form.criterion.data,
                                                         form.reason.data, form.attachment.upload, current_user.id,
                                                         arrived_at())
        except objection_service.ObjectionRefused as refused:
            problem = str(refused)
        else:
            flash(_("Your objection was filed. Its tracking code is %(code)s.", code=grouped(objection.tracking_code)),
                  "success")
            return redirect(url_for("results.objection", office_id=office.id, objection_id=objection.id), 303)
    status = 400 if form.errors else 409 if problem else 200
    return render_template("results/objection_form.html", office=office, round=round_, result=result, form=form,
                           items=items, filed=filed, problem=problem,
                           file_lost=request.method == "POST" and bool(form.attachment.data),
                           is_open=objection_service.window_open(round_, arrived_at()),
                           objection_countdown=objection_service.countdown(round_, arrived_at()),
                           max_size=attachments.size_text(attachments.max_bytes())), status


@bp.get("/<int:office_id>/objections/<int:objection_id>")
@holder
def objection(office_id: int, objection_id: int):
    office, found = _own_objection(office_id, objection_id)
    return render_template("results/objection.html", office=office, objection=found,
                           story=objection_service.story(found, office, published_only=True))


@bp.get("/<int:office_id>/objections/<int:objection_id>/attachment")
@holder
def objection_attachment(office_id: int, objection_id: int):
    _office, found = _own_objection(office_id, objection_id)
    return attachments.download(found.attachment_key, found.attachment_name, found.attachment_type)


@bp.errorhandler(413)
def too_large(_error):
    """A request over MAX_CONTENT_LENGTH is refused before it is read: say what size an attachment may have."""
    return render_error(413, message=digits(_("An attachment may be at most %(size)s. Go back, choose a smaller PDF, JPEG "
                                       "or PNG file and send the objection again.",
                                       size=attachments.size_text(attachments.max_bytes()))))
