"""Checking credentials: passwords, the initial credential, activation codes and the per-username lock."""

import functools
import hashlib
import hmac
import secrets
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite
from werkzeug.security import check_password_hash
from werkzeug.security import generate_password_hash

from .. import clock
from ..extensions import db
from ..models import LoginThrottle
from ..models import User
from ..rules import national_code
from ..rules.text import normalize_identifier

ACTIVATION_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I/L to misread on paper


def hash_password(password: str) -> str:
    return generate_password_hash(password, current_app.config["PASSWORD_HASH_METHOD"])


def _dummy_hash() -> str:
    """Verified against when there is no password to check, so every sign-in costs the same time as a real one."""
    return _dummy_hash_for(current_app.config["PASSWORD_HASH_METHOD"])


@functools.cache
def _dummy_hash_for(method: str) -> str:
    # Made on first use, not at import: each scrypt run maps 32 MiB, and most workers never need it.
    return generate_password_hash("not-a-real-password", method)


def normalize_username(typed: str) -> str:
    """A national code in any digit script, with spaces or dashes, becomes its 10 digits; names go lowercase.

    Typed or pasted text is made plain first (rules.text.normalize_identifier: invisible marks and control
    characters go, fullwidth letters become ASCII): no username has them, and PostgreSQL refuses a NUL in a query."""
    text = normalize_identifier(typed or "")
    try:
        return national_code.normalize(text)
    except ValueError:
        return text.lower()[:64]


def typed_username_key(username: str) -> str:
    """A keyed hash standing for a typed username in the audit log and the per-username lock: what was typed
    (perhaps a password in the wrong box) is never stored, yet staff can still look a username up."""
    key = current_app.config["SECRET_KEY"]
    key = key if isinstance(key, bytes) else key.encode()
    return hmac.new(key, b"username:" + username.encode(), hashlib.sha256).hexdigest()


def find_user(username: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.username == username))


def credential_matches(user: User | None, secret: str) -> bool:
    """The password, or before the first change the initial credential (national code or activation code).

    Every path runs one password hash, so the time taken does not tell an unknown user, one who still has
    the initial credential and one with a password apart."""
    if user is not None and user.password_hash is not None:
        return check_password_hash(user.password_hash, secret)
    check_password_hash(_dummy_hash(), secret)
    if user is None:
        return False
    if current_app.config["INITIAL_CREDENTIAL"] == "activation_code":
        return _activation_code_matches(user, secret)
    try:
        typed = national_code.normalize(secret)  # typed like the username: any digits, spaces, dashes
    except ValueError:
        return False
    # The national code works only while it is still the username (SPEC §2).
    return user.username == user.national_code and hmac.compare_digest(typed, user.national_code or "")


def _activation_code_matches(user: User, secret: str) -> bool:
    if user.activation_code_hash is None or user.activation_expires_at is None:
        return False
    if clock.now() > user.activation_expires_at:
        return False
    return hmac.compare_digest(_digest(secret), user.activation_code_hash)


def _digest(code: str) -> str:
    # Codes are random and long, so a keyed fast hash is enough (and keeps 20,000 imports fast).
    normalized = normalize_identifier(code).replace("-", "").replace(" ", "").upper()
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, normalized.encode(), hashlib.sha256).hexdigest()


def issue_activation_code(user: User) -> str:
    """A new single-use code for the holder (replacing any earlier one); returned once, stored hashed."""
    raw = "".join(secrets.choice(ACTIVATION_ALPHABET) for _ in range(12))
    user.activation_code_hash = _digest(raw)
    user.activation_expires_at = clock.now() + timedelta(days=current_app.config["ACTIVATION_CODE_DAYS"])
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


def consume_activation_code(user: User) -> None:
    user.activation_code_hash = None
    user.activation_expires_at = None


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.must_change_password = False
    consume_activation_code(user)
    user.end_all_sessions()


def reset_to_initial_credential(user: User) -> str | None:
    """Back to the initial credential with a forced change; returns a new activation code in that mode."""
    user.password_hash = None
    user.must_change_password = True
    user.end_all_sessions()
    if user.national_code:
        user.username = user.national_code
    if current_app.config["INITIAL_CREDENTIAL"] == "activation_code":
        return issue_activation_code(user)
    return None


def locked_until(username: str, now: datetime) -> datetime | None:
    """The end of the lock on this typed username, if one is running."""
    until = db.session.scalar(sa.select(LoginThrottle.locked_until)
                              .where(LoginThrottle.username == typed_username_key(username)))
    return until if until is not None and until > now else None


def record_failure(username: str, now: datetime) -> datetime | None:
    """Count a failure atomically; the LOGIN_LOCK_AFTER-th in a row locks the username. Returns the lock end."""
    config = current_app.config
    table = LoginThrottle.__table__
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    key = typed_username_key(username)
    # One upsert statement, so concurrent failures on the same username all count.
    count = (dialect.insert(table).values(username=key, failures=1)
             .on_conflict_do_update(index_elements=["username"], set_={"failures": table.c.failures + 1})
             .returning(table.c.failures))
    failures = db.session.execute(count).scalar_one()
    if failures < config["LOGIN_LOCK_AFTER"]:
        return None
    until = now + timedelta(minutes=config["LOGIN_LOCK_MINUTES"])
    db.session.execute(table.update().where(table.c.username == key).values(failures=0, locked_until=until))
    return until


def clear_failures(username: str) -> None:
    db.session.execute(sa.delete(LoginThrottle).where(LoginThrottle.username == typed_username_key(username)))
