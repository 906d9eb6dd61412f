"""Browser tests: the app served on a loopback port, driven by Debian's Chromium."""

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import make_app
from wizard.extensions import db

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).parent / "shots"


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.exit("Chromium is missing: run 'make browser' (apt-get install chromium)", returncode=3)
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fa-IR", "timezone_id": "Asia/Tehran"}


class CurrentApp:
    """One server for the session that serves whichever app the running test made, and knows when
    no request is in flight (a test's app is disposed only then)."""

    app = None

    def __init__(self):
        self.idle = threading.Condition()
        self.in_flight = 0

    def __call__(self, environ, start_response):
        with self.idle:  # which app, and the count, under one lock: retire() must see every request its app got
            app = self.app
            self.in_flight += 1
        try:
            if app is None:  # a request the browser sent just before its test ended, read after
                start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
                return [b"the test has ended"]
            answer = app(environ, start_response)
            try:
                return [b"".join(answer)]  # read here, so the request ends before the count goes down
            finally:
                getattr(answer, "close", lambda: None)()
        finally:
            with self.idle:
                self.in_flight -= 1
                self.idle.notify_all()

    def wait_until_idle(self, seconds: float = 10) -> None:
        with self.idle:
            self.idle.wait_for(lambda: self.in_flight == 0, timeout=seconds)


_current = CurrentApp()


@pytest.fixture(scope="session")
def base_url():
    server = make_server("127.0.0.1", 0, _current, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture(autouse=True)
def live_app(tmp_path, base_url):
    """A fresh app with demo data behind base_url; the test may change its database.

    Its pool is disposed once no request is in flight: a request the browser left running when the test
    ended would otherwise return its connection to a disposed pool, to be garbage-collected open."""
    app = make_app(tmp_path)
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    _current.app = app
    yield app
    retire(app)


def retire(app) -> None:
    """Stop serving an app, and dispose of its pool once no request is in flight on it (a fixture serving another
    app than live_app calls it too). Disposed under a running request, or before a request still waiting in the
    socket's backlog reached it, a pool keeps that connection open, to be garbage-collected in a later test."""
    with _current.idle:
        if _current.app is app:
            _current.app = None
    _current.wait_until_idle()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under tests/e2e/shots/ (how we look at what users see)."""
    def take(name: str):
        SHOTS.mkdir(exist_ok=True)
        page.evaluate("document.fonts.ready.then(() => true)")
        page.screenshot(path=SHOTS / f"{name}.png", full_page=True)
    return take
