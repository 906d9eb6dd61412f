"""Engine settings that make SQLite behave under concurrent writers and PostgreSQL survive restarts."""

import fcntl
import os

import sqlalchemy as sa
from flask import current_app
from flask import g
from flask import has_request_context
from flask import request

from .extensions import db


def configure(app):
    """Register the SQLite pragmas and the writers' queue once the engine exists."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", _sqlite_pragmas)
            database = engine.url.database
            queue = WriterQueue(f"{database}.writers") if database and database != ":memory:" else None
            app.extensions["sqlite_writer_queue"] = queue
            sa.event.listen(engine, "begin", lambda connection: _sqlite_begin(connection, queue))
            if queue:
                sa.event.listen(engine, "commit", queue.commit_and_leave)
                sa.event.listen(engine, "rollback", queue.roll_back_and_leave)
                sa.event.listen(engine, "reset", queue.leave_on_reset)  # returned to the pool mid-write
                sa.event.listen(engine, "close", queue.forget)


def _sqlite_pragmas(dbapi_connection, _record):
    # WAL lets readers proceed during a write; the busy timeout waits instead of failing.
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, see below
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection, queue):
    # A deferred read→write upgrade under WAL can fail at once with SQLITE_BUSY_SNAPSHOT,
    # whatever the timeout; taking the write lock at BEGIN makes writers queue instead.
    # Page views (GET/HEAD) only read, and a reads_first view reads before it calls begin_writing():
    # those keep the deferred BEGIN, which takes no lock.
    reading = has_request_context() and not g.get("database_writing") and (
        request.method in ("GET", "HEAD") or getattr(current_app.view_functions.get(request.endpoint), "reads_first", False))
    if not reading and queue:
        queue.join(connection)
    # Straight to the driver: SQLAlchemy's statement machinery costs more than the BEGIN itself
    # (so no before_cursor_execute event sees it; tests watch SQLite's own trace instead).
    connection.connection.dbapi_connection.execute("BEGIN" if reading else "BEGIN IMMEDIATE")


class WriterQueue:
    """Writers wait for SQLite's single write lock in the kernel (flock on a file beside the database).

    SQLite's own busy handler polls with growing sleeps (1, 2, 5, 10… ms), so a writer often sleeps
    well past the moment the lock came free; flock wakes the next writer at once, across processes
    and threads alike (each connection has its own descriptor). The busy timeout stays as the backstop."""

    def __init__(self, path: str):
        self.path = path

    def join(self, connection) -> None:
        info = connection.connection.info  # lives as long as the DBAPI connection
        if "writer_queue_fd" not in info:
            info["writer_queue_fd"] = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(info["writer_queue_fd"], fcntl.LOCK_EX)
        info["writer_queue_held"] = True

    # SQLAlchemy sends its commit and rollback events before its COMMIT and ROLLBACK. Released there, the
    # queue would wake the next writer while SQLite still holds the write lock: its BEGIN IMMEDIATE would
    # find it busy and sleep in SQLite's busy handler, 1 ms at the least. So the transaction ends here
    # first, on the driver; SQLAlchemy's own COMMIT or ROLLBACK then finds none open and does nothing.
    def commit_and_leave(self, connection) -> None:
        self._end_and_release(connection, "commit")

    def roll_back_and_leave(self, connection) -> None:
        self._end_and_release(connection, "rollback")

    def _end_and_release(self, connection, how: str) -> None:
        info = connection.connection.info
        if info.get("writer_queue_held"):
            try:
                getattr(connection.connection.dbapi_connection, how)()
            finally:
                self._release(info)

    def leave_on_reset(self, _dbapi_connection, record, _state=None) -> None:
        self._release(record.info)

    def forget(self, _dbapi_connection, record) -> None:
        self._release(record.info)
        if "writer_queue_fd" in record.info:
            os.close(record.info.pop("writer_queue_fd"))

    @staticmethod
    def _release(info: dict) -> None:
        if info.pop("writer_queue_held", False):
            fcntl.flock(info["writer_queue_fd"], fcntl.LOCK_UN)


def reads_first(view):
    """Mark a view whose every write goes through begin_writing(): on SQLite its reads (the page's
    context, the form's checks) then run outside the single write lock, so saves queue only for
    their writes. A view that wrote without begin_writing() would upgrade a read transaction,
    which under WAL can fail at once: tests/test_database.py checks where the step save writes."""
    view.reads_first = True
    return view


def end_transaction() -> None:
    """End this request's transaction without expiring what it loaded; the next statement starts a new one.

    Before slow work (a password hash, ~0.1 s): on SQLite a POST's transaction holds the database's
    single write lock, and every other save would wait behind the hash."""
    session = db.session()
    keep = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


def begin_writing() -> None:
    """From here on this request writes (a save, or a GET whose first visit creates the draft): its
    transactions take the write lock at BEGIN. On SQLite the reading transaction ends first: under WAL
    a reader cannot always become a writer (SQLITE_BUSY_SNAPSHOT, at once, whatever the busy timeout)."""
    session = db.session()
    if session.in_transaction() and session.get_bind().dialect.name == "sqlite":
        _read_to_write(session.connection())
    else:
        end_transaction()
    g.database_writing = True


def _read_to_write(connection) -> None:
    # What end_transaction() and the next BEGIN would do, on the driver: the session keeps its transaction
    # and connection, where ending it would return the connection to the pool and take it back (a
    # twentieth of a step save). SQLAlchemy's COMMIT or ROLLBACK then ends the writing transaction.
    driver = connection.connection.dbapi_connection
    driver.execute("COMMIT")
    queue = current_app.extensions["sqlite_writer_queue"]
    if queue:
        queue.join(connection)
    driver.execute("BEGIN IMMEDIATE")
