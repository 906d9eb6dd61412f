"""Verification codes (SPEC §5): printed on every result, checked by anyone at /verify.

A code stays with an office's result for as long as the result is unchanged: a later version that scores the
office the same keeps its code, so a printed result goes on verifying; a replaced one says by what and when."""

import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import sqlalchemy as sa

from .extensions import db
from .models import Result
from .models import Round

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I/L to misread from paper

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


def earlier_codes(round_: Round) -> dict[tuple, str]:
    """(office id, score, rank, allowed services, breakdown JSON) → verification code, over the published and
    the last computed version; the published one wins where both hold the same result."""
    versions = [v for v in (round_.results_version, round_.published_version) if v]
    query = (sa.select(Result.office_id, Result.score, Result.rank, Result.allowed_services,
                       sa.cast(Result.breakdown, sa.Text), Result.verification_code)
             .where(Result.round_id == round_.id, Result.version.in_(versions))
             .order_by(Result.version == round_.published_version))  # False first: the published rows win
    return {tuple(row[:5]): row[5] for row in db.session.execute(query)} if versions else {}


def codes_are_the_offices_own(round_id: int, version: int) -> bool:
    """A code is only ever shared by versions of one office's result. New codes are random (59 bits), so a
    clash with another office's is all but impossible; the caller saves nothing if it ever happens."""
    other = sa.orm.aliased(Result)
    clash = (sa.select(Result.id).join(other, sa.and_(other.verification_code == Result.verification_code,
                                                      other.office_id != Result.office_id))
             .where(Result.round_id == round_id, Result.version == version).limit(1))
    return db.session.scalar(clash) is None


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
