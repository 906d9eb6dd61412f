"""What every staff export shares: CSV or Excel from the same columns, rows streamed from the database, the
audit record, file names, and the office and holder columns."""

import sqlalchemy as sa
from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..database import end_transaction
from ..declaration.labels import OFFICE_TYPES
from ..extensions import db
from ..models import Area
from ..models import Office
from ..models import Round
from ..models import User
from ..models import audit
from ..rules import jalali
from ..rules.deadline import TEHRAN
from .csv_files import BATCH
from .csv_files import csv_response
from .xlsx_files import ID
from .xlsx_files import TEXT
from .xlsx_files import xlsx_response

FORMATS = ("csv", "xlsx")
STATUS_LABELS = {"not_started": _l("Not started"), "in_progress": _l("In progress"), "submitted": _l("Has submitted")}
CHOICE_LABELS = {"owned": _l("Owned"), "leased": _l("Leased"), "yes": _l("Yes"), "no": _l("No")}

OFFICE_COLUMNS = (Office.id, Office.license_number, Office.office_code, Office.office_type, Office.province,
                  Area.county, Area.name.label("area"), User.national_code, User.full_name, User.mobile)
# The office and holder columns of a row of OFFICE_COLUMNS (office_cells), with their kinds for Excel.
OFFICE_FIELDS = ((_l("License number"), ID), (_l("Office code"), ID), (_l("Office type"), TEXT),
                 (_l("Province"), TEXT), (_l("County"), TEXT), (_l("Area"), TEXT), (_l("National code"), ID),
                 (_l("License holder"), TEXT), (_l("Mobile"), ID))


class Labels:
    """Labels of stored codes, translated once per export: a lazy string would cost a gettext call per cell."""

    def __init__(self):
        self.types = {key: str(label) for key, label in OFFICE_TYPES.items()}
        self.statuses = {key: str(label) for key, label in STATUS_LABELS.items()}
        self.choices = {key: str(label) for key, label in CHOICE_LABELS.items()}


def office_cells(row, labels: Labels) -> list:
    return [row.license_number, row.office_code, labels.types.get(row.office_type, row.office_type), row.province,
            row.county, row.area, row.national_code, row.full_name, row.mobile]


def when(moment) -> str:
    """Jalali date and Tehran time in Latin digits, which Excel can sort and filter."""
    if moment is None:
        return ""
    return f"{jalali.format_date(moment, 'en', 'short')} {moment.astimezone(TEHRAN):%H:%M}"


def stream(query):
    """Rows in batches from a server-side cursor (PostgreSQL), never the whole result at once."""
    yield from db.session.execute(query.execution_options(yield_per=BATCH))


def filename(kind: str, round_: Round | None, fmt: str, suffix: str = "") -> str:
    stem = f"{kind}-{round_.jalali_year}-{round_.half}" if round_ else kind
    return f"{stem}{suffix}.{fmt}"


def audit_export(kind: str, round_: Round | None, fmt: str, **details) -> None:
    # Committed before the first byte is sent: the export is recorded even if the download is cut.
    end_transaction()
    audit("export", actor=current_user, target=f"round:{round_.id}" if round_ else None, kind=kind, format=fmt,
          address=request.remote_addr, province=current_user.province if current_user.role == "region" else None,
          **details)
    db.session.commit()


def download(fmt: str, name: str, title, fields, rows):
    """The rows as a CSV (UTF-8 with BOM) or an Excel workbook; fields: (header, kind) in column order."""
    if fmt == "xlsx":
        return xlsx_response(name, str(title), fields, rows)
    return csv_response(name, [header for header, _kind in fields], rows)


def count(query) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
