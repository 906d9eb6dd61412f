"""Chart geometry (wizard/charts.py): bars in reading order, proportional, inside the plot, round ticks."""

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from wizard.charts import bar_chart
from wizard.charts import nice_step

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True, database=None)


@pytest.mark.parametrize(("maximum", "step"), [(0, 1), (1, 1), (3, 1), (4, 1), (5, 2), (8, 2), (9, 5), (17, 5),
                                               (20, 5), (21, 10), (40, 10), (99, 50), (101, 50), (450, 200),
                                               (20_000, 5000)])
def test_nice_step(maximum, step):
    assert nice_step(maximum) == step


def test_left_to_right_bars_start_on_the_left_and_the_axis_is_on_the_left():
    chart = bar_chart([1, 2, 4], ["a", "b", "c"])
    assert [bar.label for bar in sorted(chart.bars, key=lambda bar: bar.x)] == ["a", "b", "c"]
    assert chart.axis_x == chart.left < chart.bars[0].x
    assert chart.axis_label_x < chart.axis_x


def test_right_to_left_bars_start_on_the_right_and_the_axis_is_on_the_right():
    chart = bar_chart([1, 2, 4], ["a", "b", "c"], rtl=True)
    assert [bar.label for bar in sorted(chart.bars, key=lambda bar: -bar.x)] == ["a", "b", "c"]
    assert chart.axis_x == chart.right > chart.bars[0].x + chart.bars[0].width
    assert chart.axis_label_x > chart.axis_x


def test_bar_heights_are_proportional_to_values_and_ticks_are_round():
    chart = bar_chart([0, 5, 10, 17], list("abcd"))
    heights = [bar.height for bar in chart.bars]
    assert heights[0] == 0 and heights[2] == pytest.approx(2 * heights[1])
    assert [tick.value for tick in chart.ticks] == [0, 5, 10, 15, 20]
    assert chart.ticks[0].y == chart.bottom and chart.ticks[-1].y == chart.top


def test_nothing_but_zeros_draws_flat_bars_and_one_step():
    chart = bar_chart([0, 0], ["a", "b"])
    assert all(bar.height == 0 for bar in chart.bars)
    assert [tick.value for tick in chart.ticks] == [0, 1]


def test_crowded_labels_are_thinned_and_values_left_out():
    chart = bar_chart([1] * 60, [str(n) for n in range(60)])
    labelled = [bar for bar in chart.bars if bar.labelled]
    assert chart.bars[0].labelled and 5 <= len(labelled) <= 10
    assert not chart.show_values
    assert bar_chart([1] * 5, list("abcde")).show_values


@pytest.mark.parametrize(("values", "labels"), [([1, -1], ["a", "b"]), ([1], ["a", "b"])])
def test_bad_input_is_refused(values, labels):
    with pytest.raises(ValueError):
        bar_chart(values, labels)


@SETTINGS
@given(st.lists(st.integers(0, 100_000), min_size=1, max_size=120), st.booleans())
def test_every_bar_is_inside_the_plot_and_none_overlap(values, rtl):
    chart = bar_chart(values, [str(n) for n in range(len(values))], rtl=rtl)
    for bar in chart.bars:
        assert chart.left - 0.01 <= bar.x and bar.x + bar.width <= chart.right + 0.01
        assert chart.top - 0.01 <= bar.y and bar.y + bar.height <= chart.bottom + 0.01
    edges = sorted((bar.x, bar.x + bar.width) for bar in chart.bars)
    assert all(end <= start + 0.01 for (_s, end), (start, _e) in zip(edges, edges[1:], strict=False))
    assert chart.ticks[-1].value >= max(values)
    assert len(chart.ticks) <= 6
