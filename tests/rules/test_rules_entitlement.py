"""Tests for wizard.rules.entitlement: allowed services by rank (Clause 5-6, SPEC §5)."""

from fractions import Fraction
from math import floor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.rules.entitlement import allowed_services, check_percents

PROPERTY = settings(max_examples=200, deadline=None, derandomize=True, database=None)
RANKS = (1, 2, 3, None)
# N: (rank 1, rank 2, rank 3, no submission), worked out by hand.
EXPECTED = {
    0: (0, 0, 0, 0),
    1: (1, 0, 0, 0),
    3: (3, 2, 0, 0),
    7: (7, 4, 2, 2),
    10: (10, 7, 3, 3),
    33: (33, 23, 9, 9),
    100: (100, 70, 30, 30),
}


@pytest.mark.parametrize(
    ("rank", "available", "expected"),
    [(rank, n, row[i]) for n, row in EXPECTED.items() for i, rank in enumerate(RANKS)],
)
def test_default_percents(rank, available, expected):
    assert allowed_services(rank, available) == expected


@pytest.mark.parametrize(
    ("rank", "available", "percents", "expected"),
    [
        (2, 100, (100, 58, 29), 58),  # float 0.58 * 100 == 57.999…, so floats would give 57
        (3, 100, (100, 58, 29), 29),  # float 0.29 * 100 == 28.999…
        (1, 10, (80, 60, 40), 8),
        (2, 10, [80, 60, 40], 6),
        (None, 10, (80, 60, 40), 4),
        (3, 7, (100, 50, 25), 1),
        (1, 33, (0, 0, 0), 0),
        (3, 33, (100, 100, 100), 33),
        (2, 10**20 + 1, (100, 70, 30), 7 * 10**19),
    ],
)
def test_custom_percents(rank, available, percents, expected):
    assert allowed_services(rank, available, percents) == expected


@pytest.mark.parametrize("rank", [0, 4, -1, "1", True, False, 1.0, "rank 1"])
def test_unknown_rank(rank):
    with pytest.raises(ValueError):
        allowed_services(rank, 10)


@pytest.mark.parametrize("available", [-1, 1.0, 10.5, "10", True, False, None])
def test_bad_available(available):
    with pytest.raises(ValueError):
        allowed_services(1, available)


@pytest.mark.parametrize(
    "percents",
    [
        (100, 70), (100, 70, 30, 10), (101, 70, 30), (100, -1, 30), (100, 70.0, 30),
        (100, True, 30), ("100", 70, 30), None, 100, "abc",
    ],
)
def test_bad_percents(percents):
    with pytest.raises(ValueError):
        allowed_services(1, 10, percents)


def test_check_percents_returns_a_tuple():
    assert check_percents([100, 70, 30]) == (100, 70, 30)


@PROPERTY
@given(st.integers(min_value=0, max_value=10**12))
def test_default_percents_properties(available):
    counts = [allowed_services(rank, available) for rank in RANKS]
    assert counts[0] == available
    assert counts[0] >= counts[1] >= counts[2] == counts[3] >= 0


@PROPERTY
@given(
    st.integers(min_value=0, max_value=10**12),
    st.lists(st.integers(0, 100), min_size=3, max_size=3).map(lambda p: tuple(sorted(p, reverse=True))),
)
def test_exact_floor_and_monotone_for_any_ordered_percents(available, percents):
    counts = [allowed_services(rank, available, percents) for rank in RANKS]
    assert counts == sorted(counts, reverse=True)
    assert all(0 <= c <= available and isinstance(c, int) for c in counts)
    for rank, count in zip((1, 2, 3), counts, strict=False):
        assert count == floor(Fraction(percents[rank - 1] * available, 100))
