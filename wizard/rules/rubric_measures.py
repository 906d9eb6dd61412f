"""Each rubric measure's own keys (SPEC §5, wizard/rubrics/README.md), read into Criterion fields."""

import re

from .rubric_values import array
from .rubric_values import fail
from .rubric_values import hint
from .rubric_values import integer
from .rubric_values import show
from .vocabulary import CHOICE_FIELDS
from .vocabulary import DATE_FIELDS
from .vocabulary import EXTERNAL_SCORES
from .vocabulary import NUMERIC_FIELDS
from .vocabulary import ROW_LISTS

KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
ENTERED_BY = ("region", "association")

# Every readable path with its kind, so using one where another kind is needed gets a plain answer.
_KIND = {**{path: "numeric field" for path in NUMERIC_FIELDS}, **{path: "choice field" for path in CHOICE_FIELDS},
         **{path: "date field" for path in DATE_FIELDS}, **{path: "list" for path in ROW_LISTS}}


def name(where: str, value, known, kind: str) -> str:
    if not isinstance(value, str):
        fail(where, f"must be text naming a {kind}, not {show(value)}")
    if value not in known and value in _KIND:
        fail(where, f"{value!r} is a {_KIND[value]}, not a {kind}")
    if value not in known:
        fail(where, f"unknown {kind} {value!r}{hint(value, known)}")
    return value


def names(where: str, value, known, kind: str) -> tuple[str, ...]:
    """A non-empty array of distinct names, each one of `known`."""
    items = array(where, value, f"{kind}s")
    for i, item in enumerate(items, 1):
        name(f"{where}[{i}]", item, known, kind)
        if item in items[: i - 1]:
            fail(f"{where}[{i}]", f"{item!r} is listed twice")
    return tuple(items)


def _value_args(where: str, item: dict) -> dict:
    return {"sources": (name(f"{where}.source", item["source"], NUMERIC_FIELDS, "numeric field"),)}


def _sum_args(where: str, item: dict) -> dict:
    return {"sources": names(f"{where}.sources", item["sources"], NUMERIC_FIELDS, "numeric field")}


def _count_args(where: str, item: dict) -> dict:
    return {"sources": (name(f"{where}.source", item["source"], ROW_LISTS, "list"),)}


def _where_args(where: str, item: dict) -> dict:
    source = name(f"{where}.source", item["source"], ROW_LISTS, "list")
    fields = ROW_LISTS[source]
    field = name(f"{where}.field", item["field"], fields, f"field of {source}")
    return {"sources": (source,), "field": field,
            "values": names(f"{where}.values", item["values"], fields[field], "value")}


def _matches_args(where: str, item: dict) -> dict:
    source = name(f"{where}.source", item["source"], CHOICE_FIELDS, "choice field")
    return {"sources": (source,), "values": names(f"{where}.values", item["values"], CHOICE_FIELDS[source], "value")}


def _no_args(where: str, item: dict) -> dict:
    return {}


def _years_args(where: str, item: dict) -> dict:
    return {"sources": (name(f"{where}.source", item["source"], DATE_FIELDS, "date field"),)}


def _score_name(where: str, source) -> str:
    if not isinstance(source, str) or not KEY.fullmatch(source):
        fail(where, f"must name a score in lowercase letters, digits and _, not {show(source)}")
    return source


def _reviewer_args(where: str, item: dict) -> dict:
    """A reviewer indicator (format 1): entered by the region, optional, `default` until entered."""
    return {"sources": (_score_name(f"{where}.source", item["source"]),), "entered_by": "region",
            "default": integer(f"{where}.default", item.get("default", 0))}


def _score_args(where: str, item: dict) -> dict:
    """A score from outside the declaration: its range, who enters it and whether results wait for it."""
    source = _score_name(f"{where}.source", item["source"])
    entered_by = item.get("entered_by", EXTERNAL_SCORES.get(source, "region"))
    if entered_by not in ENTERED_BY:
        fail(f"{where}.entered_by", f"must be one of {', '.join(ENTERED_BY)}, not {show(entered_by)}")
    value = item["range"]
    if not (isinstance(value, list) and len(value) == 2):
        fail(f"{where}.range", f"must be [lowest, highest], not {show(value)}")
    low, high = integer(f"{where}.range[1]", value[0]), integer(f"{where}.range[2]", value[1])
    if high <= low:
        fail(f"{where}.range", f"the highest value must be above the lowest, not {low} to {high}")
    required = item.get("required", True)
    if not isinstance(required, bool):
        fail(f"{where}.required", f"must be true or false, not {show(required)}")
    default = integer(f"{where}.default", item.get("default", low))
    if not low <= default <= high:
        fail(f"{where}.default", f"must be within the range {low} to {high}, not {default}")
    return {"sources": (source,), "entered_by": entered_by, "low": low, "high": high, "required": required,
            "default": default}


# measure -> (its required keys, its optional keys, parser of those keys)
MEASURES = {
    "value": (("source",), (), _value_args),
    "sum": (("sources",), (), _sum_args),
    "count": (("source",), (), _count_args),
    "count_where": (("source", "field", "values"), (), _where_args),
    "share_where": (("source", "field", "values"), (), _where_args),
    "matches": (("source", "values"), (), _matches_args),
    "weekly_hours": ((), (), _no_args),
    "years_since": (("source",), (), _years_args),
    "reviewer": (("source",), ("default",), _reviewer_args),
    "score": (("source", "range"), ("entered_by", "required", "default"), _score_args),
    "violations": ((), (), _no_args),  # the points of the office's decided violations in the round
}
# The keys each measure writes back when a rubric is stored (rubric_to_dict).
STORED_KEYS = {measure: required + optional for measure, (required, optional, _parse) in MEASURES.items()}
