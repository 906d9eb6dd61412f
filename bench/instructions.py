"""make bench-instructions: CPU instructions per step GET and step POST, counted by valgrind's callgrind.

Wall-clock figures on a shared VM swing by a factor of two from hour to hour; instruction counts
do not (within about 1 %), so a change of a few percent can be seen and compared between commits.
The count is the same request replayed in process (no server, no network): callgrind's total for
N requests minus its total for none, divided by N. Hash seed fixed; the clock frozen five seconds
after sign-in, as in make bench, where every page falls within a minute of the idle stamp.

Usage: .venv/bin/python -m bench.instructions [--requests 60]
"""

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from datetime import UTC
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

from bench.harness import ROOT
from bench.harness import STEPS

OFFICES = 2_000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60, help="requests counted per page")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="wizard-instructions-"))
    state = prepare(work)
    print(f"{'page':<12}{'M instructions per request':>28}")
    for page in ("get", "post"):
        counts = [count(state, page, n) for n in (0, options.requests)]
        print(f"step {page.upper():<7}{(counts[1] - counts[0]) / options.requests / 1e6:>28.2f}", flush=True)


def prepare(work: Path) -> Path:
    """A seeded SQLite file and a signed-in holder's cookie, written to state.json."""
    from werkzeug.serving import make_server

    from bench import run
    from wizard import create_app

    url = f"sqlite:///{work / 'bench.sqlite'}"
    holders = run.prepare(create_app({"SQLALCHEMY_DATABASE_URI": url}), OFFICES)
    app = serving_app(url)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    username, office = holders[0]
    browser = run.sign_in_and_fill(f"http://127.0.0.1:{server.server_port}", username, office)
    server.shutdown()
    state = work / "state.json"
    state.write_text(json.dumps({"url": url, "cookie": browser.cookie_header(), "token": browser.token(),
                                 "office": office, "at": datetime.now(UTC).timestamp()}))
    return state


# Fixed, so the replaying processes read the state file's session cookie; it guards nothing real.
BENCH_KEY = "bench-instructions-7Qm2xV9kLp4ZtR8wN3cJ6hF1sD5gB0yE-aU7iO2nK9vX4qT"


def serving_app(url: str):
    """The app as gunicorn serves it in make bench (production settings, no migrations)."""
    from wizard import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "MIGRATIONS": False, "PRODUCTION": True,
                       "SECRET_KEY": BENCH_KEY, "PUBLIC_BASE_URL": "https://pishkhan.example.ir", "TRUSTED_HOSTS": []})


def count(state: Path, page: str, requests: int) -> int:
    """callgrind's instruction total for a process that replays `requests` of the page."""
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-m",
               "bench.instructions", "--replay", str(state), page, str(requests)]
    output = subprocess.run(command, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "0"}, capture_output=True,
                            text=True, check=True).stderr
    return int(re.search(r"Collected : (\d+)", output)[1])


def replay(state_path: str, page: str, requests: int) -> None:
    """Run inside callgrind: build the app, warm up, then replay the page `requests` times."""
    import gc

    from wizard import clock

    state = json.loads(Path(state_path).read_text())
    app = serving_app(state["url"])
    clock.freeze(datetime.fromtimestamp(state["at"] + 5, UTC))
    gc.freeze()  # as wsgi.py does
    path = f"/declaration/{state['office']}/premises"
    version = draft_version(app, state["office"])
    for sent in range(5 + requests):  # the first five warm up, in the N=0 run too
        body = None
        if page == "post":
            body = urlencode({"csrf_token": state["token"], **STEPS["premises"], "version": version + sent})
        status = call(app, path, state["cookie"], body)
        if status != ("303" if body else "200"):
            raise RuntimeError(f"{page} {path} answered {status}")


def draft_version(app, office: int) -> int:
    import sqlalchemy as sa

    from wizard.extensions import db
    from wizard.models import Declaration

    with app.app_context():
        return db.session.scalar(sa.select(Declaration.version).where(Declaration.office_id == office))


def call(app, path: str, cookie: str, body: str | None) -> str:
    """One raw WSGI request; the status code."""
    from werkzeug.test import EnvironBuilder

    data = body.encode() if body is not None else None
    environ = EnvironBuilder(method="POST" if body is not None else "GET", path=path, headers={"Cookie": cookie},
                             data=data, content_type="application/x-www-form-urlencoded" if data else None).get_environ()
    if data is not None:
        environ["wsgi.input"] = io.BytesIO(data)
    status = []
    answer = app.wsgi_app(environ, lambda code, _headers, _exc=None: status.append(code))
    b"".join(answer)
    answer.close()
    return status[0][:3]


if __name__ == "__main__":
    if sys.argv[1:2] == ["--replay"]:
        replay(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        main()
