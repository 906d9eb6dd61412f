"""Offices by rank per group (a province, an office type), with shares in whole percents adding up to 100."""

from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass

from .shares import whole_percents

RANKS = (1, 2, 3)


@dataclass(frozen=True)
class RankRow:
    key: str  # the group: a province's name, an office type's code; "" for all offices together
    counts: tuple[int, int, int]  # offices with rank 1, 2, 3
    percents: tuple[int, int, int]  # their shares of the group, adding up to 100 (all 0 for an empty group)

    @property
    def total(self) -> int:
        return sum(self.counts)


def _row(key: str, counts: Sequence[int]) -> RankRow:
    return RankRow(key, tuple(counts), tuple(whole_percents(counts)))


def rank_rows(counted: Iterable[tuple[str, int, int]], order: Sequence[str] = ()) -> list[RankRow]:
    """One row per group from (group, rank, count) triples, as a GROUP BY gives them (a repeated pair adds up).

    Groups named in `order` come first, in that order, and are listed even with no office (all zeros); the
    others follow by name. A rank other than 1, 2, 3 or a negative count is a caller's error."""
    counts: dict[str, list[int]] = {key: [0, 0, 0] for key in order}
    for key, rank, count in counted:
        if rank not in RANKS or isinstance(rank, bool):
            raise ValueError(f"rank must be 1, 2 or 3, not {rank!r}")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ValueError(f"count must be a whole number of offices, not {count!r}")
        counts.setdefault(key, [0, 0, 0])[rank - 1] += count
    position = {key: index for index, key in enumerate(order)}
    keys = sorted(counts, key=lambda key: (0, position[key], "") if key in position else (1, 0, key))
    return [_row(key, counts[key]) for key in keys]


def overall(rows: Iterable[RankRow]) -> RankRow:
    """All groups together (the key is "")."""
    totals = [0, 0, 0]
    for row in rows:
        for index, count in enumerate(row.counts):
            totals[index] += count
    return _row("", totals)
