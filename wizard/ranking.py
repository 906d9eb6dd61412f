"""Computing and publishing a round's results in bulk (SPEC §5).

compute() scores every office's latest submission with the round's stored rubric and
inserts one new version of results in a single executemany; publish() makes a computed
version visible by setting one column on the round, so holders see all of it or none.
"""

import functools
import json
import secrets
from collections import Counter
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from . import clock
from .extensions import db
from .models import Area
from .models import Office
from .models import Result
from .models import ReviewerIndicator
from .models import Round
from .models import Submission
from .models import UTCDateTime
from .models import audit
from .rounds import DEFAULT_RUBRIC_PATH
from .rounds import load_rubric
from .rules.rubric import rubric_from_stored
from .rules import scoring
from .rules.rubric import Rubric
from .rules.deadline import TEHRAN
from .rules.entitlement import allowed_services

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I/L to misread from paper


class RankingError(Exception):
    pass


def round_rubric(round_: Round) -> Rubric:
    if not round_.rubric:
        return load_rubric(DEFAULT_RUBRIC_PATH)
    return _parsed_rubric(json.dumps(round_.rubric, sort_keys=True))


@functools.lru_cache(maxsize=16)  # every results page needs the round's rubric, validated
def _parsed_rubric(stored_json: str) -> Rubric:
    return rubric_from_stored(json.loads(stored_json))


def _latest_snapshots(round_id: int):
    """(office id, province, available services, latest snapshot or None) for every office."""
    latest = (sa.select(Submission.office_id, sa.func.max(Submission.number).label("number"))
              .where(Submission.round_id == round_id).group_by(Submission.office_id).subquery())
    query = (sa.select(Office.id, Office.province, Area.available_services, Submission.snapshot)
             .join(Area, Area.id == Office.area_id)
             .outerjoin(latest, latest.c.office_id == Office.id)
             .outerjoin(Submission, sa.and_(Submission.office_id == Office.id, Submission.round_id == round_id,
                                            Submission.number == latest.c.number)))
    return db.session.execute(query)


def _indicators(round_id: int) -> dict[int, dict[str, int]]:
    found: dict[int, dict[str, int]] = defaultdict(dict)
    query = sa.select(ReviewerIndicator.office_id, ReviewerIndicator.name, ReviewerIndicator.value)
    for office_id, name, value in db.session.execute(query.where(ReviewerIndicator.round_id == round_id)):
        found[office_id][name] = value
    return found


# One encoder for every breakdown: json.dumps with separators builds a new one on each call.
_compact_json = json.JSONEncoder(separators=(",", ":")).encode

# Random bytes below 248 (8 × 31) map evenly onto the 31 symbols; the rest become "-" and are dropped.
_BYTE_TO_SYMBOL = "".join(CODE_ALPHABET[byte % 31] if byte < 248 else "-" for byte in range(256)).encode()


def verification_codes() -> Iterator[str]:
    """Codes of twelve characters from 31 symbols (about 59 bits), each uniformly random, without end.

    Drawn from the OS 64 KiB at a time: a draw per code, a system call each, was a tenth of the time
    to compute 100,000 results."""
    while True:
        symbols = secrets.token_bytes(65536).translate(_BYTE_TO_SYMBOL).replace(b"-", b"")
        for start in range(0, len(symbols) - 11, 12):
            yield symbols[start:start + 12].decode()


def _assess(snapshot_json, reviewer, rubric, on) -> tuple[int, int, dict]:
    """One office's (rank, score, breakdown); no submission means rank 3 (SPEC §1)."""
    if snapshot_json is None:
        return 3, 0, {"submitted": False}
    values, total = scoring.measured(json.loads(snapshot_json), rubric, reviewer, on=on)
    # Only the measured values: labels, points and advice follow from the round's stored rubric.
    return scoring.rank(total, rubric), total, {"submitted": True, "values": values}


def explain(result: Result, round_: Round) -> tuple[scoring.Breakdown | None, scoring.NextRank | None]:
    """The per-criterion breakdown and the next-rank advice of one stored result."""
    if not result.breakdown.get("submitted"):
        return None, None
    rubric = round_rubric(round_)
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
    rubric = round_rubric(round_)
    on = round_.deadline.astimezone(TEHRAN).date()
    reviewers = _indicators(round_.id)
    earlier = _earlier_results(round_)
    version = round_.results_version + 1
    entitled = functools.cache(lambda rank_, available: allowed_services(rank_, available, round_.percents))
    rows, distribution, codes = [], defaultdict(Counter), verification_codes()
    for office_id, province, available, snapshot in _latest_snapshots(round_.id):
        rank_, score, breakdown = _assess(snapshot, reviewers.get(office_id), rubric, on)
        outcome = (score, rank_, entitled(rank_, available), _compact_json(breakdown))
        code = earlier.get((office_id, *outcome)) or next(codes)
        rows.append((round_.id, office_id, version, *outcome, code))
        distribution[province][rank_] += 1
    _insert_results(rows)
    _check_codes_are_the_offices_own(round_.id, version)
    round_.results_version = version
    audit("results-compute", target=f"round:{round_.id}", version=version, offices=len(rows))
    db.session.commit()
    return distribution


def _earlier_results(round_: Round) -> dict[tuple, str]:
    """(office id, score, rank, allowed services, breakdown JSON) → verification code, over the published and
    the last computed version; the published one wins where both hold the same result."""
    versions = [v for v in (round_.results_version, round_.published_version) if v]
    query = (sa.select(Result.office_id, Result.score, Result.rank, Result.allowed_services,
                       sa.cast(Result.breakdown, sa.Text), Result.verification_code)
             .where(Result.round_id == round_.id, Result.version.in_(versions))
             .order_by(Result.version == round_.published_version))  # False first: the published rows win
    return {tuple(row[:5]): row[5] for row in db.session.execute(query)} if versions else {}


def _check_codes_are_the_offices_own(round_id: int, version: int) -> None:
    """A code is only ever shared by versions of one office's result. New codes are random (59 bits), so a
    clash with another office's is all but impossible; if it ever happens, nothing is saved."""
    other = sa.orm.aliased(Result)
    clash = (sa.select(Result.id).join(other, sa.and_(other.verification_code == Result.verification_code,
                                                      other.office_id != Result.office_id))
             .where(Result.round_id == round_id, Result.version == version).limit(1))
    if db.session.scalar(clash) is not None:
        db.session.rollback()
        raise RankingError(_("Two offices drew the same verification code; please compute again."))


def _insert_results(rows: list[tuple]) -> None:
    """One executemany straight to the driver: SQLAlchemy's per-row parameter processing cost more than
    the scoring itself at 100,000 offices (the breakdown is already JSON text)."""
    if not rows:
        return
    columns = ("round_id", "office_id", "version", "score", "rank", "allowed_services", "breakdown",
               "verification_code")  # the order of compute()'s rows
    marker = "?" if db.engine.dialect.paramstyle == "qmark" else "%s"
    # Only constants are spliced in (table, column names, placeholders); the values travel as parameters.
    statement = f"INSERT INTO {Result.__tablename__} ({', '.join(columns)}) VALUES ({', '.join([marker] * len(columns))})"  # nosec B608
    db.session.connection().exec_driver_sql(statement, rows)


def publish(round_: Round) -> int:
    """Make the latest computed version visible to holders, atomically for the whole round.

    A result unchanged since an earlier publication (same verification code) keeps that publication's date."""
    if round_.results_version == 0:
        raise _refused("results-publish", round_, _("No results have been computed for this round yet."))
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
    round_.published_version = version
    round_.published_at = now
    round_.status = "published"
    audit("results-publish", target=f"round:{round_.id}", version=version)
    db.session.commit()
    return version


def _refused(action: str, round_: Round, message: str) -> RankingError:
    """A refused compute or publish is audited (who, where, why) before the error reaches the user."""
    audit(action, target=f"round:{round_.id}", outcome="refused", reason=message)
    db.session.commit()
    return RankingError(message)


def published_result(office_id: int, round_: Round) -> Result | None:
    if round_.published_version is None:
        return None
    return db.session.scalar(sa.select(Result).where(Result.round_id == round_.id, Result.office_id == office_id,
                                                     Result.version == round_.published_version))


@dataclass(frozen=True)
class Verification:
    """What a verification code certifies: its result, and the office's current one if it was replaced."""

    result: Result
    round: Round
    current: Result | None = None

    @property
    def replaced(self) -> bool:
        return self.result.version != self.round.published_version


def verify(code: str) -> Verification | None:
    """The newest published result carrying this code, or None if no published result ever carried it."""
    query = (sa.select(Result, Round).join(Round, Round.id == Result.round_id)
             .where(Result.verification_code == code, Result.published_at.is_not(None))
             .order_by(Result.version.desc()).limit(1))
    found = db.session.execute(query).first()
    if found is None:
        return None
    result, round_ = found
    if result.version == round_.published_version:
        return Verification(result, round_)
    return Verification(result, round_, current=published_result(result.office_id, round_))
