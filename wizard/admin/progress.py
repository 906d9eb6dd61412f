"""Where offices stand in a round: not started, in progress or submitted (counts and filters)."""

from collections import Counter
from collections import defaultdict

import sqlalchemy as sa

from ..extensions import db
from ..models import Declaration
from ..models import Office
from ..models import Submission
from ..rules.deadline import TEHRAN

STATUSES = ("not_started", "in_progress", "submitted")


def submitted_ids(round_id: int):
    return sa.select(Submission.office_id).where(Submission.round_id == round_id)


def started_ids(round_id: int):
    # A draft's version grows with every save: version 1 is a draft nobody has saved yet.
    return sa.select(Declaration.office_id).where(Declaration.round_id == round_id, Declaration.version > 1)


def status_filter(status: str, round_id: int):
    """A WHERE clause on Office for one status."""
    submitted = Office.id.in_(submitted_ids(round_id))
    started = Office.id.in_(started_ids(round_id))
    return {"submitted": submitted, "in_progress": sa.and_(started, ~submitted),
            "not_started": sa.and_(~started, ~submitted)}[status]


def status_case(round_id: int):
    """The status of each office as a SQL expression (for listing many offices in one query)."""
    return sa.case((Office.id.in_(submitted_ids(round_id)), "submitted"),
                   (Office.id.in_(started_ids(round_id)), "in_progress"), else_="not_started")


def by_province(round_id: int, provinces: list[str] | None) -> dict[str, Counter]:
    """Office counts per province and status, in three grouped queries."""
    status = status_case(round_id)  # one expression object: PostgreSQL needs GROUP BY to match the SELECT
    query = sa.select(Office.province, status, sa.func.count()).group_by(Office.province, status)
    if provinces is not None:
        query = query.where(Office.province.in_(provinces))
    counts: dict[str, Counter] = defaultdict(Counter)
    for province, status, number in db.session.execute(query):
        counts[province][status] += number
    return counts


def daily_submissions(round_id: int, provinces: list[str] | None) -> list[tuple]:
    """(Tehran day, offices submitting for the first time that day, running total)."""
    first = (sa.select(Submission.office_id, sa.func.min(Submission.submitted_at).label("at"))
             .where(Submission.round_id == round_id).group_by(Submission.office_id))
    if provinces is not None:
        first = first.join(Office, Office.id == Submission.office_id).where(Office.province.in_(provinces))
    days = Counter(at.astimezone(TEHRAN).date() for _office, at in db.session.execute(first))
    running, rows = 0, []
    for day in sorted(days):
        running += days[day]
        rows.append((day, days[day], running))
    return rows


def status_rank(round_id: int):
    """0 not started, 1 in progress, 2 submitted: the statuses in the order an office goes through them."""
    return sa.case((Office.id.in_(submitted_ids(round_id)), 2), (Office.id.in_(started_ids(round_id)), 1), else_=0)
