"""Agency bearer tokens: issued by an admin (shown once), stored as their SHA-256, revoked by an admin.

A token is 256 random bits (43 URL-safe characters); the database keeps its SHA-256 and its first characters as a
hint, so a stolen copy of the database holds no usable token. A fast hash is right here: the token is random, not a
password a person chose, so there is nothing to guess."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa

from .. import clock
from ..extensions import db
from ..models import AgencyToken
from ..models import audit

HINT_LENGTH = 6
USE_STAMPED_EVERY = timedelta(minutes=1)  # last_used_at is written at most once a minute per token


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(agency: str) -> tuple[AgencyToken, str]:
    """A new token for an agency: the stored row, and the token itself, which is never stored nor shown again."""
    token = secrets.token_urlsafe(32)
    row = AgencyToken(agency=agency, token_hash=digest(token), hint=token[:HINT_LENGTH])
    db.session.add(row)
    db.session.flush()
    audit("agency-token-issue", target=f"agency-token:{row.id}", agency=agency, hint=row.hint)
    db.session.commit()
    return row, token


def revoke(row: AgencyToken) -> bool:
    """Revoke a token at once (False if it was revoked already)."""
    if row.revoked_at is not None:
        return False
    row.revoked_at = clock.now()
    audit("agency-token-revoke", target=f"agency-token:{row.id}", agency=row.agency, hint=row.hint)
    db.session.commit()
    return True


@dataclass(frozen=True)
class Checked:
    """What a request's Authorization header proved: the token's row, or why not (missing, invalid, revoked)."""

    token: AgencyToken | None
    problem: str | None


def bearer(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header (the scheme in any case), else None."""
    if not header:
        return None
    scheme, _space, value = header.strip().partition(" ")
    value = value.strip()
    return value if scheme.lower() == "bearer" and value and " " not in value else None


def check(header: str | None) -> Checked:
    token = bearer(header)
    if header is None or not header.strip():
        return Checked(None, "missing")
    if token is None or len(token) > 200:
        return Checked(None, "invalid")
    found = db.session.scalar(sa.select(AgencyToken).where(AgencyToken.token_hash == digest(token)))
    # The lookup is by the hash; compare again in constant time so the answer's timing tells nothing either way.
    if found is None or not hmac.compare_digest(found.token_hash, digest(token)):
        return Checked(None, "invalid")
    if found.revoked_at is not None:
        return Checked(None, "revoked")
    return Checked(found, None)


def stamp_use(row: AgencyToken, now: datetime) -> None:
    """Record when the token was last used (at most once a minute, so a busy agency does not write on every call)."""
    if row.last_used_at is not None and now - row.last_used_at < USE_STAMPED_EVERY:
        return
    db.session.execute(sa.update(AgencyToken).where(AgencyToken.id == row.id).values(last_used_at=now))
    db.session.commit()
