"""The staff dashboard: each province's progress in the current round, with the daily trend."""

from flask import render_template

from ..rounds import current_round
from ..rules.provinces import PROVINCES
from .blueprint import bp
from . import progress
from .scope import provinces_in_scope
from .scope import staff

ORDER = {name: index for index, (name, _english) in enumerate(PROVINCES)}


@bp.get("/")
@staff
def dashboard():
    round_ = current_round()
    if round_ is None:
        return render_template("admin/dashboard.html", round=None)
    counts = progress.by_province(round_.id, provinces_in_scope())
    rows = []
    for province in sorted(counts, key=lambda name: ORDER.get(name, len(ORDER))):
        total = sum(counts[province].values())
        rows.append({"province": province, "total": total,
                     **{status: counts[province][status] for status in progress.STATUSES},
                     **{f"{status}_percent": 100 * counts[province][status] // total if total else 0
                        for status in progress.STATUSES}})
    return render_template("admin/dashboard.html", round=round_, rows=rows,
                           trend=progress.daily_submissions(round_.id, provinces_in_scope()))
