"""Engine settings that make SQLite behave under concurrent writers and PostgreSQL survive restarts."""

import sqlalchemy as sa
from flask import has_request_context
from flask import request

from .extensions import db


def configure(app):
    """Register the SQLite pragmas once the engine exists."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", _sqlite_pragmas)
            sa.event.listen(engine, "begin", _sqlite_begin_immediate)


def _sqlite_pragmas(dbapi_connection, _record):
    # WAL lets readers proceed during a write; the busy timeout waits instead of failing.
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, see below
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin_immediate(connection):
    # A deferred read→write upgrade under WAL can fail at once with SQLITE_BUSY_SNAPSHOT,
    # whatever the timeout; taking the write lock at BEGIN makes writers queue instead.
    # Page views (GET/HEAD) only read, so they keep the cheaper deferred BEGIN.
    reading = has_request_context() and request.method in ("GET", "HEAD")
    connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")
