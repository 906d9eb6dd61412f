"""Fixtures: an app on a fresh database (SQLite file, or PostgreSQL when DATABASE_URL is set),
its client and CLI runner, a parsed-page helper, and control of the clock."""

import os
from datetime import datetime

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from werkzeug.security import generate_password_hash

from wizard import clock
from wizard import create_app
from wizard.extensions import db
from wizard.rules.deadline import TEHRAN

def _worker_database(url: str | None) -> str | None:
    """With pytest-xdist (make test runs two workers) each worker has a PostgreSQL database of its own:
    test_gw0, test_gw1, … beside the one DATABASE_URL names, made on first use."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    base = sa.engine.make_url(url)
    own = base.set(database=f"{base.database}_{worker}")
    engine = sa.create_engine(base.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": own.database})
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{own.database}"'))
    engine.dispose()
    return own.render_as_string(hide_password=False)


POSTGRES_URL = _worker_database(os.environ.get("DATABASE_URL"))
# Tests check what a password does, not what it costs: scrypt at 1/32 of the production work factor.
TEST_HASH = "scrypt:1024:8:1"
_schema_ready = False
_made = []  # every app a test built: their connection pools are closed after the test


@pytest.fixture(autouse=True)
def _close_connection_pools():
    yield
    still_out = 0
    while _made:
        app = _made.pop()
        with app.app_context():
            db.session.remove()
            still_out += db.engine.pool.checkedout()
            db.engine.dispose()
    # A connection still checked out when its test ends (a thread still working, a session never closed) would
    # go back to a disposed pool and be garbage-collected open in some later test: name the test that leaked it.
    assert still_out == 0, f"{still_out} database connections were still in use when the test ended"


def password_hash(password: str) -> str:
    return generate_password_hash(password, TEST_HASH)


def make_app(tmp_path, schema=True, **overrides):
    url = POSTGRES_URL or f"sqlite:///{tmp_path / 'test.sqlite'}"
    config = {"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": url,
              "WTF_CSRF_ENABLED": False, "PASSWORD_HASH_METHOD": TEST_HASH,
              "MESSAGES_QUEUE": "eager", "SMS_PROVIDER": "file", "SMS_FILE_PATH": str(tmp_path / "outbox.jsonl"),
              "UPLOAD_FOLDER": str(tmp_path / "uploads"), **overrides}  # never the real instance folder
    app = create_app(config)
    app.instance_path = str(tmp_path / "instance")  # files a test writes (activation codes, imports) are its own
    os.makedirs(app.instance_path, exist_ok=True)
    _made.append(app)
    if schema:
        with app.app_context():
            _fresh_schema()
    return app


def drop_schema():
    """Empty the database completely (migration tests start from nothing)."""
    global _schema_ready
    if db.engine.dialect.name == "postgresql":
        _drop_every_table()
    else:
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    _schema_ready = False


def _drop_every_table():
    """Whatever an earlier run (of older code, with other tables) left in the database goes too."""
    with db.engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))


def _fresh_schema():
    """SQLite: a new file per test. PostgreSQL: create once, then empty every table."""
    global _schema_ready
    if db.engine.dialect.name != "postgresql":
        db.create_all()
        return
    if not _schema_ready:
        _drop_every_table()
        db.create_all()
        _schema_ready = True
    tables = ", ".join(t.name for t in db.metadata.sorted_tables)
    with db.engine.begin() as connection:
        connection.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def csrf_app(tmp_path):
    """The app with CSRF protection on, as in production."""
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def frozen_clock():
    """Call with an aware datetime to fix wizard.clock.now(); released after the test."""
    def freeze(moment: datetime):
        clock.freeze(moment)
        return moment
    yield freeze
    clock.freeze(None)


@pytest.fixture
def get_page(client):
    """GET a page, check its status, return it parsed (Notify's page-level test pattern)."""
    def get(url, status=200):
        response = client.get(url)
        assert response.status_code == status, response.data[:500]
        return BeautifulSoup(response.data, "html.parser")
    return get


@pytest.fixture
def demo_data(app, runner):
    """The demo areas, offices, staff and open round."""
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    return app


@pytest.fixture
def in_the_window(frozen_clock):
    """The clock on the day the demo round opens (modules use it with pytest.mark.usefixtures)."""
    return frozen_clock(DEMO_DAY)


@pytest.fixture
def office(demo_data):
    """P-1038, the demo holder's first Tehran office (she has two)."""
    return office_id(demo_data, "P-1038")


DEMO_DAY = datetime(2026, 11, 28, 10, 0, tzinfo=TEHRAN)  # the demo round opens this day (tests freeze the clock)
HOLDER = "0012345679"  # مریم احمدی in the demo data: two offices in Tehran
OTHER_HOLDER = "0836388887"  # فاطمه حسینی, Isfahan
STAFF_PASSWORD = "demo-password-1404"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def login(client, username, password, **extra):
    return client.post("/login", data={"username": username, "password": password, **extra})


def totp_code(moment=None) -> str:
    import pyotp

    return pyotp.TOTP(TOTP_SECRET).at(moment or clock.now())


@pytest.fixture
def holder_client(demo_data):
    """A holder who has set a password and is signed in."""
    from wizard.models import User

    with demo_data.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == HOLDER))
        user.password_hash = password_hash("a sturdy passphrase")
        user.must_change_password = False
        db.session.commit()
    client = demo_data.test_client()
    assert login(client, HOLDER, "a sturdy passphrase").status_code == 302
    return client


def enroll_staff(app, username):
    """Give a demo staff account a known TOTP secret, as if enrolled."""
    from wizard.models import User

    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        user.totp_secret, user.totp_confirmed = TOTP_SECRET, True
        db.session.commit()


def staff_client(app, username):
    enroll_staff(app, username)
    client = app.test_client()
    assert login(client, username, STAFF_PASSWORD).status_code == 302
    response = client.post("/account/two-factor", data={"code": totp_code()})
    assert response.status_code == 302, response.data[:300]
    return client


@pytest.fixture
def admin(demo_data):
    """The regulator's demo admin, signed in with the second factor."""
    return staff_client(demo_data, "admin")


@pytest.fixture
def tehran(demo_data):
    """Tehran's demo region staff, signed in with the second factor."""
    return staff_client(demo_data, "tehran")


@pytest.fixture
def isfahan(demo_data):
    return staff_client(demo_data, "isfahan")


def office_id(app, license_number: str) -> int:
    """The id of a demo office by its license number (e.g. "P-1038", the demo holder's first office)."""
    from wizard.models import Office

    with app.app_context():
        return db.session.scalar(sa.select(Office.id).where(Office.license_number == license_number))


AFTER = datetime(2026, 12, 18, 9, 0, tzinfo=TEHRAN)  # the demo round's window has closed


@pytest.fixture
def submitted(holder_client, demo_data, frozen_clock):
    """The demo holder submitted her first office; then the window closed."""
    from tests.declaration.test_declaration import fill_all
    from tests.declaration.test_declaration import review_version
    from tests.declaration.test_declaration import url

    first = office_id(demo_data, "P-1038")
    fill_all(holder_client, demo_data, first)
    response = holder_client.post(url(first, "submit"),
                                  data={"declare": "y", "version": review_version(holder_client, first)})
    assert response.status_code == 303
    frozen_clock(AFTER)
    with holder_client.session_transaction() as session:
        session["seen"] = session["started"] = int(AFTER.timestamp())
    return first
