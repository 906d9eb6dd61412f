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


def test_a_post_takes_the_write_lock_at_begin(holder_client, office, statements):
    page = holder_client.get(f"/declaration/{office}/premises")
    version = page.text.split('name="version" type="hidden" value="')[1].split('"')[0]
    statements.clear()
    response = holder_client.post(f"/declaration/{office}/premises", data={**PREMISES, "version": version})
    assert response.status_code == 303
    found = transactions(statements)
    assert [begin for begin, _verbs in found] == ["BEGIN IMMEDIATE"] * len(found)
    assert any("UPDATE" in verbs for _begin, verbs in found)


def test_a_refused_post_takes_it_too(holder_client, office, statements):
    response = holder_client.post(f"/declaration/{office}/correction", data={"field": "", "reason": ""})
    assert response.status_code == 200  # refused: the form shows its errors
    assert transactions(statements)[0][0] == "BEGIN IMMEDIATE"


def test_a_page_reads_without_it_and_its_first_write_starts_afresh(holder_client, office, statements):
    """The first visit in a round creates the draft: the INSERT is the first statement of its transaction,
    so it waits for the lock (busy timeout) instead of upgrading a read (SQLITE_BUSY_SNAPSHOT)."""
    with holder_client.application.app_context():
        db.session.execute(sa.text("DELETE FROM declarations"))
        db.session.commit()
    statements.clear()
    assert holder_client.get(f"/declaration/{office}/premises").status_code == 200
    found = transactions(statements)
    assert {begin for begin, _verbs in found} == {"BEGIN"}
    writing = [verbs for _begin, verbs in found if "INSERT" in verbs]
    assert writing and all(verbs[0] == "INSERT" for verbs in writing)
