"""Results pages for holders: shown only once the round's results are published, with the objection window and
the violations recorded against the office beside them."""

from flask import redirect
from flask import render_template
from flask import url_for

from ..extensions import db
from ..links import public_url
from ..models import Round
from ..ownership import own_office_or_404
from ..ownership import own_offices
from ..ranking import explain
from ..rounds import current_round
from ..verification import published_result
from ..window import arrived_at
from . import objection_service
from . import violation_service
from .blueprint import bp
from .blueprint import holder


@bp.get("/")
@holder
def offices():
    owned = own_offices()
    if len(owned) == 1:
        return redirect(url_for("results.office", office_id=owned[0].id))
    return render_template("results/offices.html", offices=owned,
                           awaiting=violation_service.awaiting_defence([office.id for office in owned]))


@bp.get("/<int:office_id>")
@holder
def office(office_id: int):
    found = own_office_or_404(office_id)
    round_ = current_round()
    result = published_result(found.id, round_) if round_ else None
    awaiting = violation_service.awaiting_defence([found.id]).get(found.id, 0)
    if result is None:
        return render_template("results/pending.html", office=found, round=round_, awaiting=awaiting,
                               window_closed=round_ is not None and round_.phase(arrived_at()) in ("closed", "published"))
    link = public_url("public.verify", code=result.verification_code)
    breakdown, next_rank = explain(result, round_, found.office_type)
    basis_round = db.session.get(Round, result.basis_round_id) if result.basis == "earlier" else None
    objections = objection_service.office_objections(found.id, round_.id)
    return render_template("results/result.html", office=found, round=round_, result=result, breakdown=breakdown,
                           basis_round=basis_round, awaiting=awaiting,
                           next_rank=next_rank, verify_link=link, qr_data=link, qr_label=result.verification_code,
                           objection_countdown=objection_service.countdown(round_, arrived_at()),
                           objections_open=objection_service.window_open(round_, arrived_at()),
                           objections=objections, objected={o.criterion: o for o in objections},
                           applied=objection_service.applied(objections, round_, found.id, published_only=True))
