"""Computing, publishing and approving a round's results in bulk (SPEC §5).

compute() scores every office with the round's stored rubric (the office type's part of it) and inserts one
new version of results in a single executemany; publish() makes a computed version visible by setting one
column on the round, so holders see all of it or none; approve() makes a published version final."""

import functools
import json
from collections import Counter
from collections import defaultdict
from datetime import datetime
from datetime import time
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import gettext as _

from . import clock
from . import ranking_inputs
from .extensions import db
from .models import Office
from .models import Result
from .models import Round
from .models import UTCDateTime
from .models import audit
from .notify import events as notify_events
from .rounds import DEFAULT_RUBRIC_PATH
from .rounds import load_rubric
from .rules import scoring
from .rules.deadline import TEHRAN
from .rules.entitlement import allowed_services
from .rules.rubric import Rubric
from .rules.rubric import rubric_from_stored
from .verification import codes_are_the_offices_own
from .verification import earlier_codes
from .verification import verification_codes

MISSING_SHOWN = 5  # a refusal names this many missing scores, then counts the rest


class RankingError(Exception):
    pass


def round_rubric(round_: Round) -> Rubric:
    if not round_.rubric:
        return load_rubric(DEFAULT_RUBRIC_PATH)
    return _parsed_rubric(json.dumps(round_.rubric, sort_keys=True))


@functools.lru_cache(maxsize=16)  # every results page needs the round's rubric, validated
def _parsed_rubric(stored_json: str) -> Rubric:
    return rubric_from_stored(json.loads(stored_json))


# One encoder for every breakdown: json.dumps with separators builds a new one on each call.
_compact_json = json.JSONEncoder(separators=(",", ":")).encode


def _assess(row: ranking_inputs.OfficeRow, outside, rubric: Rubric, on) -> tuple[int, int, dict]:
    """One office's (rank, score, breakdown); an office with no data at all gets rank 3 (SPEC §1)."""
    if row.snapshot is None:
        return 3, 0, {"submitted": False}
    rubric = rubric.for_office_type(row.office_type)
    values, total = scoring.measured(json.loads(row.snapshot), rubric, outside, on=on)
    # Only the measured values: labels, points and advice follow from the round's stored rubric.
    return scoring.rank(total, rubric), total, {"submitted": True, "values": values}


def explain(result: Result, round_: Round, office_type: str) -> tuple[scoring.Breakdown | None,
                                                                      scoring.NextRank | None]:
    """The per-criterion breakdown and the next-rank advice of one stored result."""
    if not result.breakdown.get("submitted"):
        return None, None
    rubric = round_rubric(round_).for_office_type(office_type)
    items = tuple(scoring.item_for(criterion, result.breakdown["values"][criterion.key])
                  for criterion in rubric.criteria)
    breakdown = scoring.Breakdown(rubric.version, items, sum(item.contribution for item in items))
    return breakdown, scoring.next_rank_needs(breakdown, rubric)


def compute(round_: Round) -> dict[str, Counter]:
    """Score every office as a new provisional version; return the rank count per province.

    An office whose result is the same as in the published (or the last computed) version keeps that
    version's verification code, so a printed result goes on verifying for as long as it holds."""
    if round_.phase(clock.now()) not in ("closed", "published"):
        raise _refused("results-compute", round_, _("The round is still open; results are computed after its deadline."))
    if round_.approved_version is not None:
        raise _refused("results-compute", round_, _("The results of this round are final; nothing is computed again."))
    rubric = round_rubric(round_)
    _refuse_while_scores_are_missing(round_, rubric)
    on = round_.deadline.astimezone(TEHRAN).date()
    outside = ranking_inputs.outside(round_.id)
    earlier = earlier_codes(round_)
    version = round_.results_version + 1
    entitled = functools.cache(lambda rank_, available: allowed_services(rank_, available, round_.percents))
    rows, distribution, codes = [], defaultdict(Counter), verification_codes()
    for office in ranking_inputs.offices(round_):
        rank_, score, breakdown = _assess(office, outside.get(office.office_id, scoring.NOTHING_OUTSIDE), rubric, on)
        outcome = (score, rank_, entitled(rank_, office.available), _compact_json(breakdown))
        code = earlier.get((office.office_id, *outcome)) or next(codes)
        rows.append((round_.id, office.office_id, version, *outcome, code, office.basis, office.basis_round_id))
        distribution[office.province][rank_] += 1
    _insert_results(rows)
    if not codes_are_the_offices_own(round_.id, version):
        db.session.rollback()
        raise RankingError(_("Two offices drew the same verification code; please compute again."))
    round_.results_version = version
    audit("results-compute", target=f"round:{round_.id}", version=version, offices=len(rows))
    db.session.commit()
    return distribution


def _refuse_while_scores_are_missing(round_: Round, rubric: Rubric) -> None:
    missing = ranking_inputs.missing_scores(round_, rubric)
    if not missing:
        return
    codes = dict(db.session.execute(sa.select(Office.id, Office.office_code)
                                    .where(Office.id.in_({office for office, _name in missing[:MISSING_SHOWN]}))).all())
    english = str(get_locale() or "fa") == "en"
    labels = {spec.name: spec.label_en if english else spec.label_fa for spec in rubric.scores}
    comma = ", " if english else "، "
    named = comma.join(f"{codes[office]}: {labels.get(name) or name}" for office, name in missing[:MISSING_SHOWN])
    raise _refused("results-compute", round_, _(
        "%(count)s scores are missing or not confirmed yet (%(named)s), so no results were computed. The scores "
        "list, filtered to what is missing, shows them all.",
        count=len(missing), named=named + (comma + "…" if len(missing) > MISSING_SHOWN else "")))


def _insert_results(rows: list[tuple]) -> None:
    """One executemany straight to the driver: SQLAlchemy's per-row parameter processing cost more than
    the scoring itself at 100,000 offices (the breakdown is already JSON text)."""
    if not rows:
        return
    columns = ("round_id", "office_id", "version", "score", "rank", "allowed_services", "breakdown",
               "verification_code", "basis", "basis_round_id")  # the order of compute()'s rows
    marker = "?" if db.engine.dialect.paramstyle == "qmark" else "%s"
    # Only constants are spliced in (table, column names, placeholders); the values travel as parameters.
    statement = f"INSERT INTO {Result.__tablename__} ({', '.join(columns)}) VALUES ({', '.join([marker] * len(columns))})"  # nosec B608
    db.session.connection().exec_driver_sql(statement, rows)


def publish(round_: Round) -> int:
    """Make the latest computed version visible to holders, atomically for the whole round.

    A result unchanged since an earlier publication (same verification code) keeps that publication's date.
    The first publication opens the objection window: objection_days whole Tehran days after today."""
    if round_.results_version == 0:
        raise _refused("results-publish", round_, _("No results have been computed for this round yet."))
    if round_.approved_version is not None:
        raise _refused("results-publish", round_, _("The results of this round are final; nothing is published again."))
    now = clock.now()
    version = round_.results_version
    earlier = sa.orm.aliased(Result)
    first_published = (sa.select(sa.func.min(earlier.published_at))
                       .where(earlier.round_id == Result.round_id, earlier.office_id == Result.office_id,
                              earlier.verification_code == Result.verification_code)
                       .scalar_subquery())
    db.session.execute(sa.update(Result).where(Result.round_id == round_.id, Result.version == version)
                       .values(published_at=sa.func.coalesce(first_published,
                                                             sa.bindparam("now", now, type_=UTCDateTime()))))
    if round_.published_version is None and round_.objection_days:
        round_.objections_close_at = end_of_tehran_day(now, round_.objection_days)
    round_.published_version = version
    round_.published_at = now
    round_.status = "published"
    audit("results-publish", target=f"round:{round_.id}", version=version)
    notify_events.results_published(round_, version)
    db.session.commit()
    return version


def end_of_tehran_day(moment: datetime, days_after: int) -> datetime:
    """23:59:59 Tehran time, days_after days after moment's Tehran day."""
    day = moment.astimezone(TEHRAN).date() + timedelta(days=days_after)
    return datetime.combine(day, time(23, 59, 59), tzinfo=TEHRAN)


def approve(round_: Round) -> int:
    """Make the published version final (SPEC §5): no more objections, computing or publishing; the agencies'
    export and API serve it."""
    now = clock.now()
    if round_.published_version is None:
        raise _refused("results-approve", round_, _("Publish the results before approving them."))
    if round_.approved_version is not None:
        raise _refused("results-approve", round_, _("The results of this round are already final."))
    if round_.objections_close_at is not None and now <= round_.objections_close_at:
        raise _refused("results-approve", round_, _("The objection window is still open."))
    undecided, unapplied = ranking_inputs.unsettled_objections(round_)
    if undecided:
        raise _refused("results-approve", round_, _("%(count)s objections are not answered yet.", count=undecided))
    if unapplied:
        raise _refused("results-approve", round_, _(
            "%(count)s accepted objections are not in the published results yet: compute and publish a new "
            "version first.", count=unapplied))
    round_.approved_version, round_.approved_at = round_.published_version, now
    audit("results-approve", target=f"round:{round_.id}", version=round_.approved_version)
    db.session.commit()
    return round_.approved_version


def _refused(action: str, round_: Round, message: str) -> RankingError:
    """A refused compute, publish or approval is audited (who, where, why) before the error reaches the user."""
    audit(action, target=f"round:{round_.id}", outcome="refused", reason=message)
    db.session.commit()
    return RankingError(message)
