"""The windowed page links: first, last, a few around the current page, ellipses for the rest."""

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from wizard.rules.pages import page_count
from wizard.rules.pages import page_window

SETTINGS = settings(max_examples=300, deadline=None, derandomize=True, database=None)
_ = None  # an ellipsis


@pytest.mark.parametrize(("page", "pages", "window"), [
    (1, 1, [1]),
    (1, 2, [1, 2]),
    (1, 7, [1, 2, 3, _, 7]),
    (4, 7, [1, 2, 3, 4, 5, 6, 7]),
    (5, 9, [1, 2, 3, 4, 5, 6, 7, 8, 9]),
    (6, 11, [1, _, 4, 5, 6, 7, 8, _, 11]),
    (1, 901, [1, 2, 3, _, 901]),
    (451, 901, [1, _, 449, 450, 451, 452, 453, _, 901]),
    (901, 901, [1, _, 899, 900, 901]),
    (4, 901, [1, 2, 3, 4, 5, 6, _, 901]),  # page 2 fills a one-page gap instead of an ellipsis
    (5, 901, [1, 2, 3, 4, 5, 6, 7, _, 901]),
    (6, 901, [1, _, 4, 5, 6, 7, 8, _, 901]),
    (0, 5, [1, 2, 3, 4, 5]),  # clamped to the first page
    (99, 5, [1, 2, 3, 4, 5]),  # clamped to the last page
    (1, 0, []),
])
def test_page_window(page, pages, window):
    assert page_window(page, pages) == window


def test_a_wider_window():
    assert page_window(50, 100, around=4) == [1, _, 46, 47, 48, 49, 50, 51, 52, 53, 54, _, 100]


@pytest.mark.parametrize(("total", "size", "pages"), [(0, 50, 1), (1, 50, 1), (50, 50, 1), (51, 50, 2),
                                                      (45_000, 50, 900), (45_001, 50, 901), (-3, 50, 1)])
def test_page_count(total, size, pages):
    assert page_count(total, size) == pages


def test_a_page_holds_at_least_one_row():
    with pytest.raises(ValueError):
        page_count(10, 0)


@SETTINGS
@given(st.integers(1, 100_000), st.integers(-5, 100_005), st.integers(0, 5))
def test_the_window_is_short_ordered_and_has_first_current_and_last(pages, page, around):
    window = page_window(page, pages, around)
    current = min(max(page, 1), pages)
    numbers = [number for number in window if number is not None]
    assert {1, current, pages} <= set(numbers)
    assert numbers == sorted(set(numbers))
    assert len(window) <= 2 * around + 5
    assert set(range(max(1, current - around), min(pages, current + around) + 1)) <= set(numbers)
    for before, after in zip(window, window[1:], strict=False):
        assert before is not None or after is not None  # never two ellipses in a row
    assert window[0] == 1 and window[-1] == pages  # an ellipsis is never at an end
    for index, entry in enumerate(window):
        if entry is None:
            assert window[index + 1] - window[index - 1] > 2  # an ellipsis hides at least two pages
        elif index and window[index - 1] is not None:
            assert entry == window[index - 1] + 1  # neighbours without an ellipsis are consecutive pages
