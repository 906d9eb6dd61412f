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

import sqlalchemy as sa

from . import clock
from .extensions import db
from .models import Area
from .models import Office
from .models import Result
from .models import ReviewerIndicator
from .models import Round
from .models import Submission
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
    """Score every office as a new provisional version; return the rank count per province."""
    if round_.phase(clock.now()) not in ("closed", "published"):
        raise RankingError("the round is still open; results are computed after the deadline")
    rubric = round_rubric(round_)
    on = round_.deadline.astimezone(TEHRAN).date()
    reviewers = _indicators(round_.id)
    version = round_.results_version + 1
    entitled = functools.cache(lambda rank_, available: allowed_services(rank_, available, round_.percents))
    rows, distribution, codes = [], defaultdict(Counter), verification_codes()
    for office_id, province, available, snapshot in _latest_snapshots(round_.id):
        rank_, score, breakdown = _assess(snapshot, reviewers.get(office_id), rubric, on)
        rows.append((round_.id, office_id, version, score, rank_, entitled(rank_, available),
                     _compact_json(breakdown), next(codes)))
        distribution[province][rank_] += 1
    _insert_results(rows)
    round_.results_version = version
    audit("results-compute", target=f"round:{round_.id}", version=version, offices=len(rows))
    db.session.commit()
    return distribution


def _insert_results(rows: list[tuple]) -> None:
    """One executemany straight to the driver: SQLAlchemy's per-row parameter processing cost more than
    the scoring itself at 100,000 offices (the breakdown is already JSON text)."""
    if not rows:
        return
    columns = ("round_id", "office_id", "version", "score", "rank", "allowed_services", "breakdown",
               "verification_code")
    marker = "?" if db.engine.dialect.paramstyle == "qmark" else "%s"
    # Only constants are spliced in (table, column names, placeholders); the values travel as parameters.
    statement = f"INSERT INTO {Result.__tablename__} ({', '.join(columns)}) VALUES ({', '.join([marker] * len(columns))})"  # nosec B608
    db.session.connection().exec_driver_sql(statement, rows)


def publish(round_: Round) -> int:
    """Make the latest computed version visible to holders, atomically for the whole round."""
    if round_.results_version == 0:
        raise RankingError("no results have been computed for this round")
    now = clock.now()
    version = round_.results_version
    db.session.execute(sa.update(Result).where(Result.round_id == round_.id, Result.version == version)
                       .values(published_at=now))
    round_.published_version = version
    round_.published_at = now
    round_.status = "published"
    audit("results-publish", target=f"round:{round_.id}", version=version)
    db.session.commit()
    return version


def published_result(office_id: int, round_: Round) -> Result | None:
    if round_.published_version is None:
        return None
    return db.session.scalar(sa.select(Result).where(Result.round_id == round_.id, Result.office_id == office_id,
                                                     Result.version == round_.published_version))


def verify(code: str) -> Result | None:
    """A published result by its verification code (only the round's currently published version)."""
    query = (sa.select(Result).join(Round, Round.id == Result.round_id)
             .where(Result.verification_code == code, Result.version == Round.published_version))
    return db.session.scalar(query)
