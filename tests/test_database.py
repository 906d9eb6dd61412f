"""SQLite's write lock: who takes it when (wizard/database.py)."""

import pytest
import sqlalchemy as sa

from tests.conftest import POSTGRES_URL
from wizard.extensions import db

pytestmark = [pytest.mark.usefixtures("in_the_window"),
              pytest.mark.skipif(bool(POSTGRES_URL), reason="SQLite's locking only")]
PREMISES = {"floor_area": "80", "ownership": "leased", "counters": "4", "computers": "6", "printers": "2",
            "scanners": "1", "card_readers": "2", "bandwidth_mbps": "50", "accessible": "yes", "waiting_seats": "12"}


@pytest.fixture
def statements(demo_data):
    """Every statement SQLite runs while the test runs, BEGINs included (its own trace, on fresh connections)."""
    seen = []
    with demo_data.app_context():
        engine = db.engine

    def record(statement):
        seen.append(statement.split(None, 2)[:2] if statement.startswith("BEGIN") else statement.split(None, 1)[:1])

    def trace(dbapi_connection, _record):
        dbapi_connection.set_trace_callback(record)

    engine.dispose()
    sa.event.listen(engine, "connect", trace)
    yield seen
    sa.event.remove(engine, "connect", trace)
    engine.dispose()


def transactions(seen) -> list[tuple[str, list[str]]]:
    """[(BEGIN or BEGIN IMMEDIATE, the verbs run in it)]."""
    found = []
    for words in seen:
        if words[0] == "BEGIN":
            found.append((" ".join(words), []))
        elif found and words[0] not in ("COMMIT", "ROLLBACK"):
            found[-1][1].append(words[0].upper())
    return found


def test_a_step_save_reads_without_the_write_lock_and_writes_with_it(holder_client, office, statements):
    page = holder_client.get(f"/declaration/{office}/premises")
    version = page.text.split('name="version" type="hidden" value="')[1].split('"')[0]
    statements.clear()
    response = holder_client.post(f"/declaration/{office}/premises", data={**PREMISES, "version": version})
    assert response.status_code == 303
    found = transactions(statements)
    assert found[0][0] == "BEGIN" and set(found[0][1]) == {"SELECT"}  # the user, office, round, draft, areas
    writing = [verbs for begin, verbs in found if "UPDATE" in verbs]
    assert len(writing) == 1
    assert [begin for begin, verbs in found if verbs == writing[0]] == ["BEGIN IMMEDIATE"]
    assert all(begin == "BEGIN IMMEDIATE" for begin, verbs in found if {"INSERT", "UPDATE", "DELETE"} & set(verbs))


def test_other_posts_take_the_write_lock_from_their_first_statement(holder_client, office, statements):
    response = holder_client.post(f"/declaration/{office}/correction", data={"field": "", "reason": ""})
    assert response.status_code == 200  # refused: the form shows its errors
    assert transactions(statements)[0][0] == "BEGIN IMMEDIATE"



@pytest.mark.parametrize("ending", ["commit", "rollback"])
def test_the_writers_queue_wakes_the_next_writer_only_after_sqlite_let_go(holder_client, office, ending, monkeypatch):
    """Released before the COMMIT or ROLLBACK, the queue would hand the next writer a database still
    locked, and its BEGIN IMMEDIATE would sleep in SQLite's busy handler."""
    import sqlite3

    from wizard.database import WriterQueue

    app = holder_client.application
    with app.app_context():
        path = db.engine.url.database
    free_at_release = []
    release = WriterQueue._release

    def checked_release(info):
        if info.get("writer_queue_held"):
            other = sqlite3.connect(path, timeout=0, isolation_level=None)
            try:
                other.execute("BEGIN IMMEDIATE")
                other.execute("ROLLBACK")
                free_at_release.append(True)
            except sqlite3.OperationalError:  # database is locked
                free_at_release.append(False)
            finally:
                other.close()
        release(info)

    monkeypatch.setattr(WriterQueue, "_release", staticmethod(checked_release))
    with app.test_request_context("/", method="POST"):
        db.session.execute(sa.text("UPDATE rounds SET title = title"))
        getattr(db.session, ending)()
    assert free_at_release == [True]
