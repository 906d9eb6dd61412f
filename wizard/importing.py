"""CSV imports of areas and offices: validate every row first, then apply all or nothing.

Both imports are idempotent: rows are matched on their natural key (area code, license
number), unchanged rows are left alone, so re-importing a file changes nothing.
"""

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from typing import IO

import sqlalchemy as sa
from flask_babel import gettext as _

from .extensions import db
from .import_columns import AREA_CONVERTERS
from .import_columns import OFFICE_CONVERTERS
from .models import Area
from .models import Office
from .models import User
from .models import audit



@dataclass
class RowError:
    line: int
    column: str
    message: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    new_holders: list = field(default_factory=list)  # accounts created by this import

    @property
    def ok(self) -> bool:
        return not self.errors


def import_areas(stream: IO[str], delimiter: str = ",") -> ImportReport:
    """Import areas.csv; on any bad row nothing is written and every error is reported, in line order."""
    report, rows = _parse(stream, AREA_CONVERTERS, delimiter)
    rows = [(line, _area_values(row)) for line, row in rows]
    _unique(rows, "code", "area_code", _("This area code appears twice in the file."), report)
    if report.ok:
        existing = {a.code: a for a in db.session.scalars(sa.select(Area))}
        for _line, values in rows:
            _upsert(existing.get(values["code"]), Area, values, report)
        _finish("import-areas", report)
    return _in_line_order(report, AREA_CONVERTERS)


def import_offices(stream: IO[str], delimiter: str = ",") -> ImportReport:
    """Import offices.csv with their holders; all or nothing, like import_areas."""
    report, rows = _parse(stream, OFFICE_CONVERTERS, delimiter)
    rows = [(line, _office_values(row)) for line, row in rows]
    _unique(rows, "license_number", "license_number", _("This license number appears twice in the file."), report)
    _unique(rows, "office_code", "office_code", _("This office code appears twice in the file."), report)
    _check_holders_agree(rows, report)
    areas = {a.code: a for a in db.session.scalars(sa.select(Area))}
    _check_areas(rows, areas, report)
    _check_office_codes(rows, report)
    holders = _existing_holders(rows, report)
    if not report.ok:
        return _in_line_order(report, OFFICE_CONVERTERS)
    report.new_holders = _add_missing_holders(rows, holders)
    existing = {o.license_number: o for o in db.session.scalars(sa.select(Office))}
    for _line, values in rows:
        person = values.pop("holder")
        values["holder_id"] = holders[person["national_code"]].id
        values["area_id"] = areas[values.pop("area_code")].id
        _upsert(existing.get(values["license_number"]), Office, values, report)
    _finish("import-offices", report)
    return report


def _in_line_order(report: ImportReport, convert: dict) -> ImportReport:
    """Errors by line, and within a line by column, whichever check found them."""
    columns = {name: index for index, name in enumerate(convert)}
    report.errors.sort(key=lambda error: (error.line, columns.get(error.column, -1)))
    return report


def _parse(stream, convert, delimiter=",") -> tuple[ImportReport, list[tuple[int, dict]]]:
    report = ImportReport()
    reader = csv.DictReader(stream, delimiter=delimiter)
    header = [(name or "").strip().lstrip("\ufeff") for name in (reader.fieldnames or [])]
    missing = [c for c in convert if c not in header]
    if missing:
        report.errors.append(RowError(1, ", ".join(missing), _("These columns are missing from the header row.")))
        return report, []
    reader.fieldnames = header
    rows = []
    for record in reader:
        values, problems = _convert_row(record, convert)
        report.errors.extend(RowError(reader.line_num, column, message) for column, message in problems)
        if not problems:
            rows.append((reader.line_num, values))
    if not rows and not report.errors:
        report.errors.append(RowError(1, "", _("The file has no data rows.")))
    return report, rows


def _convert_row(record: dict, convert: dict) -> tuple[dict, list[tuple[str, str]]]:
    """Run each column's converter; collect every bad column, not only the first."""
    values, problems = {}, []
    for column, converter in convert.items():
        try:
            values[column] = converter((record.get(column) or "").strip())
        except ValueError as problem:
            problems.append((column, str(problem)))
    return values, problems


def _area_values(row: dict) -> dict:
    return {"code": row.pop("area_code"), **row}


def _office_values(row: dict) -> dict:
    holder = {key: row.pop(key) for key in ("national_code", "full_name", "mobile")}
    return {"holder": holder, **row}


def _unique(rows, key, column, message, report):
    seen: set = set()
    for line, values in rows:
        if values[key] in seen:
            report.errors.append(RowError(line, column, message))
        seen.add(values[key])


def _check_holders_agree(rows, report):
    """One national code is one person: the same name and mobile on every row."""
    first: dict[str, dict] = {}
    for line, values in rows:
        person = values["holder"]
        known = first.setdefault(person["national_code"], person)
        if known != person:
            report.errors.append(RowError(line, "full_name", _(
                "This national code appears on an earlier row with a different name or mobile.")))


def _check_areas(rows, areas, report):
    for line, values in rows:
        area = areas.get(values["area_code"])
        if area is None:
            report.errors.append(RowError(line, "area_code", _("Unknown area code; import the areas first.")))
        elif area.province != values["province"]:
            report.errors.append(RowError(line, "area_code", _("This area is not in the office's province.")))


def _check_office_codes(rows, report):
    """An office code already used by another license cannot move to this one."""
    owners = dict(db.session.execute(sa.select(Office.office_code, Office.license_number)).all())
    for line, values in rows:
        owner = owners.get(values["office_code"])
        if owner is not None and owner != values["license_number"]:
            report.errors.append(RowError(line, "office_code", _("This office code belongs to another license.")))


def _existing_holders(rows, report) -> dict[str, User]:
    """Accounts that already belong to the file's national codes; a code used as someone else's username is an error."""
    users = {u.national_code: u for u in db.session.scalars(sa.select(User).where(User.national_code.is_not(None)))}
    usernames = set(db.session.scalars(sa.select(User.username)))
    for line, values in rows:
        code = values["holder"]["national_code"]
        if code not in users and code in usernames:
            report.errors.append(RowError(line, "national_code", _(
                "Another account already uses this national code as its username.")))
    return users


def _add_missing_holders(rows, users: dict[str, User]) -> list[User]:
    """Create or update the holder account of every national code in the file; return the new ones."""
    created = []
    for _line, values in rows:
        person = values["holder"]
        user = users.get(person["national_code"])
        if user is None:
            user = users[person["national_code"]] = User(username=person["national_code"], role="holder",
                                                         must_change_password=True, **person)
            db.session.add(user)
            created.append(user)
        else:
            _assign(user, person)
    db.session.flush()
    return created


def _upsert(existing, model, values: dict, report: ImportReport) -> None:
    if existing is None:
        db.session.add(model(**values))
        report.created += 1
    elif _assign(existing, values):
        report.updated += 1
    else:
        report.unchanged += 1


def _assign(obj, values: dict) -> bool:
    """Set the values that differ; tell whether anything changed."""
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


def _finish(action: str, report: ImportReport) -> None:
    audit(action, created=report.created, updated=report.updated, unchanged=report.unchanged)
    db.session.commit()


def format_errors(errors: Iterable[RowError]) -> list[str]:
    return [_("Line %(line)d, column %(column)s: %(message)s", line=e.line, column=e.column, message=e.message)
            for e in errors]
