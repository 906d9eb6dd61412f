"""The scoring phase (SPEC §5, issue 21): regions and associations enter or import the scores the round's rubric
asks of them, a region confirms each one, and `results compute` waits for them.

Shared by the staff pages (wizard/admin/scores.py) and the command line (`flask scores import`); the rules are in
wizard/rules/score_entry.py."""

import csv
import io
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from . import clock
from .extensions import db
from .fields import INT_MESSAGES
from .import_files import UnreadableFile
from .import_files import read_import
from .models import Office
from .models import Round
from .models import Score
from .models import audit
from .ranking import round_rubric
from .rules import score_entry
from .rules.rubric import Rubric
from .rules.rubric import ScoreSpec
from .rules.text import normalize_identifier

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


# ---------------------------------------------------------------- what the rubric asks of whom


def specs_of(rubric: Rubric) -> dict[str, ScoreSpec]:
    return {spec.name: spec for spec in rubric.scores}


def specs_for(rubric: Rubric, role: str) -> dict[str, ScoreSpec]:
    """The scores this role enters (score_entry.may_enter), by name, in rubric order."""
    return {name: spec for name, spec in specs_of(rubric).items() if score_entry.may_enter(role, spec)}


def label(spec: ScoreSpec) -> str:
    english = str(get_locale() or "fa") == "en"
    return (spec.label_en if english else spec.label_fa) or spec.name


def unit(spec: ScoreSpec) -> str:
    english = str(get_locale() or "fa") == "en"
    return spec.unit_en if english else spec.unit_fa


def phase(round_: Round | None, now: datetime | None = None) -> str:
    """before, open or closed (score_entry.phase); "none" without a round."""
    if round_ is None or round_.status == "draft":
        return "none"
    ended = round_.window_end if round_.status != "open" else round_.deadline
    return score_entry.phase(now or clock.now(), ended, round_.scoring_deadline, round_.approved_version is not None)


class ScoringClosed(Exception):
    """Scores cannot be entered now; the message says why."""


def refuse_unless_open(round_: Round | None) -> None:
    state = phase(round_)
    if state == "none":
        raise ScoringClosed(_("No evaluation round yet."))
    if state == "before":
        raise ScoringClosed(_("Scores are entered after the declaration window closes."))
    if state == "closed":
        if round_.approved_version is not None:
            raise ScoringClosed(_("The results of this round are final; scores can no longer change."))
        raise ScoringClosed(_("The scoring phase ended on %(deadline)s (Tehran time); scores can no longer be "
                              "entered or changed.", deadline=_moment(round_.scoring_deadline)))


def _moment(moment) -> str:
    from .filters import digits
    from .rules import jalali

    return digits(jalali.format_datetime(moment, locale=str(get_locale() or "fa")))


# ---------------------------------------------------------------- entering and confirming


def stored_for(round_: Round, office_id: int) -> dict[str, Score]:
    rows = db.session.scalars(sa.select(Score).where(Score.round_id == round_.id, Score.office_id == office_id))
    return {row.name: row for row in rows}


def enter(round_: Round, office: Office, values: dict[str, int | None], actor) -> list[str]:
    """Store the values typed for one office (None: withdraw the score); a new or changed value is "entered"
    again, waiting for the region's confirmation. Returns the names that changed; audited; the caller commits."""
    refuse_unless_open(round_)
    stored = stored_for(round_, office.id)
    now, changed = clock.now(), []
    for name, value in values.items():
        row = stored.get(name)
        if value is None:
            if row is not None:
                db.session.delete(row)
                changed.append(name)
            continue
        if score_entry.after_entry(row.value if row else None, row.status if row else None, value) is None:
            continue
        if row is None:
            db.session.add(Score(round_id=round_.id, office_id=office.id, name=name, value=value, status="entered",
                                 entered_by=getattr(actor, "id", None), entered_at=now))
        else:
            row.value, row.status, row.entered_by, row.entered_at = value, "entered", getattr(actor, "id", None), now
            row.confirmed_by = row.confirmed_at = None
        changed.append(name)
    if changed:
        audit("scores-enter", target=f"office:{office.id}", round=round_.id,
              values={name: values[name] for name in changed})
    return changed


def confirm(round_: Round, score_ids: list[int], office_ids_in_scope, actor) -> int:
    """Confirm the entered scores among score_ids that belong to offices in scope; audited; the caller commits.
    Confirming is allowed after the scoring deadline too: the region confirms what was entered in time."""
    if round_.approved_version is not None:
        raise ScoringClosed(_("The results of this round are final; scores can no longer change."))
    if not score_ids:
        return 0
    rows = db.session.scalars(sa.select(Score).where(
        Score.round_id == round_.id, Score.id.in_(score_ids), Score.status == "entered",
        Score.office_id.in_(office_ids_in_scope))).all()
    now = clock.now()
    for row in rows:
        row.status, row.confirmed_by, row.confirmed_at = "confirmed", actor.id, now
    if rows:
        audit("scores-confirm", target=f"round:{round_.id}", count=len(rows), scores=sorted(row.id for row in rows))
    return len(rows)


# ---------------------------------------------------------------- the list of every score asked for


def offices_in(province: str | None):
    """The offices of a province (None: every province), as a select of id, office_code, office_type."""
    query = sa.select(Office.id, Office.office_code, Office.office_type)
    return query if province is None else query.where(Office.province == province)


def cells(round_: Round, rubric: Rubric, province: str | None, names: list[str], wanted_state: str | None = None,
          code: str | None = None):
    """One row per (office in scope, score asked of it): office id, code, type, score name, the stored score's
    id, value and status (None: missing), ordered by office code and rubric order; filtered by state and code."""
    specs = specs_of(rubric)
    offices = offices_in(province).subquery()
    parts = []
    for order, name in enumerate(names):
        spec = specs[name]
        part = (sa.select(offices.c.id.label("office_id"), offices.c.office_code.label("office_code"),
                          offices.c.office_type.label("office_type"), sa.literal(name).label("name"),
                          sa.literal(order).label("position"), Score.id.label("score_id"),
                          Score.value.label("value"), Score.status.label("status"))
                .select_from(offices)
                .outerjoin(Score, sa.and_(Score.office_id == offices.c.id, Score.round_id == round_.id,
                                          Score.name == name)))
        if spec.office_types:
            part = part.where(offices.c.office_type.in_(spec.office_types))
        if wanted_state == "missing":
            part = part.where(Score.id.is_(None))
        elif wanted_state in ("entered", "confirmed"):
            part = part.where(Score.status == wanted_state)
        if code:
            part = part.where(offices.c.office_code.contains(code, autoescape=True))
        parts.append(part)
    if not parts:
        return None
    union = sa.union_all(*parts).subquery()
    return sa.select(union).order_by(union.c.office_code, union.c.position)


def counts(round_: Round, rubric: Rubric, province: str | None, names: list[str]) -> dict[str, int]:
    """How many scores asked for are missing, entered and confirmed."""
    query = cells(round_, rubric, province, names)
    if query is None:
        return dict.fromkeys(score_entry.STATES, 0)
    rows = query.subquery()
    found = {score_entry.state(status): count for status, count in db.session.execute(
        sa.select(rows.c.status, sa.func.count()).group_by(rows.c.status)).all()}
    return {state: found.get(state, 0) for state in score_entry.STATES}


# ---------------------------------------------------------------- importing


@dataclass
class ImportReport:
    """A checked import: the rows that change, how many are unchanged, and every problem."""

    changes: list = field(default_factory=list)
    unchanged: int = 0
    problems: list = field(default_factory=list)  # (line, column, message)
    rows: int = 0

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
        numbered = [(line, ["" if cell is None else _cell_text(cell) for cell in row])
                    for line, row in enumerate(sheet.iter_rows(values_only=True), 1)]
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
    good, problems = score_entry.check_rows(rows, offices, specs_for(rubric, role), role, specs_of(rubric))
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
