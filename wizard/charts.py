"""Geometry of the server-drawn SVG charts: numbers only, computed here; templates/macros/charts.html draws them.

A bar chart has labelled categories (days, provinces, ranks), one bar each, a value axis with round ticks,
and runs in the page's reading direction: on a right-to-left page the first category is on the right and
the value axis on the right-hand side. All lengths are in viewBox units; the SVG scales to its box."""

import math
from dataclasses import dataclass

WIDTH = 360
HEIGHT = 200
AXIS_ROOM = 40  # beside the plot, for the value axis' labels
LABEL_ROOM = 30  # below the plot, for the categories' labels
TOP_ROOM = 16  # above the highest bar, for its value
END_ROOM = 6
GAP = 0.25  # of each category's slot, left empty between bars
LABEL_WIDTH = 48  # room one category label needs: fewer labels are shown when the slots are narrower


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    centre: float
    value: int
    label: str
    labelled: bool  # whether its category label is drawn (all are, when there is room)


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: float  # the plot area
    right: float
    top: float
    bottom: float
    axis_x: float  # where the value axis is drawn
    axis_label_x: float  # the centre of the value axis' labels
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    show_values: bool  # a value above each bar, when the bars are wide enough for it


def nice_step(maximum: int, ticks: int = 4) -> int:
    """A round step (1, 2 or 5 times a power of ten) giving at most `ticks` steps up to at least maximum."""
    if maximum <= 0:
        return 1
    rough = maximum / ticks
    power = 10 ** math.floor(math.log10(rough)) if rough >= 1 else 1
    for factor in (1, 2, 5, 10):
        if factor * power >= rough:
            return max(1, factor * power)
    return 10 * power  # unreachable: factor 10 always suffices


def bar_chart(values: list[int], labels: list[str], rtl: bool = False, width: int = WIDTH,
              height: int = HEIGHT) -> BarChart:
    """Bars for values (each >= 0) with their category labels, in reading order."""
    if len(values) != len(labels):
        raise ValueError("one label per value")
    if any(value < 0 for value in values):
        raise ValueError("bars start at zero: values cannot be negative")
    left = END_ROOM if rtl else AXIS_ROOM
    right = width - (AXIS_ROOM if rtl else END_ROOM)
    top, bottom = TOP_ROOM, height - LABEL_ROOM
    step = nice_step(max(values, default=0))
    scale_top = step * max(1, math.ceil(max(values, default=0) / step))
    slot = (right - left) / max(1, len(values))
    every = max(1, math.ceil(LABEL_WIDTH / slot))
    bars = []
    for index, (value, label) in enumerate(zip(values, labels, strict=True)):
        start = right - (index + 1) * slot if rtl else left + index * slot
        bar_height = (bottom - top) * value / scale_top
        bar_width = slot * (1 - GAP)
        bars.append(Bar(x=round(start + slot * GAP / 2, 2), y=round(bottom - bar_height, 2),
                        width=round(bar_width, 2), height=round(bar_height, 2), centre=round(start + slot / 2, 2),
                        value=value, label=label, labelled=index % every == 0))
    ticks = tuple(Tick(y=round(bottom - (bottom - top) * value / scale_top, 2), value=value)
                  for value in range(0, scale_top + 1, step))
    axis_x = right if rtl else left
    return BarChart(width=width, height=height, left=left, right=right, top=top, bottom=bottom, axis_x=axis_x,
                    axis_label_x=axis_x + AXIS_ROOM / 2 if rtl else axis_x - AXIS_ROOM / 2,
                    bars=tuple(bars), ticks=ticks, show_values=slot >= 18)


@dataclass(frozen=True)
class GroupBar:
    x: float
    y: float
    width: float
    height: float
    centre: float
    value: int
    series: int  # 0, 1, 2…: which of the chart's series (its colour and legend entry)


@dataclass(frozen=True)
class Group:
    label: str
    centre: float
    labelled: bool
    bars: tuple[GroupBar, ...]


@dataclass(frozen=True)
class GroupedBarChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    axis_x: float
    axis_label_x: float
    groups: tuple[Group, ...]
    ticks: tuple[Tick, ...]
    series: tuple[str, ...]
    show_values: bool


def grouped_bar_chart(values: list[list[int]], labels: list[str], series: list[str], rtl: bool = False,
                      width: int = WIDTH, height: int = HEIGHT) -> GroupedBarChart:
    """One group of bars per category (provinces, say), one bar per series in each (ranks 1, 2, 3), side by side
    in reading order; the categories run in reading order too. values[i][j]: category i, series j."""
    if len(values) != len(labels):
        raise ValueError("one label per group")
    if any(len(row) != len(series) for row in values):
        raise ValueError("one value per series in every group")
    if any(value < 0 for row in values for value in row):
        raise ValueError("bars start at zero: values cannot be negative")
    left = END_ROOM if rtl else AXIS_ROOM
    right = width - (AXIS_ROOM if rtl else END_ROOM)
    top, bottom = TOP_ROOM, height - LABEL_ROOM
    highest = max((value for row in values for value in row), default=0)
    step = nice_step(highest)
    scale_top = step * max(1, math.ceil(highest / step))
    slot = (right - left) / max(1, len(values))
    every = max(1, math.ceil(LABEL_WIDTH / slot))
    bar_width = slot * (1 - GAP) / max(1, len(series))
    groups = []
    for index, (row, label) in enumerate(zip(values, labels, strict=True)):
        start = right - (index + 1) * slot if rtl else left + index * slot
        bars = []
        for number, value in enumerate(row):
            # The first series is first in reading order: rightmost on a right-to-left page.
            offset = slot * GAP / 2 + (len(row) - 1 - number if rtl else number) * bar_width
            bar_height = (bottom - top) * value / scale_top
            bars.append(GroupBar(x=round(start + offset, 2), y=round(bottom - bar_height, 2), width=round(bar_width, 2),
                                 height=round(bar_height, 2), centre=round(start + offset + bar_width / 2, 2),
                                 value=value, series=number))
        groups.append(Group(label=label, centre=round(start + slot / 2, 2), labelled=index % every == 0,
                            bars=tuple(bars)))
    ticks = tuple(Tick(y=round(bottom - (bottom - top) * value / scale_top, 2), value=value)
                  for value in range(0, scale_top + 1, step))
    axis_x = right if rtl else left
    return GroupedBarChart(width=width, height=height, left=left, right=right, top=top, bottom=bottom, axis_x=axis_x,
                           axis_label_x=axis_x + AXIS_ROOM / 2 if rtl else axis_x - AXIS_ROOM / 2,
                           groups=tuple(groups), ticks=ticks, series=tuple(series), show_values=bar_width >= 14)
