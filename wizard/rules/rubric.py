"""Rubrics (SPEC §5): TOML text validated into a Rubric, and the plain JSON a round stores (to_stored)."""

import re
import tomllib
from dataclasses import dataclass
from dataclasses import replace
from functools import cached_property

from .rubric_measures import KEY
from .rubric_measures import MEASURES
from .rubric_measures import STORED_KEYS
from .rubric_measures import name
from .rubric_measures import names
from .rubric_sources import SOURCE_KINDS  # noqa: F401 (part of this module's interface)
from .rubric_sources import ScoreSpec
from .rubric_sources import score_specs
from .rubric_sources import sources
from .rubric_values import RubricError
from .rubric_values import array
from .rubric_values import check_keys
from .rubric_values import fail
from .rubric_values import integer
from .rubric_values import is_int
from .rubric_values import show
from .rubric_values import table
from .rubric_values import text
from .vocabulary import OFFICE_TYPES
from .vocabulary import TIME_OF_DAY

FORMAT = 2  # rubric format written by to_stored; bump it (and keep reading the old ones) if a meaning ever changes
FORMATS = (1, 2)  # 2 added scores from outside the declaration, violations, office types and placeholders
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
    default: int = 0  # reviewer, score: the value used while none is entered (a score not required)
    unit_fa: str = ""
    unit_en: str = ""
    entered_by: str = ""  # reviewer, score: "region" or "association"
    low: int | None = None  # score: the range a value entered must fall in
    high: int | None = None
    required: bool = False  # score: results are not computed while an office lacks it
    office_types: tuple[str, ...] = ()  # the office types it applies to; empty: every type
    placeholder: bool = False  # a stand-in weight until the regulator's own table replaces it

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
    by_type: tuple[tuple[str, int, int], ...] = ()  # (office type, rank1_min, rank2_min) where a type differs

    @property
    def max_total(self) -> int:
        return sum(criterion.max_contribution for criterion in self.criteria)

    def for_office_type(self, office_type: str) -> "Rubric":
        """The rubric as it scores one type of office: its criteria and its thresholds."""
        return _for_type(self, office_type)

    @property
    def scores(self) -> tuple[ScoreSpec, ...]:
        """Every score from outside the declaration the rubric reads, in rubric order (regions' and associations'
        work in the scoring phase)."""
        return score_specs(self.criteria)

    def sources(self) -> dict[str, tuple[Criterion, ...]]:
        """The criteria grouped by where their values come from (rubric_sources.SOURCE_KINDS)."""
        return sources(self.criteria)

    @property
    def placeholders(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.placeholder)

    @property
    def indicators(self) -> tuple[str, ...]:
        """Names of the reviewer indicators the rubric reads, in rubric order (what regions must enter)."""
        return tuple(dict.fromkeys(c.sources[0] for c in self.criteria if c.measure == "reviewer"))


_TYPE_VIEWS: dict[tuple[int, str], Rubric] = {}


def _for_type(rubric: Rubric, office_type: str) -> Rubric:
    key = (id(rubric), office_type)
    if key not in _TYPE_VIEWS:  # a compute asks once per office: 100,000 times for three answers
        criteria = tuple(c for c in rubric.criteria if not c.office_types or office_type in c.office_types)
        rank1, rank2 = next(((r1, r2) for t, r1, r2 in rubric.by_type if t == office_type),
                            (rubric.rank1_min, rubric.rank2_min))
        _TYPE_VIEWS[key] = replace(rubric, criteria=criteria, rank1_min=rank1, rank2_min=rank2, by_type=())
    return _TYPE_VIEWS[key]


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


_MEASURE_KEYS = frozenset(key for keys in STORED_KEYS.values() for key in keys)
_CRITERION_REQUIRED = ("key", "label_fa", "label_en", "measure", "weight", "bands")
_CRITERION_OPTIONAL = ("unit_fa", "unit_en", "office_types", "placeholder")
_TOP_REQUIRED = ("version", "title_fa", "title_en", "thresholds", "criteria")


def _where(index: int, item) -> str:
    key = item.get("key") if isinstance(item, dict) else None
    return f"criteria[{index}] ({key})" if isinstance(key, str) and key else f"criteria[{index}]"


def _criterion(where: str, item) -> Criterion:
    table(where, item)
    if "measure" not in item:
        fail(where, "missing key 'measure'")
    measure = name(f"{where}.measure", item["measure"], MEASURES, "measure")
    required, optional, parse_args = MEASURES[measure]
    for given in item:
        if given in _MEASURE_KEYS and given not in required + optional:
            fail(where, f"measure {measure!r} takes no key {given!r}")
    check_keys(where, item, _CRITERION_REQUIRED + required, _CRITERION_OPTIONAL + optional)
    key = item["key"]
    if not isinstance(key, str) or not KEY.fullmatch(key):
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
        unit_en=_unit(f"{where}.unit_en", item.get("unit_en", "")),
        office_types=names(f"{where}.office_types", item["office_types"], OFFICE_TYPES, "office type")
        if "office_types" in item else (), placeholder=_flag(f"{where}.placeholder", item.get("placeholder", False)),
        **parse_args(where, item))


def _flag(where: str, value) -> bool:
    if not isinstance(value, bool):
        fail(where, f"must be true or false, not {show(value)}")
    return value


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


def _thresholds(value, criteria) -> tuple[int, int, tuple[tuple[str, int, int], ...]]:
    """Rank thresholds for every office, and [thresholds.<office type>] tables where a type's differ."""
    table("thresholds", value)
    check_keys("thresholds", value, ("rank1_min", "rank2_min"), OFFICE_TYPES)
    rank1, rank2 = _pair("thresholds", value)
    _reachable("thresholds", rank1, [c for c in criteria if not c.office_types], "")
    by_type = []
    for office_type in OFFICE_TYPES:
        where, type_rank1 = "thresholds", rank1
        if office_type in value:
            where = f"thresholds.{office_type}"
            check_keys(where, table(where, value[office_type]), ("rank1_min", "rank2_min"))
            by_type.append((office_type, *_pair(where, value[office_type])))
            type_rank1 = by_type[-1][1]
        _reachable(where, type_rank1, [c for c in criteria if not c.office_types or office_type in c.office_types],
                   f" for {office_type}")
    return rank1, rank2, tuple(by_type)


def _pair(where: str, value: dict) -> tuple[int, int]:
    rank1 = integer(f"{where}.rank1_min", value["rank1_min"])
    rank2 = integer(f"{where}.rank2_min", value["rank2_min"])
    if rank1 <= rank2:
        fail(f"{where}.rank1_min", f"must be greater than rank2_min ({rank2}), not {rank1}")
    return rank1, rank2


def _reachable(where: str, rank1: int, criteria, offices: str) -> None:
    max_total = sum(c.max_contribution for c in criteria)
    if rank1 > max_total:
        # Almost surely a mistake in the file: no office (of this type) could ever reach rank 1.
        fail(f"{where}.rank1_min", f"{rank1} is more than the highest possible total{offices} ({max_total})")


def parse_rubric(data) -> Rubric:
    """A validated Rubric from a dict as loaded from TOML or stored JSON; RubricError names the bad entry."""
    table("rubric", data)
    check_keys("rubric", data, _TOP_REQUIRED, ("format",))
    if "format" in data and (not is_int(data["format"]) or data["format"] not in FORMATS):
        fail("format", f"must be one of {', '.join(map(str, FORMATS))}, not {show(data['format'])}")
    criteria = _criteria(data["criteria"])
    rank1, rank2, by_type = _thresholds(data["thresholds"], criteria)
    return Rubric(version=text("version", data["version"]), title_fa=text("title_fa", data["title_fa"]),
                  title_en=text("title_en", data["title_en"]), criteria=criteria, rank1_min=rank1, rank2_min=rank2,
                  by_type=by_type)


def _criterion_dict(criterion: Criterion) -> dict:
    c = criterion
    data = {"key": c.key, "label_fa": c.label_fa, "label_en": c.label_en, "measure": c.measure}
    data.update({name: unit for name, unit in (("unit_fa", c.unit_fa), ("unit_en", c.unit_en)) if unit})
    own = {"source": c.sources[0] if c.sources else None, "sources": list(c.sources), "field": c.field,
           "values": list(c.values), "default": c.default, "entered_by": c.entered_by, "range": [c.low, c.high],
           "required": c.required}
    data.update({key: own[key] for key in STORED_KEYS[c.measure]})
    if c.office_types:
        data["office_types"] = list(c.office_types)
    if c.placeholder:
        data["placeholder"] = True
    data["weight"] = c.weight
    data["bands"] = [{"min": band.min, "points": band.points} for band in c.bands]
    return data


def rubric_to_dict(rubric: Rubric) -> dict:
    """The canonical, JSON-ready form of a rubric, every default spelled out; parse_rubric reads it back equal."""
    return {"format": FORMAT, "version": rubric.version, "title_fa": rubric.title_fa, "title_en": rubric.title_en,
            "thresholds": {"rank1_min": rubric.rank1_min, "rank2_min": rubric.rank2_min,
                           **{t: {"rank1_min": r1, "rank2_min": r2} for t, r1, r2 in rubric.by_type}},
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
