"""No input makes a 5xx (issue 23): seeded hostile input to every form a holder, the public and staff see.

The short run (CI, both databases) sends HOSTILE_HOLDER_INPUTS to each holder and public form and
HOSTILE_STAFF_INPUTS to each staff form; `make fuzz` (HOSTILE_FULL=1) sends 2,000 and 300. HOSTILE_SEED
picks another sequence. Forms are read off the pages, so a new form is fuzzed without being listed here."""

import os
import random
from datetime import timedelta

import pytest
import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from tests.conftest import DEMO_DAY
from tests.conftest import HOLDER
from tests.conftest import enroll_staff
from tests.conftest import login
from tests.conftest import make_app
from tests.conftest import office_id
from tests.conftest import totp_code
from tests.hostile import forms_on
from tests.hostile import fuzz
from tests.declaration.test_declaration import LICENSE
from tests.declaration.test_declaration import fill_all
from wizard.auth import credentials
from wizard.extensions import db
from wizard.models import Round
from wizard.models import User

FULL = os.environ.get("HOSTILE_FULL") == "1"
HOLDER_INPUTS = 2_000 if FULL else int(os.environ.get("HOSTILE_HOLDER_INPUTS", 60))
STAFF_INPUTS = 300 if FULL else int(os.environ.get("HOSTILE_STAFF_INPUTS", 25))
SEED = int(os.environ.get("HOSTILE_SEED", 2326))
PASSWORD = "a sturdy passphrase"
CHEAP_HASH = "pbkdf2:sha256:1000"  # the fuzz is about input, not hash cost: sign-ins check a cheap hash
# Pages whose forms end the session or only refresh it: sending them input would sign the fuzzing user out.
SKIPPED_ACTIONS = ("/logout", "/account/keep-alive")


@pytest.fixture
def fuzz_app(tmp_path, monkeypatch, frozen_clock):
    frozen_clock(DEMO_DAY)
    app = make_app(tmp_path, LOGIN_ADDRESS_LIMIT="1000000 per minute")
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    monkeypatch.setattr(credentials, "_dummy_hash", lambda: generate_password_hash("x", CHEAP_HASH))
    with app.app_context():
        for user in db.session.scalars(sa.select(User)):
            user.password_hash = generate_password_hash(PASSWORD, CHEAP_HASH)
            user.must_change_password = False
        db.session.commit()
    return app


def fuzz_pages(client, pages, inputs, rng) -> tuple[dict[str, int], list[str]]:
    """Every form on these pages, `inputs` hostile submissions each: (inputs per form, findings)."""
    sent, findings = {}, []
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, (page, response.status_code)
        for form in forms_on(response.data, page):
            if form.action.startswith(SKIPPED_ACTIONS) or form.name in sent:
                continue
            findings += fuzz(client, rng, form, inputs)
            sent[form.name] = inputs
    return sent, findings


def test_holder_and_public_forms(fuzz_app):
    rng = random.Random(SEED)
    office = office_id(fuzz_app, "P-1038")
    anonymous = fuzz_app.test_client()
    sent, findings = fuzz_pages(anonymous, ["/login", "/", "/verify"], HOLDER_INPUTS, rng)
    holder = fuzz_app.test_client()
    assert login(holder, HOLDER, PASSWORD).status_code == 302
    fill_all(holder, fuzz_app, office)  # so the review page shows its submit form
    steps = [f"/declaration/{office}/{slug}" for slug in ("license", "address", "premises", "staff", "hours")]
    pages = [f"/declaration/{office}/review", *steps, f"/declaration/{office}/correction", "/account/password"]
    more, found = fuzz_pages(holder, pages, HOLDER_INPUTS, rng)
    sent.update(more)
    findings += found
    print(f"hostile inputs per form (seed {SEED}): {sent}")
    assert findings == [], "\n".join(findings[:20])
    assert len(sent) >= 11, sorted(sent)  # sign-in, language, verify, five steps, submit, correction, password


def staff_client(app, username):
    enroll_staff(app, username)
    client = app.test_client()
    assert login(client, username, PASSWORD).status_code == 302
    assert client.post("/account/two-factor", data={"code": totp_code()}).status_code == 302
    return client


def test_staff_forms(fuzz_app, frozen_clock):
    rng = random.Random(SEED + 1)
    office = office_id(fuzz_app, "P-1038")
    holder = fuzz_app.test_client()
    login(holder, HOLDER, PASSWORD)
    holder.post(f"/declaration/{office}/correction",
                data={"field": "license_number", "requested_value": "P-2000", "reason": "the license says so"})
    holder.post(f"/declaration/{office}/license", data={**LICENSE, "version": "1"})
    with fuzz_app.app_context():
        round_id = db.session.scalar(sa.select(Round.id))
    admin, region = staff_client(fuzz_app, "admin"), staff_client(fuzz_app, "tehran")
    in_window = ["/admin/holders", "/admin/audit", "/admin/offices", "/admin/non-submitters", "/admin/imports",
                 "/admin/rounds", f"/admin/rounds/{round_id}/extend", "/admin/corrections/1",
                 f"/admin/offices/{office}"]
    sent, findings = fuzz_pages(admin, in_window, STAFF_INPUTS, rng)
    more, found = fuzz_pages(region, ["/admin/holders", "/admin/offices", "/admin/corrections/1"], STAFF_INPUTS, rng)
    findings += found
    with fuzz_app.app_context():
        deadline = db.session.get(Round, round_id).deadline
    frozen_clock(deadline + timedelta(days=1))
    for client in (admin, region):
        with client.session_transaction() as session:
            session["seen"] = session["started"] = int((deadline + timedelta(days=1)).timestamp())
    after = [f"/admin/offices/{office}/scores", "/admin/scores/import", f"/admin/rounds/{round_id}/compute",
             f"/admin/rounds/{round_id}/publish", f"/admin/rounds/{round_id}/close"]
    later, found = fuzz_pages(admin, after, STAFF_INPUTS, rng)
    sent.update(later)
    findings += found
    print(f"hostile inputs per form (seed {SEED + 1}): {sent}")
    assert findings == [], "\n".join(findings[:20])
    assert len(sent) >= 12, sorted(sent)
