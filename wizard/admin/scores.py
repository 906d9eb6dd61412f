"""The scoring phase's pages (SPEC §5, issue 21): the list of every score the rubric asks of this user's province,
one office's scores, confirming them, and importing a CSV or .xlsx of them with a preview. Regions and admins
see every score; an association sees and enters only its own (wizard/scores.py does the work)."""


import sqlalchemy as sa
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms.validators import NumberRange
from wtforms.validators import Optional

from .. import clock
from .. import scores as service
from ..access import roles
from ..extensions import db
from ..fields import CleanForm
from ..fields import LocalizedIntegerField
from ..filters import digits
from ..filters import round_name
from ..models import Office
from ..models import User
from ..ranking import round_rubric
from ..rounds import current_round
from ..rules import score_entry
from ..rules.countdown import epoch_ms
from ..rules.countdown import tone
from ..rules.deadline import remaining_parts
from ..rules.text import normalize_identifier
from ..timers import Countdown
from .blueprint import bp
from .export_common import audit_export
from .export_common import download
from .export_common import filename
from .export_common import stream
from .xlsx_files import ID
from .xlsx_files import NUMBER
from .xlsx_files import TEXT
from .forms import ConfirmForm
from .paging import EMPTY
from .paging import paging_for
from .scope import PROVINCIAL_ROLES
from .scope import office_or_404

scoring_staff = roles("region", "admin", "association")
confirming_staff = roles("region", "admin")
STATE_LABELS = {"missing": _l("Missing"), "entered": _l("Entered, awaiting confirmation"),
                "confirmed": _l("Confirmed by the region")}


def _province() -> str | None:
    return current_user.province if current_user.role in PROVINCIAL_ROLES else None


def _names(rubric) -> list[str]:
    """The scores this user sees: a region or admin all of them, an association its own."""
    if current_user.role == "association":
        return list(service.specs_for(rubric, "association"))
    return list(service.specs_of(rubric))


def countdown(round_) -> Countdown | None:
    """The scoring phase's countdown card, once the round has a scoring deadline and its window has ended."""
    if round_ is None or round_.scoring_deadline is None:
        return None
    now, ends = clock.now(), round_.scoring_deadline
    state = service.phase(round_, now)
    if state == "before":
        return None
    if state == "open":
        phase, left, shade = "open", remaining_parts(now, ends), tone(now, ends)
    else:
        phase, left, shade = "closed", (0, 0, 0), "closed"
    return Countdown(title=round_name(round_), phase=phase, opens_at=round_.window_end, deadline=ends,
                     remaining=left, tone=shade, server_now_ms=epoch_ms(now), deadline_ms=epoch_ms(ends))


def _context(round_):
    rubric = round_rubric(round_)
    return {"round": round_, "rubric": rubric, "specs": service.specs_of(rubric), "label": service.label,
            "unit": service.unit, "phase": service.phase(round_), "countdown": countdown(round_),
            "hide_countdown": True,  # the base layout's declaration card: these pages show the scoring phase's
            "state_labels": STATE_LABELS, "may_confirm": score_entry.may_confirm(current_user.role)}


@bp.get("/scores")
@scoring_staff
def scores():
    round_ = current_round()
    if round_ is None:
        return render_template("admin/scores.html", round=None, rows=[], paging=EMPTY, args={})
    context = _context(round_)
    wanted = request.args.get("state") if request.args.get("state") in score_entry.STATES else None
    code = normalize_identifier(request.args.get("q", ""))[:30].upper()
    names = _names(context["rubric"])
    query = service.cells(round_, context["rubric"], _province(), names, wanted, code or None)
    paging = paging_for(query) if query is not None else EMPTY
    rows = paging.rows(query) if query is not None else []
    args = {key: value for key, value in (("state", wanted), ("q", code)) if value}
    return render_template("admin/scores.html", rows=rows, paging=paging, args=args, wanted=wanted, search=code,
                           totals=service.counts(round_, context["rubric"], _province(), names), names=names,
                           confirm_form=ConfirmForm(), **context)


@bp.get("/scores.csv", defaults={"fmt": "csv"})
@bp.get("/scores.xlsx", defaults={"fmt": "xlsx"})
@scoring_staff
def export_scores(fmt: str):
    """The list as shown (state filter and search kept), in the import's own columns first: a list of the missing
    scores comes back, filled in, through the import (rows left empty are skipped)."""
    round_ = current_round()
    rubric = round_rubric(round_) if round_ is not None else None
    wanted = request.args.get("state") if request.args.get("state") in score_entry.STATES else None
    code = normalize_identifier(request.args.get("q", ""))[:30].upper()
    query = service.cells(round_, rubric, _province(), _names(rubric), wanted, code or None) if rubric else None
    if query is None:
        abort(404)
    audit_export("scores", round_, fmt, state=wanted)
    specs = service.specs_of(rubric)
    fields = (("office_code", ID), ("score", ID), ("value", NUMBER), (_("Kind of score"), TEXT), (_("Status"), TEXT))
    rows = ([row.office_code, row.name, row.value, service.label(specs[row.name]),
             str(STATE_LABELS[row.status or "missing"])] for row in stream(query))
    return download(fmt, filename("scores", round_, fmt), _l("Scores"), fields, rows)


@bp.post("/scores/confirm")
@confirming_staff
def confirm_scores():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    round_ = current_round()
    back = request.form.get("back", "")
    target = back if back.startswith("/admin/") and "//" not in back else url_for("admin.scores")
    if round_ is None:
        return redirect(target, 303)
    ids = [int(value) for value in request.form.getlist("score") if value.isascii() and value.isdigit()
           and len(value) < 10]
    in_scope = sa.select(Office.id)
    if _province() is not None:
        in_scope = in_scope.where(Office.province == _province())
    try:
        count = service.confirm(round_, ids, in_scope, current_user)
    except service.ScoringClosed as problem:
        flash(str(problem), "error")
        return redirect(target, 303)
    db.session.commit()
    flash(_("Confirmed: %(count)s scores.", count=digits(count)) if count
          else _("Nothing to confirm: those scores were already confirmed or changed meanwhile."),
          "success" if count else "error")
    return redirect(target, 303)


# ---------------------------------------------------------------- one office


def _form_class(specs, office_type):
    class OfficeScoresForm(CleanForm):
        pass

    for spec in specs:
        message = _l("Enter a number from %(low)s to %(high)s.", low=spec.low, high=spec.high)
        shown_unit = service.unit(spec)
        text = f"{service.label(spec)} ({shown_unit})" if shown_unit else service.label(spec)
        setattr(OfficeScoresForm, f"value_{spec.name}",
                LocalizedIntegerField(text, validators=[Optional(), NumberRange(spec.low, spec.high, message)]))
    return OfficeScoresForm


@bp.route("/offices/<int:office_id>/scores", methods=["GET", "POST"])
@scoring_staff
def office_scores(office_id: int):
    office = office_or_404(office_id)
    round_ = current_round()
    if round_ is None:
        return render_template("admin/office_scores.html", office=office, round=None, form=None)
    context = _context(round_)
    rubric = context["rubric"]
    mine = [spec for spec in service.specs_for(rubric, current_user.role).values()
            if spec.applies_to(office.office_type)]
    shown = [spec for name, spec in context["specs"].items() if name in _names(rubric)
             and spec.applies_to(office.office_type)]
    stored = service.stored_for(round_, office.id)
    form = _form_class(mine, office.office_type)(
        data={f"value_{spec.name}": stored[spec.name].value for spec in mine if spec.name in stored})
    if request.method == "POST" and context["phase"] != "open":
        try:
            service.refuse_unless_open(round_)
        except service.ScoringClosed as problem:
            flash(str(problem), "error")
        return redirect(url_for("admin.office_scores", office_id=office.id), 303)
    if form.validate_on_submit():
        return _save(round_, office, mine, form)
    return render_template("admin/office_scores.html", office=office, form=form, mine=mine, shown=shown,
                           stored=stored, entered_by=_usernames(stored), confirm_form=ConfirmForm(),
                           **context), 400 if form.errors else 200


def _usernames(stored) -> dict[int, str]:
    ids = {row.entered_by for row in stored.values() if row.entered_by}
    return dict(db.session.execute(sa.select(User.id, User.username).where(User.id.in_(ids))).all()) if ids else {}


def _save(round_, office, mine, form):
    values = {spec.name: form[f"value_{spec.name}"].data for spec in mine}
    try:
        changed = service.enter(round_, office, values, current_user)
        db.session.commit()
    except service.ScoringClosed as problem:
        db.session.rollback()
        flash(str(problem), "error")
        return redirect(url_for("admin.office_scores", office_id=office.id), 303)
    except IntegrityError:  # someone saved this office's first scores at the same moment
        db.session.rollback()
        flash(_("Someone else saved these scores at the same moment; check the values and save again."), "error")
        return redirect(url_for("admin.office_scores", office_id=office.id), 303)
    if changed and score_entry.may_confirm(current_user.role):
        message = _("The scores were saved; confirm them below when they are right.")
    elif changed:
        message = _("The scores were saved; the region confirms them.")
    else:
        message = _("Nothing changed.")
    flash(message, "success")
    return redirect(url_for("admin.office_scores", office_id=office.id), 303)
