"""What a rubric reads from outside the declaration (format 2): the scores entered in the scoring phase."""

import re
from dataclasses import dataclass
from dataclasses import replace

from .vocabulary import OFFICE_TYPES


@dataclass(frozen=True)
class ScoreSpec:
    """A score results need from outside the declaration, and who enters it."""

    name: str
    entered_by: str
    low: int | None
    high: int | None
    required: bool
    default: int
    label_fa: str = ""  # the first criterion reading it names it on the pages
    label_en: str = ""
    unit_fa: str = ""
    unit_en: str = ""
    placeholder: bool = False
    office_types: tuple[str, ...] = ()  # the office types it is asked for; empty: every type

    def applies_to(self, office_type: str) -> bool:
        return not self.office_types or office_type in self.office_types


SOURCE_KINDS = ("declaration", "reviewer", "external", "violations")  # where a criterion's value comes from


# A reviewer indicator (format 1) has no range of its own; its unit often says "out of 100", and a rating of 7 out
# of 5 is a typo. Otherwise anything from 0 (or the lowest band) to 1000 (or the highest band) is taken.
_OUT_OF = re.compile(r"out of ([0-9]+)", re.IGNORECASE)
REVIEWER_HIGH = 1000


def _reviewer_range(c) -> tuple[int, int]:
    out_of = _OUT_OF.search(c.unit_en)
    return min(0, c.bands[0].min, c.default), max(int(out_of[1]) if out_of else REVIEWER_HIGH, c.bands[-1].min)


def score_specs(criteria) -> tuple[ScoreSpec, ...]:
    """One ScoreSpec per score name the criteria read (measures reviewer and score), in their order; a score read
    by several criteria is asked for wherever one of them applies."""
    found: dict[str, ScoreSpec] = {}
    types: dict[str, set[str] | None] = {}
    for c in criteria:
        if c.measure not in ("reviewer", "score"):
            continue
        name = c.sources[0]
        if name not in found:
            low, high = (c.low, c.high) if c.measure == "score" else _reviewer_range(c)
            found[name] = ScoreSpec(name, c.entered_by, low, high, c.required, c.default, c.label_fa,
                                    c.label_en, c.unit_fa, c.unit_en, c.placeholder)
            types[name] = set(c.office_types) if c.office_types else None
        elif types[name] is not None:
            types[name] = types[name] | set(c.office_types) if c.office_types else None
    return tuple(replace(spec, office_types=tuple(t for t in OFFICE_TYPES if t in types[spec.name])
                         if types[spec.name] is not None else ()) for spec in found.values())


def sources(criteria) -> dict:
    """The criteria grouped by where their values come from (SOURCE_KINDS), each group in order: the holder's
    declaration, the region's reviewer indicators, external scores (association, applicant satisfaction, agency
    opinion, …) and the violations committee's decisions."""
    kinds = {"reviewer": "reviewer", "score": "external", "violations": "violations"}
    return {kind: tuple(c for c in criteria if kinds.get(c.measure, "declaration") == kind) for kind in SOURCE_KINDS}
