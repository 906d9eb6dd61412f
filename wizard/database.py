"""SQLite under concurrent writers, as SQLite documents it: WAL, a busy timeout, and BEGIN IMMEDIATE
for the transactions of a writing request. PostgreSQL needs none of this."""

import sqlalchemy as sa
from flask import has_request_context
from flask import request

from .extensions import db

READING_METHODS = ("GET", "HEAD")


def configure(app):
    """Register the SQLite pragmas and BEGIN once the engine exists."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", _sqlite_pragmas)
            sa.event.listen(engine, "begin", _sqlite_begin)


def _sqlite_pragmas(dbapi_connection, _record):
    # WAL lets readers proceed during a write; the busy timeout makes a writer wait for the lock.
    dbapi_connection.isolation_level = None  # the driver's own BEGIN off: _sqlite_begin issues it
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection):
    # Under WAL a transaction that read and then writes can fail at once (SQLITE_BUSY_SNAPSHOT), whatever
    # the busy timeout; one that takes the write lock at BEGIN waits for it instead. Pages (GET, HEAD)
    # read: a deferred BEGIN takes no lock. Outside a request (the CLI, tests) SQLite's default applies.
    writing = has_request_context() and request.method not in READING_METHODS
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def end_transaction() -> None:
    """End this request's transaction without expiring what it loaded; the next statement starts a new one.

    Before slow work (a password hash, ~0.1 s), so that other saves do not wait behind it for SQLite's
    write lock; and before a page's first write, so that the write starts a transaction of its own."""
    session = db.session()
    keep = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep
