"""The agencies' file (issue 21, item 6): every office's final rank and the services it may offer, once an admin has
approved the round's results. Only what an agency needs to assign services: no holder's name, national code or mobile,
no score or breakdown (agencies find an office by its code; the verification code lets them check it at /verify)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..errors import render_error
from ..final_results import final_results
from ..models import Area
from ..models import Office
from ..rounds import current_round
from .blueprint import bp
from .export_common import Labels
from .export_common import audit_export
from .export_common import download
from .export_common import filename
from .export_common import stream
from .scope import offices_in_scope
from .scope import staff
from .xlsx_files import ID
from .xlsx_files import NUMBER
from .xlsx_files import TEXT

AGENCY_FIELDS = ((_l("Office code"), ID), (_l("Office type"), TEXT), (_l("Province"), TEXT), (_l("County"), TEXT),
                 (_l("Area code"), ID), (_l("Area"), TEXT), (_l("Rank"), NUMBER), (_l("Allowed services"), NUMBER),
                 (_l("Services available in the area"), NUMBER), (_l("Verification code"), ID))


def _cells(row, labels: Labels) -> list:
    return [row.office_code, labels.types.get(row.office_type, row.office_type), row.province, row.county,
            row.area_code, row.area, row.rank, row.allowed_services, row.available_services, row.verification_code]


@bp.get("/exports/agencies.csv", defaults={"fmt": "csv"})
@bp.get("/exports/agencies.xlsx", defaults={"fmt": "xlsx"})
@staff
def export_agencies(fmt: str):
    round_ = current_round()
    if round_ is None or round_.approved_version is None:
        return render_error(409, _("The results are not final yet"), _(
            "The agencies' file holds only results an admin has approved as final. Approve the published results "
            "on the rounds page first."))
    query = offices_in_scope(final_results(round_)).order_by(Office.province, Area.code, Office.office_code)
    audit_export("agencies", round_, fmt, version=round_.approved_version)
    labels = Labels()
    return download(fmt, filename("agencies", round_, fmt, f"-v{round_.approved_version}"), _l("Ranks for agencies"),
                    AGENCY_FIELDS, (_cells(row, labels) for row in stream(query)))
