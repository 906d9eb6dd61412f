"""Rubric-driven score, rank and next-rank advice for a submitted declaration (SPEC §5), in integers only."""

import difflib
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property, lru_cache
from datetime import date, datetime

from .jalali import to_gregorian

FORMAT = 1  # rubric format; bump it (and keep reading 1) if a measure's meaning ever changes

# The snapshot fields a rubric may read. Listed here rather than taken from the wizard's forms,
# which import Flask; a rubric naming any other field is refused, so a typo never scores 0 silently.
NUMERIC_FIELDS = frozenset({
    "premises.floor_area", "premises.counters", "premises.computers", "premises.printers",
    "premises.scanners", "premises.card_readers", "premises.bandwidth_mbps", "premises.waiting_seats",
    "hours.working_days", "hours.shifts", "hours.services_offered", "hours.monthly_transactions",
})
YES_NO = ("yes", "no")
EDUCATION = ("below_diploma", "diploma", "associate", "bachelor", "master", "doctorate")
CHOICE_FIELDS = {"premises.ownership": ("owned", "leased"), "premises.accessible": YES_NO}
DATE_FIELDS = frozenset({"license.activity_start"})
# Lists of rows, with the row fields that count_where / share_where may test and their possible values.
ROW_LISTS = {
    "staff.staff": {"role": ("manager", "operator"), "education": EDUCATION,
                    "insured": YES_NO, "disability": YES_NO},
}

# Every readable path with its kind, so using one where another kind is needed gets a plain answer.
_KIND = {**{path: "numeric field" for path in NUMERIC_FIELDS}, **{path: "choice field" for path in CHOICE_FIELDS},
         **{path: "date field" for path in DATE_FIELDS}, **{path: "list" for path in ROW_LISTS}}

_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
_TIME = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")
_TYPE_NAMES = {str: "text", int: "an integer", float: "a decimal number", bool: "a true/false value",
               list: "an array", tuple: "an array", dict: "a table"}


class RubricError(ValueError):
    """A rubric that cannot be used; the message starts with the path of the offending entry."""


@dataclass(frozen=True)
class Band:
    min: int
    points: int


@dataclass(frozen=True)
class Criterion:
    key: str
    label_fa: str
    label_en: str
    measure: str
    weight: int
    bands: tuple[Band, ...]
    sources: tuple[str, ...] = ()  # one field for most measures, several for sum, none for weekly_hours
    field: str | None = None  # the row field tested by count_where / share_where
    values: tuple[str, ...] = ()  # the values that count for count_where / share_where / matches
    default: int = 0  # reviewer: the value used while the indicator is not entered
    unit_fa: str = ""
    unit_en: str = ""

    @cached_property  # cached: scoring 100,000 offices asks for it 100,000 times
    def max_contribution(self) -> int:
        """The most this criterion can add; 0 when every band subtracts (a value below all bands earns 0)."""
        return max(0, max(band.points for band in self.bands)) * self.weight

    @cached_property
    def mins(self) -> tuple[int, ...]:
        return tuple(band.min for band in self.bands)


@dataclass(frozen=True)
class Rubric:
    version: str
    title_fa: str
    title_en: str
    criteria: tuple[Criterion, ...]
    rank1_min: int
    rank2_min: int

    @property
    def max_total(self) -> int:
        return sum(criterion.max_contribution for criterion in self.criteria)

    @property
    def indicators(self) -> tuple[str, ...]:
        """Names of the reviewer indicators the rubric reads, in rubric order (what regions must enter)."""
        return tuple(dict.fromkeys(c.sources[0] for c in self.criteria if c.measure == "reviewer"))


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


# ---------------------------------------------------------------- validation


def _fail(where: str, message: str):
    raise RubricError(f"{where}: {message}")


def _is_int(value) -> bool:
    # bool is an int subclass, but `weight = true` is a mistake in the file.
    return isinstance(value, int) and not isinstance(value, bool)


def _show(value) -> str:
    kind = _TYPE_NAMES.get(type(value), "a date" if isinstance(value, date) else type(value).__name__)
    return f"{value!r} ({kind})"


def _hint(name, choices) -> str:
    close = difflib.get_close_matches(str(name), sorted(choices), n=1)
    return f"; did you mean {close[0]!r}?" if close else f"; expected one of: {', '.join(sorted(choices))}"


def _check_keys(where: str, data: dict, required, optional=()) -> None:
    allowed = (*required, *optional)
    for name in data:
        if name not in allowed:
            _fail(where, f"unknown key {name!r}{_hint(name, allowed)}")
    for name in required:
        if name not in data:
            _fail(where, f"missing key {name!r}")


def _table(where: str, value) -> dict:
    if not isinstance(value, dict):
        _fail(where, f"must be a table, not {_show(value)}")
    return value


def _array(where: str, value, what: str) -> list:
    if not isinstance(value, (list, tuple)) or not value:
        _fail(where, f"must be a non-empty array of {what}")
    return list(value)


def _int(where: str, value, minimum: int | None = None) -> int:
    if not _is_int(value):
        _fail(where, f"must be an integer, not {_show(value)}")
    if minimum is not None and value < minimum:
        _fail(where, f"must be at least {minimum}, not {value}")
    return value


def _text(where: str, value) -> str:
    if not isinstance(value, str) or not value.strip():
        _fail(where, f'must be non-empty text in quotes, not {_show(value)}')
    return value.strip()


def _name(where: str, value, known, kind: str) -> str:
    if not isinstance(value, str):
        _fail(where, f"must be text naming a {kind}, not {_show(value)}")
    if value not in known and value in _KIND:
        _fail(where, f"{value!r} is a {_KIND[value]}, not a {kind}")
    if value not in known:
        _fail(where, f"unknown {kind} {value!r}{_hint(value, known)}")
    return value


def _names(where: str, value, known, kind: str) -> tuple[str, ...]:
    """A non-empty array of distinct names, each one of `known`."""
    items = _array(where, value, f"{kind}s")
    for i, item in enumerate(items, 1):
        _name(f"{where}[{i}]", item, known, kind)
        if item in items[: i - 1]:
            _fail(f"{where}[{i}]", f"{item!r} is listed twice")
    return tuple(items)


def _bands(where: str, value) -> tuple[Band, ...]:
    bands: list[Band] = []
    for i, item in enumerate(_array(where, value, "{ min = …, points = … } tables"), 1):
        here = f"{where}[{i}]"
        _check_keys(here, _table(here, item), ("min", "points"))
        band = Band(_int(f"{here}.min", item["min"]), _int(f"{here}.points", item["points"]))
        if bands and band.min <= bands[-1].min:
            _fail(f"{here}.min", f"must be greater than the previous band's min ({bands[-1].min})")
        bands.append(band)
    return tuple(bands)


# Each measure's own keys are parsed into Criterion fields by one of these.


def _value_args(where: str, item: dict) -> dict:
    return {"sources": (_name(f"{where}.source", item["source"], NUMERIC_FIELDS, "numeric field"),)}


def _sum_args(where: str, item: dict) -> dict:
    return {"sources": _names(f"{where}.sources", item["sources"], NUMERIC_FIELDS, "numeric field")}


def _count_args(where: str, item: dict) -> dict:
    return {"sources": (_name(f"{where}.source", item["source"], ROW_LISTS, "list"),)}


def _where_args(where: str, item: dict) -> dict:
    source = _name(f"{where}.source", item["source"], ROW_LISTS, "list")
    fields = ROW_LISTS[source]
    field = _name(f"{where}.field", item["field"], fields, f"field of {source}")
    return {"sources": (source,), "field": field,
            "values": _names(f"{where}.values", item["values"], fields[field], "value")}


def _matches_args(where: str, item: dict) -> dict:
    source = _name(f"{where}.source", item["source"], CHOICE_FIELDS, "choice field")
    return {"sources": (source,), "values": _names(f"{where}.values", item["values"], CHOICE_FIELDS[source], "value")}


def _no_args(where: str, item: dict) -> dict:
    return {}


def _years_args(where: str, item: dict) -> dict:
    return {"sources": (_name(f"{where}.source", item["source"], DATE_FIELDS, "date field"),)}


def _reviewer_args(where: str, item: dict) -> dict:
    source = item["source"]
    if not isinstance(source, str) or not _KEY.fullmatch(source):
        _fail(f"{where}.source",
              f"must name a reviewer indicator in lowercase letters, digits and _, not {_show(source)}")
    return {"sources": (source,), "default": _int(f"{where}.default", item.get("default", 0))}


# measure -> (its required keys, its optional keys, parser of those keys)
_MEASURES = {
    "value": (("source",), (), _value_args),
    "sum": (("sources",), (), _sum_args),
    "count": (("source",), (), _count_args),
    "count_where": (("source", "field", "values"), (), _where_args),
    "share_where": (("source", "field", "values"), (), _where_args),
    "matches": (("source", "values"), (), _matches_args),
    "weekly_hours": ((), (), _no_args),
    "years_since": (("source",), (), _years_args),
    "reviewer": (("source",), ("default",), _reviewer_args),
}
_MEASURE_KEYS = frozenset(key for required, optional, _ in _MEASURES.values() for key in required + optional)
_CRITERION_REQUIRED = ("key", "label_fa", "label_en", "measure", "weight", "bands")
_CRITERION_OPTIONAL = ("unit_fa", "unit_en")
_TOP_REQUIRED = ("version", "title_fa", "title_en", "thresholds", "criteria")


def _where(index: int, item) -> str:
    key = item.get("key") if isinstance(item, dict) else None
    return f"criteria[{index}] ({key})" if isinstance(key, str) and key else f"criteria[{index}]"


def _criterion(where: str, item) -> Criterion:
    _table(where, item)
    if "measure" not in item:
        _fail(where, "missing key 'measure'")
    measure = _name(f"{where}.measure", item["measure"], _MEASURES, "measure")
    required, optional, parse_args = _MEASURES[measure]
    for name in item:
        if name in _MEASURE_KEYS and name not in required + optional:
            _fail(where, f"measure {measure!r} takes no key {name!r}")
    _check_keys(where, item, _CRITERION_REQUIRED + required, _CRITERION_OPTIONAL + optional)
    key = item["key"]
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        _fail(f"{where}.key", f"must be lowercase letters, digits and _ starting with a letter, not {_show(key)}")
    bands = _bands(f"{where}.bands", item["bands"])
    if measure == "share_where" and bands[-1].min > 100:  # a band no office can reach is a mistake in the table
        _fail(f"{where}.bands[{len(bands)}].min",
              f"a share is a percentage from 0 to 100, so {bands[-1].min} is never reached")
    return Criterion(
        key=key, label_fa=_text(f"{where}.label_fa", item["label_fa"]),
        label_en=_text(f"{where}.label_en", item["label_en"]), measure=measure,
        weight=_int(f"{where}.weight", item["weight"], minimum=1), bands=bands,
        unit_fa=_unit(f"{where}.unit_fa", item.get("unit_fa", "")),
        unit_en=_unit(f"{where}.unit_en", item.get("unit_en", "")), **parse_args(where, item))


def _unit(where: str, value) -> str:
    if not isinstance(value, str):
        _fail(where, f"must be text, not {_show(value)}")
    return value.strip()


def _criteria(value) -> tuple[Criterion, ...]:
    criteria: list[Criterion] = []
    first: dict[str, int] = {}
    for index, item in enumerate(_array("criteria", value, "[[criteria]] tables"), 1):
        criterion = _criterion(_where(index, item), item)
        if criterion.key in first:
            _fail(f"{_where(index, item)}.key", f"duplicate of criteria[{first[criterion.key]}]")
        first[criterion.key] = index
        criteria.append(criterion)
    return tuple(criteria)


def _thresholds(value, max_total: int) -> tuple[int, int]:
    _check_keys("thresholds", _table("thresholds", value), ("rank1_min", "rank2_min"))
    rank1 = _int("thresholds.rank1_min", value["rank1_min"])
    rank2 = _int("thresholds.rank2_min", value["rank2_min"])
    if rank1 <= rank2:
        _fail("thresholds.rank1_min", f"must be greater than rank2_min ({rank2}), not {rank1}")
    if rank1 > max_total:
        # Almost surely a mistake in the file: no office could ever reach rank 1.
        _fail("thresholds.rank1_min", f"{rank1} is more than the highest possible total ({max_total})")
    return rank1, rank2


def parse_rubric(data) -> Rubric:
    """A validated Rubric from a dict as loaded from TOML or stored JSON; RubricError names the bad entry."""
    _table("rubric", data)
    _check_keys("rubric", data, _TOP_REQUIRED, ("format",))
    if "format" in data and (not _is_int(data["format"]) or data["format"] != FORMAT):
        _fail("format", f"only format {FORMAT} exists, not {_show(data['format'])}")
    criteria = _criteria(data["criteria"])
    rank1, rank2 = _thresholds(data["thresholds"], sum(c.max_contribution for c in criteria))
    return Rubric(version=_text("version", data["version"]), title_fa=_text("title_fa", data["title_fa"]),
                  title_en=_text("title_en", data["title_en"]), criteria=criteria, rank1_min=rank1, rank2_min=rank2)


def _criterion_dict(criterion: Criterion) -> dict:
    c = criterion
    data = {"key": c.key, "label_fa": c.label_fa, "label_en": c.label_en, "measure": c.measure}
    data.update({name: unit for name, unit in (("unit_fa", c.unit_fa), ("unit_en", c.unit_en)) if unit})
    own = {"source": c.sources[0] if c.sources else None, "sources": list(c.sources), "field": c.field,
           "values": list(c.values), "default": c.default}
    required, optional, _ = _MEASURES[c.measure]
    data.update({name: own[name] for name in required + optional})
    data["weight"] = c.weight
    data["bands"] = [{"min": band.min, "points": band.points} for band in c.bands]
    return data


def rubric_to_dict(rubric: Rubric) -> dict:
    """The canonical, JSON-ready form of a rubric, every default spelled out; parse_rubric reads it back equal."""
    return {"format": FORMAT, "version": rubric.version, "title_fa": rubric.title_fa, "title_en": rubric.title_en,
            "thresholds": {"rank1_min": rubric.rank1_min, "rank2_min": rubric.rank2_min},
            "criteria": [_criterion_dict(c) for c in rubric.criteria]}


# ---------------------------------------------------------------- measuring


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
    if not _is_int(value):
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
    match = _TIME.fullmatch(value) if isinstance(value, str) else None
    if not match:
        raise ValueError(f"snapshot steps.{path}: expected a time like 07:30, not {value!r}")
    return int(match[1]) * 60 + int(match[2])


@lru_cache(maxsize=65536)  # offices share start dates; jdatetime is the slowest step of a score
def _gregorian(year: int, month: int, day: int) -> date:
    return to_gregorian(year, month, day)


def _jalali_day(path: str, value) -> date:
    if not isinstance(value, dict) or set(value) != {"year", "month", "day"} or not all(map(_is_int, value.values())):
        raise ValueError(f"snapshot steps.{path}: expected {{year, month, day}}, not {value!r}")
    try:
        return _gregorian(value["year"], value["month"], value["day"])
    except ValueError as error:
        raise ValueError(f"snapshot steps.{path}: {error}") from None


def _matching(c: Criterion, steps: dict) -> tuple[int, int]:
    rows = _rows(steps, c.sources[0])
    return sum(row.get(c.field) in c.values for row in rows), len(rows)


def _measure_value(c, steps, reviewer, on) -> int:
    return _whole(c.sources[0], _lookup(steps, c.sources[0]))


def _measure_sum(c, steps, reviewer, on) -> int:
    return sum(_whole(path, _lookup(steps, path)) for path in c.sources)


def _measure_count(c, steps, reviewer, on) -> int:
    return len(_rows(steps, c.sources[0]))


def _measure_count_where(c, steps, reviewer, on) -> int:
    return _matching(c, steps)[0]


def _measure_share_where(c, steps, reviewer, on) -> int:
    matched, total = _matching(c, steps)
    return 100 * matched // total if total else 0  # no staff: a share of nothing is 0, not an error


def _measure_matches(c, steps, reviewer, on) -> int:
    return int(_lookup(steps, c.sources[0]) in c.values)


def _measure_weekly_hours(c, steps, reviewer, on) -> int:
    days = _whole("hours.working_days", _lookup(steps, "hours.working_days"))
    opens = _minutes("hours.opens_at", _lookup(steps, "hours.opens_at"))
    closes = _minutes("hours.closes_at", _lookup(steps, "hours.closes_at"))
    if opens is None or closes is None:
        return 0
    # Floor of the weekly total, not of each day: 6 days of 7½ hours are 45 hours, not 42.
    return max(0, days) * max(0, closes - opens) // 60


def _measure_years_since(c, steps, reviewer, on) -> int:
    raw = _lookup(steps, c.sources[0])
    if raw is None:
        return 0
    start = _jalali_day(c.sources[0], raw)
    years = on.year - start.year - ((on.month, on.day) < (start.month, start.day))
    return max(0, years)  # a start date after the reference day counts as no activity yet


def _measure_reviewer(c, steps, reviewer, on) -> int:
    value = reviewer.get(c.sources[0])
    if value is None:
        return c.default
    if not _is_int(value):
        raise ValueError(f"reviewer indicator {c.sources[0]}: expected a whole number, not {value!r}")
    return value


_MEASURE = {
    "value": _measure_value, "sum": _measure_sum, "count": _measure_count,
    "count_where": _measure_count_where, "share_where": _measure_share_where, "matches": _measure_matches,
    "weekly_hours": _measure_weekly_hours, "years_since": _measure_years_since, "reviewer": _measure_reviewer,
}


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


def score(snapshot: dict, rubric: Rubric, reviewer: dict | None = None, *, on: date) -> Breakdown:
    """Each criterion's measured value, points and weighted contribution, and their total.

    `snapshot` is a submitted declaration (json.loads of Submission.snapshot); an office
    with no submission is not scored at all — the caller gives it rank 3 (SPEC §1), and
    None here raises ValueError. `reviewer` holds the indicators regions entered after
    the window; a missing one takes the criterion's default (0 unless the rubric says).
    `on` is the reference day for years_since (e.g. the round's deadline), passed in so
    a recompute gives the same result whatever day it runs. Unanswered fields count 0;
    a field of the wrong type raises ValueError naming it.
    """
    steps = _steps(snapshot)
    if not isinstance(on, date) or isinstance(on, datetime):
        raise ValueError("on must be a date (the round's reference day), not a datetime")
    reviewer = {} if reviewer is None else reviewer
    if not isinstance(reviewer, dict):
        raise ValueError("reviewer must be a dict of indicator name -> whole number")
    items = tuple(item_for(c, _MEASURE[c.measure](c, steps, reviewer, on)) for c in rubric.criteria)
    return Breakdown(rubric_version=rubric.version, items=items, total=sum(item.contribution for item in items))


def measured(snapshot: dict, rubric: Rubric, reviewer: dict | None = None, *, on: date) -> tuple[dict, int]:
    """The measured value per criterion key and the total: score() without building Items, for bulk runs."""
    steps = _steps(snapshot)
    reviewer = {} if reviewer is None else reviewer
    values, total = {}, 0
    for c in rubric.criteria:
        value = _MEASURE[c.measure](c, steps, reviewer, on)
        values[c.key] = value
        total += points_for(c, value) * c.weight
    return values, total


def rank(total: int, rubric: Rubric) -> int:
    """1 if total ≥ rank1_min, 2 if total ≥ rank2_min, else 3."""
    if not _is_int(total):
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
