"""The staff dashboard: each province's progress in the current round, with the daily trend as a chart and a table."""

from datetime import timedelta

from flask import render_template
from flask_babel import gettext as _

from .. import clock
from ..charts import bar_chart
from ..filters import digits
from ..filters import jalali_date
from ..i18n import locale_name
from ..declaration.labels import OFFICE_TYPES
from ..rounds import current_round
from ..statistics import round_statistics
from ..rules import jalali
from ..rules.deadline import TEHRAN
from ..rules.provinces import PROVINCES
from ..rules.shares import whole_percents
from .blueprint import bp
from . import progress
from .scope import provinces_in_scope
from .scope import staff

ORDER = {name: index for index, (name, _english) in enumerate(PROVINCES)}


def _progress_rows(counts) -> list[dict]:
    rows = []
    for province in sorted(counts, key=lambda name: ORDER.get(name, len(ORDER))):
        numbers = [counts[province][status] for status in progress.STATUSES]
        percents = whole_percents(numbers)  # they add up to 100, as the counts add up to the total
        rows.append({"province": province, "total": sum(numbers), **dict(zip(progress.STATUSES, numbers, strict=True)),
                     **{f"{status}_percent": share for status, share in zip(progress.STATUSES, percents, strict=True)}})
    return rows


def every_day(trend: list[tuple], round_) -> list[tuple]:
    """The trend with a row for each day from the round's opening to today (or its deadline), 0 where nobody
    submitted: a chart of days must not skip the quiet ones."""
    if not trend:
        return []
    counts = {day: count for day, count, _running in trend}
    first = min(round_.opens_at.astimezone(TEHRAN).date(), trend[0][0])
    last = max(min(clock.now(), round_.deadline).astimezone(TEHRAN).date(), trend[-1][0])
    rows, running = [], 0
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        running += counts.get(day, 0)
        rows.append((day, counts.get(day, 0), running))
    return rows


def _day_label(day) -> str:
    """'۷ آذر' on Persian pages, '7 Azar' on English ones: the year is in the chart's summary."""
    _year, month, number = jalali.to_jalali(day)
    months = jalali.MONTHS_FA if locale_name() == "fa" else jalali.MONTHS_EN
    return digits(f"{number} {months[month - 1]}")


def trend_summary(days: list[tuple]) -> str:
    """What the chart shows, in a sentence: its text alternative beside the table."""
    busiest = max(days, key=lambda row: (row[1], -row[0].toordinal()))
    return _("From %(first)s to %(last)s, %(total)s offices submitted for the first time; the most on one day "
             "was %(count)s, on %(day)s.", first=jalali_date(days[0][0]), last=jalali_date(days[-1][0]),
             total=digits(days[-1][2]), count=digits(busiest[1]), day=jalali_date(busiest[0]))


@bp.get("/")
@staff
def dashboard():
    round_ = current_round()
    if round_ is None:
        return render_template("admin/dashboard.html", round=None)
    rows = _progress_rows(progress.by_province(round_.id, provinces_in_scope()))
    days = every_day(progress.daily_submissions(round_.id, provinces_in_scope()), round_)
    chart = summary = None
    if days:
        chart = bar_chart([count for _day, count, _running in days], [_day_label(day) for day, *_rest in days],
                          rtl=locale_name() == "fa")
        summary = trend_summary(days)
    return render_template("admin/dashboard.html", round=round_, rows=rows, trend=days, chart=chart,
                           summary=summary, stats=round_statistics(round_), office_type_labels=OFFICE_TYPES)
