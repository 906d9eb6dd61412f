"""Rubric-driven score, rank and next-rank advice for a submitted declaration (SPEC §5), in integers only."""

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from functools import lru_cache

from .jalali import to_gregorian
from .rubric import TIME
from .rubric import Criterion
from .rubric import Rubric
from .rubric_values import is_int


@dataclass(frozen=True)
class Item:
    """One criterion's line of a breakdown."""

    key: str
    label_fa: str
    label_en: str
    unit_fa: str
    unit_en: str
    measure: str
    value: int
    points: int
    weight: int
    contribution: int
    max_contribution: int


@dataclass(frozen=True)
class Breakdown:
    rubric_version: str
    items: tuple[Item, ...]
    total: int

    @property
    def max_total(self) -> int:
        return sum(item.max_contribution for item in self.items)


@dataclass(frozen=True)
class Gain:
    """Reaching `target` (now `value`, so `more` to go) on one criterion would add `points` to the total."""

    key: str
    label_fa: str
    label_en: str
    unit_fa: str
    unit_en: str
    measure: str
    value: int
    target: int
    more: int
    points: int


@dataclass(frozen=True)
class NextRank:
    rank: int
    needed: int  # threshold of `rank` minus the current total
    gains: tuple[Gain, ...]  # largest gain first


def _lookup(steps: dict, path: str):
    step, name = path.split(".", 1)
    section = steps.get(step)
    if section is None:
        return None  # a step never answered earns nothing
    if not isinstance(section, dict):
        raise ValueError(f"snapshot steps.{step}: expected an object, not {section!r}")
    return section.get(name)


def _whole(path: str, value) -> int:
    if value is None:
        return 0
    if not is_int(value):
        raise ValueError(f"snapshot steps.{path}: expected a whole number, not {value!r}")
    return value


def _rows(steps: dict, path: str) -> list[dict]:
    rows = _lookup(steps, path)
    if rows is None:
        return []
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ValueError(f"snapshot steps.{path}: expected a list of objects")
    return rows


def _minutes(path: str, value) -> int | None:
    if value is None:
        return None
    match = TIME.fullmatch(value) if isinstance(value, str) else None
    if not match:
        raise ValueError(f"snapshot steps.{path}: expected a time like 07:30, not {value!r}")
    return int(match[1]) * 60 + int(match[2])


@lru_cache(maxsize=65536)  # offices share start dates; jdatetime is the slowest step of a score
def _gregorian(year: int, month: int, day: int) -> date:
    return to_gregorian(year, month, day)


def _jalali_day(path: str, value) -> date:
    if not isinstance(value, dict) or set(value) != {"year", "month", "day"} or not all(map(is_int, value.values())):
        raise ValueError(f"snapshot steps.{path}: expected {{year, month, day}}, not {value!r}")
    try:
        return _gregorian(value["year"], value["month"], value["day"])
    except ValueError as error:
        raise ValueError(f"snapshot steps.{path}: {error}") from None


def _matching(c: Criterion, steps: dict) -> tuple[int, int]:
    rows = _rows(steps, c.sources[0])
    return sum(row.get(c.field) in c.values for row in rows), len(rows)


def _measure_value(c, steps, outside, on) -> int:
    return _whole(c.sources[0], _lookup(steps, c.sources[0]))


def _measure_sum(c, steps, outside, on) -> int:
    return sum(_whole(path, _lookup(steps, path)) for path in c.sources)


def _measure_count(c, steps, outside, on) -> int:
    return len(_rows(steps, c.sources[0]))


def _measure_count_where(c, steps, outside, on) -> int:
    return _matching(c, steps)[0]


def _measure_share_where(c, steps, outside, on) -> int:
    matched, total = _matching(c, steps)
    return 100 * matched // total if total else 0  # no staff: a share of nothing is 0, not an error


def _measure_matches(c, steps, outside, on) -> int:
    return int(_lookup(steps, c.sources[0]) in c.values)


def _measure_weekly_hours(c, steps, outside, on) -> int:
    days = _whole("hours.working_days", _lookup(steps, "hours.working_days"))
    opens = _minutes("hours.opens_at", _lookup(steps, "hours.opens_at"))
    closes = _minutes("hours.closes_at", _lookup(steps, "hours.closes_at"))
    if opens is None or closes is None:
        return 0
    # Floor of the weekly total, not of each day: 6 days of 7½ hours are 45 hours, not 42.
    return max(0, days) * max(0, closes - opens) // 60


def _measure_years_since(c, steps, outside, on) -> int:
    raw = _lookup(steps, c.sources[0])
    if raw is None:
        return 0
    start = _jalali_day(c.sources[0], raw)
    years = on.year - start.year - ((on.month, on.day) < (start.month, start.day))
    return max(0, years)  # a start date after the reference day counts as no activity yet


def _measure_score(c, steps, outside, on) -> int:
    value = outside.scores.get(c.sources[0])
    if value is None:
        return c.default
    if not is_int(value):
        raise ValueError(f"score {c.sources[0]}: expected a whole number, not {value!r}")
    return value


def _measure_violations(c, steps, outside, on) -> int:
    return outside.penalty


_MEASURE = {
    "value": _measure_value, "sum": _measure_sum, "count": _measure_count,
    "count_where": _measure_count_where, "share_where": _measure_share_where, "matches": _measure_matches,
    "weekly_hours": _measure_weekly_hours, "years_since": _measure_years_since, "reviewer": _measure_score,
    "score": _measure_score, "violations": _measure_violations,
}


@dataclass(frozen=True)
class Outside:
    """What an office's score takes from outside its declaration: scores entered by its region or association
    (name -> value), the points of its decided violations, and values corrected after an objection (criterion
    key -> the measured value the region accepted, which replaces the one measured)."""

    scores: dict
    penalty: int = 0
    corrections: dict | None = None


NOTHING_OUTSIDE = Outside({})


def _measured(c: Criterion, steps: dict, outside: Outside, on: date) -> int:
    if outside.corrections and c.key in outside.corrections:
        return outside.corrections[c.key]
    return _MEASURE[c.measure](c, steps, outside, on)


# ---------------------------------------------------------------- scoring


def points_for(criterion: Criterion, value: int) -> int:
    """Points of the highest band whose min ≤ value; a value below the first band earns 0."""
    index = bisect_right(criterion.mins, value)
    return criterion.bands[index - 1].points if index else 0


def item_for(criterion: Criterion, value: int) -> Item:
    """The scored item of one criterion for a measured value (also rebuilds a stored result)."""
    points = points_for(criterion, value)
    c = criterion
    return Item(key=c.key, label_fa=c.label_fa, label_en=c.label_en, unit_fa=c.unit_fa, unit_en=c.unit_en,
                measure=c.measure, value=value, points=points, weight=c.weight, contribution=points * c.weight,
                max_contribution=c.max_contribution)


def _steps(snapshot) -> dict:
    if snapshot is None:
        raise ValueError("no submission to score: an office without one gets rank 3 without a score")
    steps = snapshot.get("steps") if isinstance(snapshot, dict) else None
    if not isinstance(steps, dict):
        raise ValueError("snapshot: expected an object with a 'steps' object")
    return steps


def score(snapshot: dict, rubric: Rubric, outside: Outside = NOTHING_OUTSIDE, *, on: date) -> Breakdown:
    """Each criterion's measured value, points and weighted contribution, and their total.

    `snapshot` is a submitted declaration (json.loads of Submission.snapshot); an office
    with no submission is not scored at all — the caller gives it rank 3 (SPEC §1), and
    None here raises ValueError. `outside` holds what comes from outside the declaration
    (scores, violation points, corrections); a score not entered takes the criterion's
    default. `on` is the reference day for years_since (e.g. the round's deadline), passed
    in so a recompute gives the same result whatever day it runs. Unanswered fields count 0;
    a field of the wrong type raises ValueError naming it.
    """
    steps = _steps(snapshot)
    if not isinstance(on, date) or isinstance(on, datetime):
        raise ValueError("on must be a date (the round's reference day), not a datetime")
    if not isinstance(outside, Outside) or not isinstance(outside.scores, dict):
        raise ValueError("outside must be an Outside with a dict of score name -> whole number")
    items = tuple(item_for(c, _measured(c, steps, outside, on)) for c in rubric.criteria)
    return Breakdown(rubric_version=rubric.version, items=items, total=sum(item.contribution for item in items))


def measured(snapshot: dict, rubric: Rubric, outside: Outside = NOTHING_OUTSIDE, *, on: date) -> tuple[dict, int]:
    """The measured value per criterion key and the total: score() without building Items, for bulk runs."""
    steps = _steps(snapshot)
    values, total = {}, 0
    for c in rubric.criteria:
        value = _measured(c, steps, outside, on)
        values[c.key] = value
        total += points_for(c, value) * c.weight
    return values, total


def rank(total: int, rubric: Rubric) -> int:
    """1 if total ≥ rank1_min, 2 if total ≥ rank2_min, else 3."""
    if not is_int(total):
        raise ValueError("total must be an integer")
    if total >= rubric.rank1_min:
        return 1
    return 2 if total >= rubric.rank2_min else 3


def _gain(criterion: Criterion, item: Item) -> Gain | None:
    # The nearest band above the value that pays more; bands that pay less (violations) offer nothing.
    for band in criterion.bands:
        if band.min > item.value and band.points > item.points:
            return Gain(key=item.key, label_fa=item.label_fa, label_en=item.label_en, unit_fa=item.unit_fa,
                        unit_en=item.unit_en, measure=item.measure, value=item.value, target=band.min,
                        more=band.min - item.value, points=(band.points - item.points) * criterion.weight)
    return None


def next_rank_needs(breakdown: Breakdown, rubric: Rubric) -> NextRank | None:
    """None at rank 1; else the next rank, the points missing, and each criterion's gain from its next band."""
    by_key = {criterion.key: criterion for criterion in rubric.criteria}
    if [item.key for item in breakdown.items] != list(by_key):
        raise ValueError("the breakdown was scored with another rubric")
    current = rank(breakdown.total, rubric)
    if current == 1:
        return None
    gains = [gain for item in breakdown.items if (gain := _gain(by_key[item.key], item))]
    gains.sort(key=lambda gain: -gain.points)  # stable: equal gains keep rubric order
    threshold = rubric.rank1_min if current == 2 else rubric.rank2_min
    return NextRank(rank=current - 1, needed=threshold - breakdown.total, gains=tuple(gains))
