"""CSV and Excel exports for staff (declarations, results), streamed so 20,000 offices never sit in memory."""

import json

import sqlalchemy as sa
from flask import abort
from flask import render_template
from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..models import Area
from ..models import Office
from ..models import Result
from ..models import Round
from ..models import Submission
from ..models import User
from ..rounds import current_round
from .blueprint import bp
from .export_common import OFFICE_COLUMNS
from .export_common import OFFICE_FIELDS
from .export_common import Labels
from .export_common import audit_export
from .export_common import download
from .export_common import filename
from .export_common import office_cells
from .export_common import stream
from .export_common import when
from . import progress
from .scope import offices_in_scope
from .scope import staff
from .xlsx_files import DATE
from .xlsx_files import ID
from .xlsx_files import NUMBER
from .xlsx_files import TEXT


@bp.get("/exports")
@staff
def exports():
    round_ = current_round()
    provisional = (current_user.role == "admin" and round_ is not None
                   and round_.results_version > (round_.published_version or 0))
    return render_template("admin/exports.html", round=round_, provisional=provisional)


# Declarations ---------------------------------------------------------------------------------------------------

def _get(step: str, name: str):
    return lambda answers, labels=None: (answers.get(step) or {}).get(name)


def _choice(step: str, name: str):
    def value(answers, labels):
        code = _get(step, name)(answers)
        return labels.choices.get(code, code)
    return value


def _day(step: str, name: str):
    def value(answers, labels):
        day = _get(step, name)(answers)
        return f"{day['year']:04d}/{day['month']:02d}/{day['day']:02d}" if isinstance(day, dict) else day
    return value


def _staff(only_insured: bool = False):
    def value(answers, labels):
        people = _get("staff", "staff")(answers)
        if not isinstance(people, list):
            return None
        return sum(1 for person in people if not only_insured or person.get("insured") == "yes")
    return value


# The submitted answers as columns, with the wizard's own labels.
ANSWER_COLUMNS = (
    (_l("Office phone"), ID, _get("license", "office_phone")),
    (_l("Declared mobile"), ID, _get("license", "mobile")),
    (_l("Email"), TEXT, _get("license", "email")),
    (_l("Date the office started its activity"), DATE, _day("license", "activity_start")),
    (_l("Postal code"), ID, _get("address", "postal_code")),
    (_l("Address"), TEXT, _get("address", "address")),
    (_l("Floor area (square metres)"), NUMBER, _get("premises", "floor_area")),
    (_l("The premises are"), TEXT, _choice("premises", "ownership")),
    (_l("Service counters"), NUMBER, _get("premises", "counters")),
    (_l("Computers"), NUMBER, _get("premises", "computers")),
    (_l("Printers"), NUMBER, _get("premises", "printers")),
    (_l("Scanners"), NUMBER, _get("premises", "scanners")),
    (_l("Card readers and POS terminals"), NUMBER, _get("premises", "card_readers")),
    (_l("Internet bandwidth (Mbps)"), NUMBER, _get("premises", "bandwidth_mbps")),
    (_l("Accessible for people with disabilities"), TEXT, _choice("premises", "accessible")),
    (_l("Waiting seats"), NUMBER, _get("premises", "waiting_seats")),
    (_l("Staff count"), NUMBER, _staff()),
    (_l("Insured staff"), NUMBER, _staff(only_insured=True)),
    (_l("Working days a week"), NUMBER, _get("hours", "working_days")),
    (_l("Opening time (hour:minute)"), TEXT, _get("hours", "opens_at")),
    (_l("Closing time (hour:minute)"), TEXT, _get("hours", "closes_at")),
    (_l("Shifts a day"), NUMBER, _get("hours", "shifts")),
    (_l("Services offered now"), NUMBER, _get("hours", "services_offered")),
    (_l("Average transactions a month"), NUMBER, _get("hours", "monthly_transactions")),
)
DECLARATION_FIELDS = (*OFFICE_FIELDS, (_l("Status"), TEXT), (_l("Submission number"), NUMBER),
                      (_l("Tracking code"), ID), (_l("Submitted at"), DATE), (_l("SHA-256"), ID),
                      *((label, kind) for label, kind, _value in ANSWER_COLUMNS))


def _declarations_query(round_id: int | None):
    """Every office in scope with its status and latest submission in the round (None: no round yet)."""
    latest = (sa.select(Submission.office_id, sa.func.max(Submission.number).label("number"))
              .where(Submission.round_id == round_id).group_by(Submission.office_id).subquery())
    query = (sa.select(*OFFICE_COLUMNS, progress.status_case(round_id).label("status"), Submission.number,
                       Submission.tracking_code, Submission.submitted_at, Submission.sha256, Submission.snapshot)
             .join(Area, Area.id == Office.area_id).join(User, User.id == Office.holder_id)
             .outerjoin(latest, latest.c.office_id == Office.id)
             .outerjoin(Submission, sa.and_(Submission.office_id == Office.id, Submission.round_id == round_id,
                                            Submission.number == latest.c.number)))
    return offices_in_scope(query).order_by(Office.province, Office.license_number)


def _declaration_cells(row, labels: Labels) -> list:
    answers = json.loads(row.snapshot).get("steps", {}) if row.snapshot else {}
    return [*office_cells(row, labels), labels.statuses[row.status], row.number, row.tracking_code,
            when(row.submitted_at), row.sha256, *(value(answers, labels) for _label, _kind, value in ANSWER_COLUMNS)]


@bp.get("/exports/declarations.csv", defaults={"fmt": "csv"})
@bp.get("/exports/declarations.xlsx", defaults={"fmt": "xlsx"})
@staff
def export_declarations(fmt: str):
    round_ = current_round()
    query = _declarations_query(round_.id if round_ else None)
    audit_export("declarations", round_, fmt)
    labels = Labels()
    return download(fmt, filename("declarations", round_, fmt), _l("Declarations"), DECLARATION_FIELDS,
                    (_declaration_cells(row, labels) for row in stream(query)))


# Results --------------------------------------------------------------------------------------------------------

RESULT_FIELDS = ((_l("License number"), ID), (_l("Office code"), ID), (_l("Province"), TEXT), (_l("Area"), TEXT),
                 (_l("Rank"), NUMBER), (_l("Score"), NUMBER), (_l("Allowed services"), NUMBER),
                 (_l("Verification code"), ID), (_l("Published"), DATE), (_l("Scored on"), TEXT))
BASIS_LABELS = {"submission": _l("this round's submission"), "earlier": _l("an earlier round's submission"),
                "none": _l("no data (rank 3)")}


def _results_version(round_: Round | None) -> int | None:
    """Holders' rule (the published set) unless an admin asks for the latest computed one."""
    if request.args.get("version") != "latest":
        return round_.published_version if round_ else None
    if current_user.role != "admin":
        abort(403)  # provisional results are the regulator's until it publishes them
    return round_.results_version if round_ else None


def _results_query(round_id: int | None, version: int | None):
    query = (sa.select(Office.license_number, Office.office_code, Office.province, Area.name.label("area"),
                       Result.rank, Result.score, Result.allowed_services, Result.verification_code,
                       Result.published_at, Result.basis)
             .join(Office, Office.id == Result.office_id).join(Area, Area.id == Office.area_id)
             .where(Result.round_id == round_id, Result.version == version))
    return offices_in_scope(query).order_by(Office.province, Result.rank, Result.score.desc(), Office.license_number)


def _result_cells(row) -> list:
    return [row.license_number, row.office_code, row.province, row.area, row.rank, row.score, row.allowed_services,
            row.verification_code, when(row.published_at), str(BASIS_LABELS[row.basis])]


@bp.get("/exports/results.csv", defaults={"fmt": "csv"})
@bp.get("/exports/results.xlsx", defaults={"fmt": "xlsx"})
@staff
def export_results(fmt: str):
    round_ = current_round()
    version = _results_version(round_)
    query = _results_query(round_.id if round_ else None, version)
    published = round_ is not None and version is not None and version == round_.published_version
    audit_export("results", round_, fmt, version=version, published=published)
    suffix = f"-v{version or 0}" if request.args.get("version") == "latest" else ""
    return download(fmt, filename("results", round_, fmt, suffix), _l("Results"), RESULT_FIELDS,
                    (_result_cells(row) for row in stream(query)))
