"""Reviewer indicators a region enters per office once the window has closed; `results compute` reads them."""

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms.validators import NumberRange
from wtforms.validators import Optional

from .. import clock
from ..extensions import db
from ..fields import CleanForm
from ..fields import LocalizedIntegerField
from ..models import Score
from ..models import User
from ..models import audit
from ..ranking import round_rubric
from ..rounds import current_round
from .blueprint import bp
from .scope import office_or_404
from .scope import staff

AFTER_WINDOW = ("closed", "published")
DEFAULT_HIGH = 1000
# The rubric format has no maximum, but its units say "out of 100": a rating of 7 out of 5 is a typo.
OUT_OF = re.compile(r"out of ([0-9]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Indicator:
    """One value the rubric asks the region for, with the range the form accepts."""

    name: str
    label: str
    unit: str
    low: int
    high: int
    default: int

    @property
    def field(self) -> str:
        return f"value_{self.name}"  # prefixed: an indicator named e.g. "data" must not shadow a form attribute


def indicators_of(rubric) -> list[Indicator]:
    """The reviewer indicators of a rubric, in rubric order, labelled in the page's language."""
    english = str(get_locale() or "fa") == "en"
    found = {}
    for criterion in rubric.criteria:
        name = criterion.sources[0] if criterion.measure == "reviewer" else None
        if name is None or name in found:
            continue
        bands = criterion.bands
        out_of = OUT_OF.search(criterion.unit_en)
        high = max(int(out_of[1]) if out_of else DEFAULT_HIGH, bands[-1].min)
        found[name] = Indicator(name=name, label=criterion.label_en if english else criterion.label_fa,
                                unit=criterion.unit_en if english else criterion.unit_fa,
                                low=min(0, bands[0].min, criterion.default), high=high, default=criterion.default)
    return list(found.values())


def _form_class(indicators: list[Indicator]):
    class IndicatorForm(CleanForm):
        pass

    for item in indicators:
        message = _l("Enter a number from %(low)s to %(high)s.", low=item.low, high=item.high)
        label = f"{item.label} ({item.unit})" if item.unit else item.label
        setattr(IndicatorForm, item.field,
                LocalizedIntegerField(label, validators=[Optional(), NumberRange(item.low, item.high, message)]))
    return IndicatorForm


def _stored(round_, office) -> dict[str, Score]:
    rows = db.session.scalars(sa.select(Score).where(
        Score.round_id == round_.id, Score.office_id == office.id))
    return {row.name: row for row in rows}


@bp.route("/offices/<int:office_id>/indicators", methods=["GET", "POST"])
@staff
def indicators(office_id: int):
    office = office_or_404(office_id)
    round_ = current_round()
    if round_ is None or round_.phase(clock.now()) not in AFTER_WINDOW:
        if request.method == "POST":
            return redirect(url_for("admin.indicators", office_id=office.id), 303)  # nothing is saved early
        return render_template("admin/indicators.html", office=office, round=round_, form=None)
    wanted = indicators_of(round_rubric(round_))
    stored = _stored(round_, office)
    form = _form_class(wanted)(data={item.field: stored[item.name].value for item in wanted if item.name in stored})
    if form.validate_on_submit():
        return _save(office, round_, wanted, stored, form)
    return render_template("admin/indicators.html", office=office, round=round_, form=form, indicators=wanted,
                           stored=stored, entered_by=_names(stored)), 400 if form.errors else 200


def _names(stored) -> dict[int, str]:
    ids = {row.entered_by for row in stored.values() if row.entered_by}
    return dict(db.session.execute(sa.select(User.id, User.username).where(User.id.in_(ids))).all()) if ids else {}


def _save(office, round_, wanted, stored, form):
    values = {item.name: form[item.field].data for item in wanted}
    changed = [name for name, value in values.items()
               if (stored[name].value if name in stored else None) != value]
    now = clock.now()
    for name in changed:
        row, value = stored.get(name), values[name]
        if value is None:
            db.session.delete(row)  # emptied: the rubric's default counts again
        elif row is None:
            # The region enters and answers for its own indicators: confirmed as entered.
            db.session.add(Score(round_id=round_.id, office_id=office.id, name=name, value=value, status="confirmed",
                                 entered_by=current_user.id, entered_at=now, confirmed_by=current_user.id,
                                 confirmed_at=now))
        else:
            row.value, row.entered_by, row.entered_at = value, current_user.id, now
            row.status, row.confirmed_by, row.confirmed_at = "confirmed", current_user.id, now
    if changed:
        audit("indicators", target=f"office:{office.id}",
              round=round_.id, values=values, changed=changed)
    try:
        db.session.commit()
    except IntegrityError:  # someone saved this office's first values at the same moment
        db.session.rollback()
        flash(_("Someone else saved these indicators at the same moment; check the values and save again."), "error")
        return redirect(url_for("admin.indicators", office_id=office.id), 303)
    flash(_("The reviewer indicators were saved.") if changed else _("Nothing changed."), "success")
    return redirect(url_for("admin.indicators", office_id=office.id), 303)
