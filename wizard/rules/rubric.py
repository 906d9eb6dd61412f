"""Rubrics (SPEC §5): TOML text validated into a Rubric, and the plain JSON a round stores (to_stored)."""

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property

from .rubric_values import RubricError
from .rubric_values import array
from .rubric_values import check_keys
from .rubric_values import fail
from .rubric_values import hint
from .rubric_values import integer
from .rubric_values import is_int
from .rubric_values import show
from .rubric_values import table
from .rubric_values import text
from .vocabulary import CHOICE_FIELDS
from .vocabulary import DATE_FIELDS
from .vocabulary import NUMERIC_FIELDS
from .vocabulary import ROW_LISTS
from .vocabulary import TIME_OF_DAY

FORMAT = 1  # rubric format; bump it (and keep reading 1) if a measure's meaning ever changes

# Every readable path with its kind, so using one where another kind is needed gets a plain answer.
_KIND = {**{path: "numeric field" for path in NUMERIC_FIELDS}, **{path: "choice field" for path in CHOICE_FIELDS},
         **{path: "date field" for path in DATE_FIELDS}, **{path: "list" for path in ROW_LISTS}}

_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
TIME = re.compile(TIME_OF_DAY)


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


def _name(where: str, value, known, kind: str) -> str:
    if not isinstance(value, str):
        fail(where, f"must be text naming a {kind}, not {show(value)}")
    if value not in known and value in _KIND:
        fail(where, f"{value!r} is a {_KIND[value]}, not a {kind}")
    if value not in known:
        fail(where, f"unknown {kind} {value!r}{hint(value, known)}")
    return value


def _names(where: str, value, known, kind: str) -> tuple[str, ...]:
    """A non-empty array of distinct names, each one of `known`."""
    items = array(where, value, f"{kind}s")
    for i, item in enumerate(items, 1):
        _name(f"{where}[{i}]", item, known, kind)
        if item in items[: i - 1]:
            fail(f"{where}[{i}]", f"{item!r} is listed twice")
    return tuple(items)


def _bands(where: str, value) -> tuple[Band, ...]:
    bands: list[Band] = []
    for i, item in enumerate(array(where, value, "{ min = …, points = … } tables"), 1):
        here = f"{where}[{i}]"
        check_keys(here, table(here, item), ("min", "points"))
        band = Band(integer(f"{here}.min", item["min"]), integer(f"{here}.points", item["points"]))
        if bands and band.min <= bands[-1].min:
            fail(f"{here}.min", f"must be greater than the previous band's min ({bands[-1].min})")
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
        fail(f"{where}.source",
              f"must name a reviewer indicator in lowercase letters, digits and _, not {show(source)}")
    return {"sources": (source,), "default": integer(f"{where}.default", item.get("default", 0))}


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
    table(where, item)
    if "measure" not in item:
        fail(where, "missing key 'measure'")
    measure = _name(f"{where}.measure", item["measure"], _MEASURES, "measure")
    required, optional, parse_args = _MEASURES[measure]
    for name in item:
        if name in _MEASURE_KEYS and name not in required + optional:
            fail(where, f"measure {measure!r} takes no key {name!r}")
    check_keys(where, item, _CRITERION_REQUIRED + required, _CRITERION_OPTIONAL + optional)
    key = item["key"]
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        fail(f"{where}.key", f"must be lowercase letters, digits and _ starting with a letter, not {show(key)}")
    bands = _bands(f"{where}.bands", item["bands"])
    if measure == "share_where" and bands[-1].min > 100:  # a band no office can reach is a mistake in the table
        fail(f"{where}.bands[{len(bands)}].min",
              f"a share is a percentage from 0 to 100, so {bands[-1].min} is never reached")
    return Criterion(
        key=key, label_fa=text(f"{where}.label_fa", item["label_fa"]),
        label_en=text(f"{where}.label_en", item["label_en"]), measure=measure,
        weight=integer(f"{where}.weight", item["weight"], minimum=1), bands=bands,
        unit_fa=_unit(f"{where}.unit_fa", item.get("unit_fa", "")),
        unit_en=_unit(f"{where}.unit_en", item.get("unit_en", "")), **parse_args(where, item))


def _unit(where: str, value) -> str:
    if not isinstance(value, str):
        fail(where, f"must be text, not {show(value)}")
    return value.strip()


def _criteria(value) -> tuple[Criterion, ...]:
    criteria: list[Criterion] = []
    first: dict[str, int] = {}
    for index, item in enumerate(array("criteria", value, "[[criteria]] tables"), 1):
        criterion = _criterion(_where(index, item), item)
        if criterion.key in first:
            fail(f"{_where(index, item)}.key", f"duplicate of criteria[{first[criterion.key]}]")
        first[criterion.key] = index
        criteria.append(criterion)
    return tuple(criteria)


def _thresholds(value, max_total: int) -> tuple[int, int]:
    check_keys("thresholds", table("thresholds", value), ("rank1_min", "rank2_min"))
    rank1 = integer("thresholds.rank1_min", value["rank1_min"])
    rank2 = integer("thresholds.rank2_min", value["rank2_min"])
    if rank1 <= rank2:
        fail("thresholds.rank1_min", f"must be greater than rank2_min ({rank2}), not {rank1}")
    if rank1 > max_total:
        # Almost surely a mistake in the file: no office could ever reach rank 1.
        fail("thresholds.rank1_min", f"{rank1} is more than the highest possible total ({max_total})")
    return rank1, rank2


def parse_rubric(data) -> Rubric:
    """A validated Rubric from a dict as loaded from TOML or stored JSON; RubricError names the bad entry."""
    table("rubric", data)
    check_keys("rubric", data, _TOP_REQUIRED, ("format",))
    if "format" in data and (not is_int(data["format"]) or data["format"] != FORMAT):
        fail("format", f"only format {FORMAT} exists, not {show(data['format'])}")
    criteria = _criteria(data["criteria"])
    rank1, rank2 = _thresholds(data["thresholds"], sum(c.max_contribution for c in criteria))
    return Rubric(version=text("version", data["version"]), title_fa=text("title_fa", data["title_fa"]),
                  title_en=text("title_en", data["title_en"]), criteria=criteria, rank1_min=rank1, rank2_min=rank2)


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


def parse_rubric_toml(toml_text: str, source: str) -> Rubric:
    """The validated rubric of a TOML text; RubricError messages start with its source (a file's path)."""
    try:
        data = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as error:  # its message ends "(at line L, column C)"
        raise RubricError(f"{source}: not valid TOML: {error}") from None
    try:
        return parse_rubric(data)
    except RubricError as error:
        raise RubricError(f"{source}: {error}") from None


def to_stored(rubric: Rubric) -> dict:
    """What a round stores (JSON-ready): the canonical dict, every default spelled out, its format named.
    Stored rather than re-read from the file, so a later edit of the file never changes a past round."""
    return rubric_to_dict(rubric)


def rubric_from_stored(data: dict) -> Rubric:
    """The rubric a round stored with to_stored; validated again, so a corrupt row fails loudly."""
    return parse_rubric(data)
