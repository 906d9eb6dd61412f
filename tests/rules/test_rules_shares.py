"""Whole percents of a total that add up to 100, by largest remainder."""

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from wizard.rules.shares import whole_percents

SETTINGS = settings(max_examples=500, deadline=None, derandomize=True, database=None)


@pytest.mark.parametrize(("counts", "percents"), [
    ([4, 1, 1], [67, 17, 16]),  # 66.67, 16.67, 16.67: floor-rounding said 66, 16, 16 (98 %)
    ([1, 1, 1], [34, 33, 33]),  # equal counts and remainders: the earlier one gets the extra point
    ([2, 1], [67, 33]),
    ([1, 2], [33, 67]),
    ([0, 0, 0], [0, 0, 0]),
    ([0, 5, 0], [0, 100, 0]),
    ([1, 0, 199], [0, 0, 100]),  # 0.5 and 99.5: the tie goes to the larger count
    ([1, 1, 998], [0, 0, 100]),  # 0.1, 0.1, 99.8
    ([20_000, 1, 0], [100, 0, 0]),
    ([1, 1, 1, 1, 1, 1, 1], [15, 15, 14, 14, 14, 14, 14]),
    ([], []),
])
def test_whole_percents(counts, percents):
    assert whole_percents(counts) == percents


def test_another_whole():
    assert whole_percents([1, 1, 1], whole=1000) == [334, 333, 333]


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        whole_percents([3, -1])


@SETTINGS
@given(st.lists(st.integers(0, 50_000), min_size=1, max_size=40))
def test_shares_add_up_and_stay_within_one_of_the_exact_value(counts):
    shares = whole_percents(counts)
    total = sum(counts)
    assert sum(shares) == (100 if total else 0)
    for count, share in zip(counts, shares, strict=True):
        exact = 100 * count / total if total else 0
        assert exact - 1 < share < exact + 1
        assert share == 0 or count > 0


@SETTINGS
@given(st.lists(st.integers(0, 50_000), min_size=2, max_size=40))
def test_a_larger_count_never_gets_a_smaller_share(counts):
    shares = whole_percents(counts)
    for a in range(len(counts)):
        for b in range(len(counts)):
            if counts[a] > counts[b]:
                assert shares[a] >= shares[b]
            if counts[a] == counts[b]:
                assert abs(shares[a] - shares[b]) <= 1
