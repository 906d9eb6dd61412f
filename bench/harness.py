"""What make bench and make load share: gunicorn servers, a cookie-keeping HTTP client, form data."""

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import psycopg
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
VERSION = re.compile(r'name="version" type="hidden" value="(\d+)"')

# Valid answers for every step (as a holder types them: Persian digits in places).
STEPS = {
    "license": {"office_phone": "۰۲۱-۸۸۷۷ ۶۶۵۵", "mobile": "0912 123 4567", "email": "office@example.ir",
                "activity_start-day": "۱", "activity_start-month": "٧", "activity_start-year": "1395"},
    "address": {"postal_code": "۱۴۳۵۶-۷۸۹۰۱", "address": "تهران، خیابان ولیعصر، کوچه ۱۰، پلاک ۲"},
    "premises": {"floor_area": "۸۰", "ownership": "leased", "counters": "4", "computers": "6", "printers": "2",
                 "scanners": "1", "card_readers": "2", "bandwidth_mbps": "۵۰", "accessible": "yes",
                 "waiting_seats": "12"},
    "staff": {"staff-0-national_code": "۰۰۱۲۳۴۵۶۷۹", "staff-0-full_name": "مریم احمدی", "staff-0-role": "manager",
              "staff-0-education": "bachelor", "staff-0-insured": "yes", "staff-0-insurance_number": "۱۲۳۴۵۶۷",
              "staff-0-disability": "no", "staff-0-start_date-day": "1", "staff-0-start_date-month": "7",
              "staff-0-start_date-year": "1395"},
    "hours": {"working_days": "6", "opens_at": "۰۷:۳۰", "closes_at": "15:30", "shifts": "1",
              "services_offered": "120", "monthly_transactions": "۲۵۰۰"},
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_url() -> str | None:
    """The local Redis if it answers (as in production, limits then hold across workers)."""
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return "redis://127.0.0.1:6379/0"
    except OSError:
        return None


@contextlib.contextmanager
def gunicorn(app: str, env: dict | None = None, workers: int = 2, cwd: Path = ROOT, extra=()):
    """gunicorn serving `app` on a free loopback port; yields (base URL, master process)."""
    port = free_port()
    command = [GUNICORN, "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
               *extra, app]
    process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **(env or {})}, start_new_session=True)
    try:
        _wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}", process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _wait_for_port(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)  # polling a server we started, not a test
    raise RuntimeError("gunicorn did not start in 60 s")


def workers_of(master: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def memory_kib(pid: int) -> dict[str, int]:
    """Resident memory now (VmRSS) and at its peak (VmHWM), in KiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _sep, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields


class Browser:
    """One user's cookie-keeping HTTP/1.1 client (no redirects followed, so each answer is checked)."""

    def __init__(self, base: str, timeout: float = 30):
        host, port = base.removeprefix("http://").split(":")
        self.host, self.port, self.timeout = host, int(port), timeout
        self.cookies: dict[str, str] = {}
        self.html = ""

    def request(self, method: str, path: str, form: dict | None = None, headers=None) -> tuple[int, str]:
        """(status, Location or body); keeps cookies, the last HTML for token() and the last headers."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        self.headers = response.headers
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value and "Max-Age=0" not in header and "Expires=Thu, 01 Jan 1970" not in header:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        if response.status in (301, 302, 303, 307):
            return response.status, response.headers.get("Location", "")
        self.html = text
        return response.status, text

    def get(self, path: str) -> tuple[int, str]:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> tuple[int, str]:
        """POST with the CSRF token of the last page fetched."""
        return self.request("POST", path, {"csrf_token": self.token(), **form})

    def token(self) -> str:
        found = TOKEN.search(self.html)
        if not found:
            raise RuntimeError("no CSRF token on the last page")
        return found[1]

    def version(self) -> str:
        found = VERSION.search(self.html)
        if not found:
            raise RuntimeError("no draft version on the last page")
        return found[1]

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def sign_in(self, username: str, password: str, code: str | None = None) -> str:
        status, _page = self.get("/login")
        status, location = self.post("/login", {"username": username, "password": password})
        if status != 302:
            raise RuntimeError(f"sign-in of {username} answered {status}")
        if code is not None:
            self.get("/account/two-factor")
            status, location = self.post("/account/two-factor", {"code": code})
            if status != 302:
                raise RuntimeError(f"second factor of {username} answered {status}")
        return location

    def save_step(self, office_id: int, slug: str, answers: dict) -> str:
        """GET the step, POST it with its version; return where the app sent us."""
        path = f"/declaration/{office_id}/{slug}"
        status, _page = self.get(path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        status, location = self.post(path, {**answers, "version": self.version()})
        if status != 303 or "restore=" in location or location.endswith(path):
            raise RuntimeError(f"saving {path} answered {status} {location}")
        return location


def create_database(url: str) -> None:
    """A benchmark's own PostgreSQL database (never the test suite's), created on first use."""
    parsed = make_url(url)
    admin = parsed.set(database="postgres", drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [parsed.database]).fetchone():
            connection.execute(f'CREATE DATABASE "{parsed.database}"')
