"""Results pages for holders: shown only once the round's results are published."""

from flask import Blueprint
from flask import redirect
from flask import render_template
from flask import url_for

from ..access import roles
from ..links import public_url
from ..ownership import own_office_or_404
from ..ownership import own_offices
from ..extensions import db
from ..models import Round
from ..ranking import explain
from ..verification import published_result
from ..rounds import current_round
from ..window import arrived_at

bp = Blueprint("results", __name__)

holder = roles("holder")


@bp.get("/")
@holder
def offices():
    owned = own_offices()
    if len(owned) == 1:
        return redirect(url_for("results.office", office_id=owned[0].id))
    return render_template("results/offices.html", offices=owned)


@bp.get("/<int:office_id>")
@holder
def office(office_id: int):
    found = own_office_or_404(office_id)
    round_ = current_round()
    result = published_result(found.id, round_) if round_ else None
    if result is None:
        return render_template("results/pending.html", office=found, round=round_,
                               window_closed=round_ is not None and round_.phase(arrived_at()) in ("closed", "published"))
    link = public_url("public.verify", code=result.verification_code)
    breakdown, next_rank = explain(result, round_, found.office_type)
    basis_round = db.session.get(Round, result.basis_round_id) if result.basis == "earlier" else None
    return render_template("results/result.html", office=found, round=round_, result=result, breakdown=breakdown,
                           basis_round=basis_round,
                           next_rank=next_rank, verify_link=link, qr_data=link, qr_label=result.verification_code)
