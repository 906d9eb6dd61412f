"""Offices that have not submitted in the current round, with their holders' mobiles: a page and its exports."""

import sqlalchemy as sa
from flask import abort
from flask import render_template
from flask_babel import lazy_gettext as _l

from .. import clock
from ..declaration.labels import OFFICE_TYPES
from ..models import Area
from ..models import Office
from ..models import User
from ..rounds import current_round
from .blueprint import bp
from .export_common import OFFICE_COLUMNS
from .export_common import OFFICE_FIELDS
from .export_common import STATUS_LABELS
from .export_common import Labels
from .export_common import audit_export
from .export_common import download
from .export_common import filename
from .export_common import office_cells
from .export_common import stream
from . import progress
from .paging import EMPTY
from .paging import paging_for
from .scope import offices_in_scope
from .scope import staff
from .xlsx_files import TEXT

NON_SUBMITTER_FIELDS = (*OFFICE_FIELDS, (_l("Status"), TEXT))


def _non_submitters_query(round_id: int):
    """Offices in scope with no submission in the round, for reminder calls."""
    query = (sa.select(*OFFICE_COLUMNS, progress.status_case(round_id).label("status"))
             .join(Area, Area.id == Office.area_id).join(User, User.id == Office.holder_id)
             .where(Office.id.not_in(progress.submitted_ids(round_id))))
    return offices_in_scope(query).order_by(Office.province, Area.county, Area.name, Office.license_number)


@bp.get("/non-submitters")
@staff
def non_submitters():
    round_ = current_round()
    if round_ is None:
        return render_template("admin/non_submitters.html", round=None, rows=[], paging=EMPTY)
    query = _non_submitters_query(round_.id)
    paging = paging_for(query)
    return render_template("admin/non_submitters.html", round=round_, rows=paging.rows(query), paging=paging,
                           types=OFFICE_TYPES, statuses=STATUS_LABELS,
                           can_remind=round_.accepts_declarations(clock.now()))  # SMS reminders (admin/messages.py)


@bp.get("/non-submitters.csv", defaults={"fmt": "csv"})
@bp.get("/non-submitters.xlsx", defaults={"fmt": "xlsx"})
@staff
def export_non_submitters(fmt: str):
    round_ = current_round()
    if round_ is None:
        abort(404)  # no round, so nobody is late yet
    query = _non_submitters_query(round_.id)
    audit_export("non-submitters", round_, fmt)
    labels = Labels()
    return download(fmt, filename("non-submitters", round_, fmt), _l("Non-submitters"), NON_SUBMITTER_FIELDS,
                    ([*office_cells(row, labels), labels.statuses[row.status]] for row in stream(query)))
