"""CSV exports for staff (declarations, results, non-submitters), streamed so 20,000 offices never sit in memory."""

import json

import sqlalchemy as sa
from flask import abort
from flask import render_template
from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..database import end_transaction
from ..declaration.labels import OFFICE_TYPES
from ..extensions import db
from ..models import Area
from ..models import Office
from ..models import Result
from ..models import Round
from ..models import Submission
from ..models import User
from ..models import audit
from ..rounds import current_round
from ..rules import jalali
from ..rules.deadline import TEHRAN
from .blueprint import bp
from .csv_files import BATCH
from .csv_files import csv_response
from . import progress
from .paging import EMPTY
from .paging import paging_for
from .scope import offices_in_scope
from .scope import staff

STATUS_LABELS = {"not_started": _l("Not started"), "in_progress": _l("In progress"), "submitted": _l("Has submitted")}
CHOICE_LABELS = {"owned": _l("Owned"), "leased": _l("Leased"), "yes": _l("Yes"), "no": _l("No")}

OFFICE_COLUMNS = (Office.id, Office.license_number, Office.office_code, Office.office_type, Office.province,
                  Area.county, Area.name.label("area"), User.national_code, User.full_name, User.mobile)


def _when(moment) -> str:
    """Jalali date and Tehran time in Latin digits, which Excel can sort and filter."""
    if moment is None:
        return ""
    return f"{jalali.format_date(moment, 'en', 'short')} {moment.astimezone(TEHRAN):%H:%M}"


def _stream(query):
    """Rows in batches from a server-side cursor (PostgreSQL), never the whole result at once."""
    yield from db.session.execute(query.execution_options(yield_per=BATCH))


def _filename(kind: str, round_: Round | None, suffix: str = "") -> str:
    stem = f"{kind}-{round_.jalali_year}-{round_.half}" if round_ else kind
    return f"{stem}{suffix}.csv"


def _audit_export(kind: str, round_: Round | None, **details) -> None:
    # Committed before the first byte is sent: the export is recorded even if the download is cut.
    end_transaction()
    audit("export", actor=current_user, target=f"round:{round_.id}" if round_ else None, kind=kind,
          address=request.remote_addr, province=current_user.province if current_user.role == "region" else None,
          **details)
    db.session.commit()


@bp.get("/exports")
@staff
def exports():
    round_ = current_round()
    provisional = (current_user.role == "admin" and round_ is not None
                   and round_.results_version > (round_.published_version or 0))
    return render_template("admin/exports.html", round=round_, provisional=provisional)


# Declarations ---------------------------------------------------------------------------------------------------

class _Labels:
    """Labels of stored codes, translated once per export: a lazy string would cost a gettext call per cell."""

    def __init__(self):
        self.types = {key: str(label) for key, label in OFFICE_TYPES.items()}
        self.statuses = {key: str(label) for key, label in STATUS_LABELS.items()}
        self.choices = {key: str(label) for key, label in CHOICE_LABELS.items()}


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
    (_l("Office phone"), _get("license", "office_phone")),
    (_l("Declared mobile"), _get("license", "mobile")),
    (_l("Email"), _get("license", "email")),
    (_l("Date the office started its activity"), _day("license", "activity_start")),
    (_l("Postal code"), _get("address", "postal_code")),
    (_l("Address"), _get("address", "address")),
    (_l("Floor area (square metres)"), _get("premises", "floor_area")),
    (_l("The premises are"), _choice("premises", "ownership")),
    (_l("Service counters"), _get("premises", "counters")),
    (_l("Computers"), _get("premises", "computers")),
    (_l("Printers"), _get("premises", "printers")),
    (_l("Scanners"), _get("premises", "scanners")),
    (_l("Card readers and POS terminals"), _get("premises", "card_readers")),
    (_l("Internet bandwidth (Mbps)"), _get("premises", "bandwidth_mbps")),
    (_l("Accessible for people with disabilities"), _choice("premises", "accessible")),
    (_l("Waiting seats"), _get("premises", "waiting_seats")),
    (_l("Staff count"), _staff()),
    (_l("Insured staff"), _staff(only_insured=True)),
    (_l("Working days a week"), _get("hours", "working_days")),
    (_l("Opening time (hour:minute)"), _get("hours", "opens_at")),
    (_l("Closing time (hour:minute)"), _get("hours", "closes_at")),
    (_l("Shifts a day"), _get("hours", "shifts")),
    (_l("Services offered now"), _get("hours", "services_offered")),
    (_l("Average transactions a month"), _get("hours", "monthly_transactions")),
)
OFFICE_HEADER = (_l("License number"), _l("Office code"), _l("Office type"), _l("Province"), _l("County"),
                 _l("Area"), _l("National code"), _l("License holder"), _l("Mobile"))
DECLARATION_HEADER = (*OFFICE_HEADER, _l("Status"), _l("Submission number"), _l("Tracking code"),
                      _l("Submitted at"), _l("SHA-256"), *(label for label, _value in ANSWER_COLUMNS))


def _office_cells(row, labels: _Labels) -> list:
    return [row.license_number, row.office_code, labels.types.get(row.office_type, row.office_type), row.province,
            row.county, row.area, row.national_code, row.full_name, row.mobile]


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


def _declaration_cells(row, labels: _Labels) -> list:
    answers = json.loads(row.snapshot).get("steps", {}) if row.snapshot else {}
    return [*_office_cells(row, labels), labels.statuses[row.status], row.number, row.tracking_code,
            _when(row.submitted_at), row.sha256, *(value(answers, labels) for _label, value in ANSWER_COLUMNS)]


@bp.get("/exports/declarations.csv")
@staff
def export_declarations():
    round_ = current_round()
    query = _declarations_query(round_.id if round_ else None)
    _audit_export("declarations", round_)
    labels = _Labels()
    return csv_response(_filename("declarations", round_), DECLARATION_HEADER,
                        (_declaration_cells(row, labels) for row in _stream(query)))


# Results --------------------------------------------------------------------------------------------------------

RESULT_HEADER = (_l("License number"), _l("Office code"), _l("Province"), _l("Area"), _l("Rank"), _l("Score"),
                 _l("Allowed services"), _l("Verification code"), _l("Published"))


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
                       Result.published_at)
             .join(Office, Office.id == Result.office_id).join(Area, Area.id == Office.area_id)
             .where(Result.round_id == round_id, Result.version == version))
    return offices_in_scope(query).order_by(Office.province, Result.rank, Result.score.desc(), Office.license_number)


def _result_cells(row) -> list:
    return [row.license_number, row.office_code, row.province, row.area, row.rank, row.score, row.allowed_services,
            row.verification_code, _when(row.published_at)]


@bp.get("/exports/results.csv")
@staff
def export_results():
    round_ = current_round()
    version = _results_version(round_)
    query = _results_query(round_.id if round_ else None, version)
    published = round_ is not None and version is not None and version == round_.published_version
    _audit_export("results", round_, version=version, published=published)
    suffix = f"-v{version or 0}" if request.args.get("version") == "latest" else ""
    return csv_response(_filename("results", round_, suffix), RESULT_HEADER,
                        (_result_cells(row) for row in _stream(query)))


# Non-submitters ------------------------------------------------------------------------------------------------

NON_SUBMITTER_HEADER = (*OFFICE_HEADER, _l("Status"))


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
                           types=OFFICE_TYPES, statuses=STATUS_LABELS)


@bp.get("/non-submitters.csv")
@staff
def export_non_submitters():
    round_ = current_round()
    if round_ is None:
        abort(404)  # no round, so nobody is late yet
    query = _non_submitters_query(round_.id)
    _audit_export("non-submitters", round_)
    labels = _Labels()
    return csv_response(_filename("non-submitters", round_), NON_SUBMITTER_HEADER,
                        ([*_office_cells(row, labels), labels.statuses[row.status]] for row in _stream(query)))
