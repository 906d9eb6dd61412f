"""Public statistics of a round's results (issue 21, item 7): offices by rank per province and per office type, from
the published version (the approved one once the results are final). Counts only: nothing about any office or
holder. The pure counting is rules.rank_counts; the charts' geometry is charts.py."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .charts import GroupedBarChart
from .charts import grouped_bar_chart
from .extensions import db
from .filters import digits
from .filters import percent
from .filters import province as province_name
from .i18n import locale_name
from .models import Office
from .models import Result
from .models import Round
from .rules.provinces import PROVINCES
from .rules.rank_counts import RankRow
from .rules.rank_counts import overall
from .rules.rank_counts import rank_rows
from .rules.vocabulary import OFFICE_TYPES

# Short names for the chart's labels (the table beside it uses the full ones, declaration.labels.OFFICE_TYPES).
SHORT_TYPES = {"pishkhan": _l("Counter office"), "public_nongov": _l("Public non-governmental"),
               "rural_ict": _l("Rural ICT")}
PROVINCE_ORDER = tuple(name for name, _english in PROVINCES)
CHART_SLOT = 36  # viewBox units per group: a chart of many provinces grows wider instead of squeezing them


@dataclass(frozen=True)
class Breakdown:
    rows: list[RankRow]
    chart: GroupedBarChart
    summary: str


@dataclass(frozen=True)
class RoundStatistics:
    round: Round
    version: int
    final: bool
    total: RankRow
    provinces: Breakdown
    types: Breakdown


def shown_version(round_: Round) -> int | None:
    """The version everyone may see: the approved one, else the published one (None before publication)."""
    return round_.approved_version or round_.published_version


def published_rounds() -> list[Round]:
    return list(db.session.scalars(sa.select(Round).where(Round.published_version.is_not(None))
                                   .order_by(Round.opens_at.desc(), Round.id.desc())))


def _counted(round_id: int, version: int, column) -> list[tuple[str, int, int]]:
    query = (sa.select(column, Result.rank, sa.func.count()).join(Office, Office.id == Result.office_id)
             .where(Result.round_id == round_id, Result.version == version).group_by(column, Result.rank))
    return [(key, rank, count) for key, rank, count in db.session.execute(query)]


def overall_sentence(total: RankRow) -> str:
    return _("Of %(total)s offices, %(one)s have rank 1 (%(one_p)s), %(two)s rank 2 (%(two_p)s) and %(three)s rank 3 "
             "(%(three_p)s).", total=digits(total.total), one=digits(total.counts[0]), two=digits(total.counts[1]),
             three=digits(total.counts[2]), one_p=percent(total.percents[0]), two_p=percent(total.percents[1]),
             three_p=percent(total.percents[2]))


def _breakdown(rows: list[RankRow], labels: list[str], total: RankRow, what: str) -> Breakdown:
    series = [_("Rank %(rank)s", rank=digits(rank)) for rank in (1, 2, 3)]
    chart = grouped_bar_chart([list(row.counts) for row in rows], labels, series, rtl=locale_name() == "fa",
                              width=max(360, 40 + CHART_SLOT * len(rows)))
    return Breakdown(rows, chart, f"{overall_sentence(total)} {what}")


def round_statistics(round_: Round) -> RoundStatistics | None:
    """The round's counts, or None while nothing is published."""
    version = shown_version(round_)
    if version is None:
        return None
    provinces = rank_rows(_counted(round_.id, version, Office.province), ())
    provinces.sort(key=lambda row: (PROVINCE_ORDER.index(row.key) if row.key in PROVINCE_ORDER else len(PROVINCE_ORDER),
                                    row.key))
    types = rank_rows(_counted(round_.id, version, Office.office_type), OFFICE_TYPES)
    total = overall(provinces)
    return RoundStatistics(
        round=round_, version=version, final=round_.approved_version is not None, total=total,
        provinces=_breakdown(provinces, [province_name(row.key) for row in provinces], total,
                             _("The chart shows each province's offices by rank; the table beside it has the numbers.")),
        types=_breakdown(types, [str(SHORT_TYPES.get(row.key, row.key)) for row in types], total,
                         _("The chart shows the offices of each type by rank; the table beside it has the numbers.")))
