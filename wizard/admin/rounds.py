"""Round management on the web for admins: open, extend, close, compute, publish — each confirmed first."""

import sqlalchemy as sa
from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import clock
from .. import ranking
from .. import ranking_inputs
from ..extensions import db
from ..models import Round
from ..rounds import RoundError
from ..rounds import close_round
from ..rounds import create_round
from ..rounds import extend_deadline
from ..rounds import DEFAULT_RUBRIC_PATH
from ..rounds import load_rubric
from ..rules.rubric import to_stored
from ..rules import jalali
from ..rules.deadline import default_deadline
from .blueprint import bp
from .forms import ExtendForm
from .forms import OpenRoundForm
from . import progress
from .scope import admin_only

ACTIONS = {"extend": _l("Extend the deadline"), "close": _l("Close the round now"),
           "compute": _l("Compute the results"), "publish": _l("Publish the results"),
           "approve": _l("Approve the results as final")}


@bp.get("/rounds")
@admin_only
def rounds():
    found = db.session.scalars(sa.select(Round).order_by(Round.opens_at.desc())).all()
    now = clock.now()
    return render_template("admin/rounds.html", rounds=found, now=now, actions=ACTIONS, form=OpenRoundForm())


@bp.post("/rounds")
@admin_only
def open_round_view():
    form = OpenRoundForm()
    if form.validate():
        try:
            opens_at = jalali.parse_datetime(form.opens.data)
            deadline = default_deadline(opens_at, form.days.data or current_app.config["DECLARATION_WINDOW_DAYS"])
            create_round(form.title.data, opens_at, deadline, to_stored(load_rubric(DEFAULT_RUBRIC_PATH)),
                         current_app.config["SERVICE_PERCENTS"], carry_forward=form.carry_forward.data,
                         objection_days=7 if form.objection_days.data is None else form.objection_days.data,
                         scoring_days=form.scoring_days.data)
            flash(_("The round is open."), "success")
        except (RoundError, ValueError) as problem:
            flash(str(problem), "error")
    else:
        flash(_("Please fill in the title and a Jalali opening day."), "error")
    return redirect(url_for("admin.rounds"), 303)


@bp.route("/rounds/<int:round_id>/<action>", methods=["GET", "POST"])
@admin_only
def round_action(round_id: int, action: str):
    """GET shows what the action will do (the confirmation step); POST does it."""
    target = db.session.get(Round, round_id)
    if target is None or action not in ACTIONS:
        abort(404)
    form = ExtendForm()
    if request.method == "POST":
        try:
            message = _perform(target, action, form)
        except (RoundError, ranking.RankingError, ValueError) as problem:
            flash(str(problem), "error")
            return redirect(url_for("admin.round_action", round_id=round_id, action=action), 303)
        flash(message, "success")
        return redirect(url_for("admin.rounds"), 303)
    counts = progress.by_province(target.id, None) if action in ("compute", "publish") else {}
    waiting = (len(ranking_inputs.missing_scores(target, ranking.round_rubric(target)))
               if action == "compute" else 0)
    return render_template("admin/round_confirm.html", round=target, action=action, title=ACTIONS[action],
                           form=form, counts=counts, now=clock.now(), waiting=waiting)


def _perform(target: Round, action: str, form: ExtendForm) -> str:
    if action == "extend":
        if not form.validate():
            raise ValueError(_("Enter the new deadline as a Jalali date."))
        extend_deadline(target, jalali.parse_datetime(form.deadline.data, end_of_day=True))
        return _("The deadline was extended.")
    if action == "close":
        close_round(target, clock.now())
        return _("The round is closed.")
    if action == "compute":
        ranking.compute(target)
        return _("Version %(version)s of the results is computed; holders see it once you publish it.",
                 version=target.results_version)
    if action == "approve":
        version = ranking.approve(target)
        return _("Version %(version)s of the results is final; the agencies' export and API now serve it.",
                 version=version)
    version = ranking.publish(target)
    return _("Version %(version)s of the results is published.", version=version)
