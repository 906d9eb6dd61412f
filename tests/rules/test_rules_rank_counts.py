"""Offices by rank per group (rules.rank_counts): counts, percents that add up to 100, order, and refusals."""

import pytest

from wizard.rules.rank_counts import RankRow
from wizard.rules.rank_counts import overall
from wizard.rules.rank_counts import rank_rows


@pytest.mark.parametrize(("counted", "order", "expected"), [
    ([], (), []),
    ([("تهران", 1, 2), ("تهران", 2, 1), ("تهران", 3, 1)], (),
     [RankRow("تهران", (2, 1, 1), (50, 25, 25))]),
    # thirds: the shares still add up to 100, the earlier rank taking the spare point
    ([("a", 1, 1), ("a", 2, 1), ("a", 3, 1)], (), [RankRow("a", (1, 1, 1), (34, 33, 33))]),
    # a rank nobody has is a 0, and a group with one office has it all
    ([("a", 3, 7)], (), [RankRow("a", (0, 0, 7), (0, 0, 100))]),
    # a pair given twice adds up
    ([("a", 1, 1), ("a", 1, 2)], (), [RankRow("a", (3, 0, 0), (100, 0, 0))]),
    # groups in the given order first, listed even when empty; the rest by name
    ([("z", 1, 1), ("b", 2, 1), ("a", 3, 1)], ("b", "q"),
     [RankRow("b", (0, 1, 0), (0, 100, 0)), RankRow("q", (0, 0, 0), (0, 0, 0)), RankRow("a", (0, 0, 1), (0, 0, 100)),
      RankRow("z", (1, 0, 0), (100, 0, 0))]),
    ([("a", 1, 0)], (), [RankRow("a", (0, 0, 0), (0, 0, 0))]),
    ([("a", 1, 1), ("a", 2, 2), ("a", 3, 4)], (), [RankRow("a", (1, 2, 4), (14, 29, 57))]),
])
def test_rank_rows(counted, order, expected):
    rows = rank_rows(counted, order)
    assert rows == expected
    for row in rows:
        assert sum(row.percents) == (100 if row.total else 0)


@pytest.mark.parametrize("counted", [[("a", 0, 1)], [("a", 4, 1)], [("a", None, 1)], [("a", True, 1)],
                                     [("a", 1, -1)], [("a", 1, 1.5)], [("a", 1, True)]])
def test_refused(counted):
    with pytest.raises(ValueError):
        rank_rows(counted)


@pytest.mark.parametrize(("rows", "expected"), [
    ([], RankRow("", (0, 0, 0), (0, 0, 0))),
    ([RankRow("a", (1, 0, 1), (50, 0, 50)), RankRow("b", (0, 2, 0), (0, 100, 0))], RankRow("", (1, 2, 1), (25, 50, 25))),
])
def test_overall(rows, expected):
    result = overall(rows)
    assert result == expected and result.total == sum(row.total for row in rows)
