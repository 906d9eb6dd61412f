"""Grouped bar charts (charts.grouped_bar_chart): groups and their bars in reading order, inside the plot, heights
proportional to values, and refused input."""

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from wizard.charts import grouped_bar_chart

SERIES = ["1", "2", "3"]


def test_left_to_right_groups_and_series_run_left_to_right():
    chart = grouped_bar_chart([[1, 2, 3], [4, 5, 6]], ["a", "b"], SERIES)
    assert chart.groups[0].centre < chart.groups[1].centre
    for group in chart.groups:
        assert [bar.series for bar in sorted(group.bars, key=lambda bar: bar.x)] == [0, 1, 2]
    assert chart.axis_x == chart.left


def test_right_to_left_groups_and_series_run_right_to_left():
    chart = grouped_bar_chart([[1, 2, 3], [4, 5, 6]], ["a", "b"], SERIES, rtl=True)
    assert chart.groups[0].centre > chart.groups[1].centre
    for group in chart.groups:
        assert [bar.series for bar in sorted(group.bars, key=lambda bar: -bar.x)] == [0, 1, 2]
    assert chart.axis_x == chart.right


def test_heights_are_proportional_and_the_highest_fits():
    chart = grouped_bar_chart([[0, 5, 10]], ["a"], SERIES)
    heights = [bar.height for bar in chart.groups[0].bars]
    assert heights[0] == 0 and heights[2] == pytest.approx(2 * heights[1])
    assert chart.ticks[-1].value >= 10


@pytest.mark.parametrize(("values", "labels"), [([[1, 2]], ["a"]), ([[1, 2, 3]], []), ([[1, -1, 0]], ["a"])])
def test_refused(values, labels):
    with pytest.raises(ValueError):
        grouped_bar_chart(values, labels, SERIES)


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(st.lists(st.lists(st.integers(0, 10_000), min_size=3, max_size=3), min_size=1, max_size=31), st.booleans())
def test_every_bar_is_inside_the_plot_and_bars_do_not_overlap(values, rtl):
    chart = grouped_bar_chart(values, [str(index) for index in range(len(values))], SERIES, rtl=rtl)
    bars = sorted((bar for group in chart.groups for bar in group.bars), key=lambda bar: bar.x)
    for bar in bars:
        assert chart.left - 0.01 <= bar.x and bar.x + bar.width <= chart.right + 0.02
        assert chart.top - 0.01 <= bar.y and bar.y + bar.height <= chart.bottom + 0.02
    for before, after in zip(bars, bars[1:], strict=False):
        assert before.x + before.width <= after.x + 0.02
