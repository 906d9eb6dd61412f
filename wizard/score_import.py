"""Score imports (issue 21 item 3): a CSV (any encoding the imports read) or .xlsx of office_code,score,value rows,
checked for the importer's role and province (rules.score_entry), then applied all or nothing; shared by the staff
pages and `flask scores import`."""

import csv
import io
from dataclasses import dataclass
from dataclasses import field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from . import clock
from .extensions import db
from .fields import INT_MESSAGES
from .import_files import UnreadableFile
from .import_files import read_import
from .models import Round
from .models import Score
from .models import audit
from .ranking import round_rubric
from .rules import score_entry
from .rules.text import normalize_identifier
from .scores import offices_in
from .scores import refuse_unless_open
from .scores import specs_for
from .scores import specs_of

XLSX_MAGIC = b"PK\x03\x04"
MAX_ROWS = 200_000

REASONS = {
    "empty": _l("This cell is empty."),
    "not_a_number": _l("Enter a whole number, e.g. 12."),
    **INT_MESSAGES,
    "out_of_range": _l("The score must be from %(low)s to %(high)s."),
    "unknown_office": _l("No office with the code %(code)s is in your province."),
    "unknown_score": _l("The rubric has no score named %(name)s that you enter; yours: %(names)s."),
    "not_yours": _l("The score %(name)s is not one you enter."),
    "not_for_type": _l("The rubric does not ask for the score %(name)s for this type of office."),
    "duplicate": _l("This office's score appears twice in the file (first on line %(line)s)."),
    "missing_column": _l("The header row has no column %(column)s; the columns are %(columns)s."),
    "no_header": _l("The file is empty; its first row must name the columns %(columns)s."),
    "unreadable_xlsx": _l("The workbook cannot be read: save it again from Excel as .xlsx, or as CSV UTF-8."),
    "too_many_rows": _l("The file has more than %(count)s rows."),
}


def reason_text(reason: str, params: dict) -> str:
    return str(REASONS.get(reason, REASONS["not_a_number"])) % params if params else str(REASONS[reason])


@dataclass
class ImportReport:
    """A checked import: the rows that change, how many are unchanged, and every problem."""

    changes: list = field(default_factory=list)
    unchanged: int = 0
    problems: list = field(default_factory=list)  # (line, column, message)
    rows: int = 0
    skipped: int = 0  # rows without a value

    @property
    def ok(self) -> bool:
        return not self.problems


def file_rows(data: bytes) -> tuple[list[str] | None, list[tuple[int, dict]]]:
    """The header and (line, {column: text}) rows of a CSV (any encoding the imports read) or an .xlsx.
    Raises UnreadableFile (CSV) or score_entry.Problem("unreadable_xlsx")."""
    if data.startswith(XLSX_MAGIC):
        return _xlsx_rows(data)
    stream, decoded = read_import(data)
    reader = csv.reader(stream, delimiter=decoded.delimiter)
    header = next(reader, None)
    return header, _named(header, ((reader.line_num, row) for row in reader))


def _named(header, numbered):
    names = [normalize_identifier(str(name or "")).lower() for name in header or []]
    rows = []
    for line, values in numbered:
        if not any((value or "").strip() for value in values):
            continue  # blank lines are not rows
        rows.append((line, {name: values[i] if i < len(values) else "" for i, name in enumerate(names)}))
        if len(rows) > MAX_ROWS:
            raise score_entry.Problem("too_many_rows", count=MAX_ROWS)
    return rows


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        numbered = []
        for line, row in enumerate(sheet.iter_rows(values_only=True), 1):
            numbered.append((line, ["" if cell is None else _cell_text(cell) for cell in row]))
            if line > MAX_ROWS + 1:
                break  # _named says the file is too long
        workbook.close()
    except Exception:  # noqa: BLE001 — any damage to the zip or its XML means the same to the user
        raise score_entry.Problem("unreadable_xlsx") from None
    if not numbered:
        return None, []
    header = [value for value in numbered[0][1]]
    return header, _named(header, numbered[1:])


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel keeps every number as a float: 85.0 is 85
    return str(value)


def check(round_: Round, data: bytes, role: str, province: str | None) -> ImportReport:
    """Read and check a score file for this role and scope, without writing anything."""
    report = ImportReport()
    try:
        header, rows = file_rows(data)
    except UnreadableFile as problem:
        report.problems.append((1, "", " ".join(problem.explained())))
        return report
    except score_entry.Problem as problem:
        report.problems.append((1, "", reason_text(problem.reason, problem.params)))
        return report
    trouble = score_entry.header_problems(header)
    if trouble:
        report.problems = [(p.line, p.column, reason_text(p.reason, {**p.params, "column": p.column}))
                           for p in trouble]
        return report
    rubric = round_rubric(round_)
    offices = {code: score_entry.Office(office_id, office_type) for office_id, code, office_type in
               db.session.execute(offices_in(province))}
    good, problems, report.skipped = score_entry.check_rows(rows, offices, specs_for(rubric, role), role,
                                                            specs_of(rubric))
    report.rows = len(rows)
    report.problems = [(p.line, p.column, reason_text(p.reason, p.params)) for p in problems]
    if report.ok:
        stored = dict(((office_id, name), value) for office_id, name, value in db.session.execute(
            sa.select(Score.office_id, Score.name, Score.value).where(Score.round_id == round_.id)))
        report.changes, report.unchanged = score_entry.plan(good, stored)
    return report


def apply(round_: Round, report: ImportReport, actor, source: str) -> int:
    """Write a checked import's changes (all in the caller's transaction; the caller commits); audited."""
    refuse_unless_open(round_)
    by_office: dict[int, dict[str, int]] = {}
    for row in report.changes:
        by_office.setdefault(row.office_id, {})[row.name] = row.value
    now = clock.now()
    stored = {(row.office_id, row.name): row for row in db.session.scalars(
        sa.select(Score).where(Score.round_id == round_.id, Score.office_id.in_(by_office)))} if by_office else {}
    for office_id, values in by_office.items():
        for name, value in values.items():
            row = stored.get((office_id, name))
            if row is None:
                db.session.add(Score(round_id=round_.id, office_id=office_id, name=name, value=value,
                                     status="entered", entered_by=getattr(actor, "id", None), entered_at=now))
            else:
                row.value, row.status, row.entered_by, row.entered_at = value, "entered", getattr(actor, "id", None), now
                row.confirmed_by = row.confirmed_at = None
    audit("scores-import", target=f"round:{round_.id}", file=source, changed=len(report.changes),
          unchanged=report.unchanged)
    return len(report.changes)
