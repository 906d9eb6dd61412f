"""Scores from outside the declaration (SPEC §5): who enters which, the scoring phase's clock, import rows."""

# Pure: the callers read the offices, the stored scores and the clock, and turn each problem's `reason` into a
# translated message (wizard/scores.py). A score import is `office_code,score,value`, checked before any write.

from dataclasses import dataclass
from datetime import datetime

from .rubric import ScoreSpec
from .text import numeric_text
from .text import normalize_identifier
from .text import parse_int

COLUMNS = ("office_code", "score", "value")
STATES = ("missing", "entered", "confirmed")


def may_enter(role: str, spec: ScoreSpec) -> bool:
    """A region enters the scores the rubric gives the region, an association only its own; an admin either."""
    return role == "admin" or role == spec.entered_by


def may_confirm(role: str) -> bool:
    """Every score is confirmed by the office's region (or an admin), whoever entered it."""
    return role in ("region", "admin")


def phase(now: datetime, window_end: datetime, scoring_deadline: datetime | None, final: bool) -> str:
    """"before" the declaration window has ended, "open" in the scoring phase, "closed" once its deadline has
    passed (its last second is still inside) or the results are final. No deadline: open until final."""
    if final:
        return "closed"
    if now <= window_end:
        return "before"
    if scoring_deadline is not None and now > scoring_deadline:
        return "closed"
    return "open"


def state(stored: str | None) -> str:
    """A score's state in the lists: missing (nothing entered), entered or confirmed."""
    return stored if stored in ("entered", "confirmed") else "missing"


def after_entry(old_value: int | None, old_status: str | None, value: int) -> str | None:
    """The status a score takes when `value` is entered: None when nothing changes (same value), else
    "entered" — a new value, or a changed confirmed one, waits for the region's confirmation again."""
    if old_value is not None and old_value == value:
        return None
    return "entered"


class Problem(ValueError):
    """One bad cell: `reason` names it for a translated message, `params` fill it."""

    def __init__(self, reason: str, **params):
        super().__init__(reason)
        self.reason = reason
        self.params = params


def read_value(typed: str, spec: ScoreSpec) -> int:
    """A score as typed (any digit script, invisible marks): a whole number in the spec's range, else Problem."""
    text = numeric_text(typed or "")
    if not text:
        raise Problem("empty")
    try:
        value = parse_int(text)
    except ValueError as problem:
        raise Problem(getattr(problem, "reason", "not_a_number")) from None
    if (spec.low is not None and value < spec.low) or (spec.high is not None and value > spec.high):
        raise Problem("out_of_range", low=spec.low, high=spec.high)
    return value


@dataclass(frozen=True)
class Row:
    """A checked row: the office's code and id, the score's name and the value."""

    line: int
    office_code: str
    office_id: int
    name: str
    value: int


@dataclass(frozen=True)
class RowProblem:
    line: int
    column: str
    reason: str
    params: dict


@dataclass(frozen=True)
class Office:
    """What the check needs of an office the importer may score: its id and type."""

    id: int
    office_type: str


def header_problems(header: list[str] | None) -> list[RowProblem]:
    """The header must name office_code, score and value (any order, any case, extra columns ignored)."""
    if not header:
        return [RowProblem(1, "", "no_header", {"columns": ",".join(COLUMNS)})]
    names = [normalize_identifier(str(name or "")).lower() for name in header]
    return [RowProblem(1, column, "missing_column", {"columns": ",".join(COLUMNS)})
            for column in COLUMNS if column not in names]


def check_rows(rows, offices: dict[str, Office], specs: dict[str, ScoreSpec], role: str,
               all_specs: dict[str, ScoreSpec]) -> tuple[list[Row], list[RowProblem], int]:
    """Each (line, {column: text}) row as a Row, or every problem found, in line order, and how many rows were
    left without a value (skipped: a downloaded list of missing scores comes back partly filled).

    offices: the offices the importer may score, by office code; specs: the scores the importer may enter, by
    name; all_specs: every score of the rubric (to say "not yours" rather than "unknown")."""
    good: list[Row] = []
    problems: list[RowProblem] = []
    first: dict[tuple[str, str], int] = {}
    skipped = 0
    for line, cells in rows:
        blank = not numeric_text(cells.get("value") or "")
        found = []
        code = normalize_identifier(cells.get("office_code") or "").upper()
        name = normalize_identifier(cells.get("score") or "").lower()
        office = offices.get(code)
        if not code:
            found.append(RowProblem(line, "office_code", "empty", {}))
        elif office is None:
            found.append(RowProblem(line, "office_code", "unknown_office", {"code": code}))
        spec = specs.get(name)
        if not name:
            found.append(RowProblem(line, "score", "empty", {}))
        elif spec is None and name in all_specs:
            found.append(RowProblem(line, "score", "not_yours", {"name": name}))
        elif spec is None:
            found.append(RowProblem(line, "score", "unknown_score", {"name": name, "names": ", ".join(specs)}))
        elif office is not None and not spec.applies_to(office.office_type):
            found.append(RowProblem(line, "score", "not_for_type", {"name": name}))
        value = None
        if spec is not None and not blank:
            try:
                value = read_value(cells.get("value") or "", spec)
            except Problem as problem:
                found.append(RowProblem(line, "value", problem.reason, problem.params))
        if not found and (code, name) in first:
            found.append(RowProblem(line, "score", "duplicate", {"line": first[(code, name)]}))
        if found:
            problems += found
            continue
        if blank:
            skipped += 1
            continue
        first[(code, name)] = line
        good.append(Row(line, code, office.id, name, value))
    return good, problems, skipped


def plan(rows: list[Row], stored: dict[tuple[int, str], int]) -> tuple[list[Row], int]:
    """The rows that change something (a new score or another value) and how many are left as they are:
    importing the same file twice changes nothing the second time."""
    changes = [row for row in rows if stored.get((row.office_id, row.name)) != row.value]
    return changes, len(rows) - len(changes)
