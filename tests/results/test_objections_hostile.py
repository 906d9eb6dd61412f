"""No input makes a 5xx on the violations and objections forms (issue 21, items 4 and 5): the hostile-input fuzzer
(tests/hostile.py) on the holder's objection and defence forms and on the staff's record, change, decision and
answer forms."""

import random
from datetime import timedelta

import sqlalchemy as sa

from tests.conftest import HOLDER
from tests.conftest import login
from tests.conftest import office_id
from tests.cycle import record
from tests.cycle import run
from tests.declaration.test_declaration import fill_all
from tests.declaration.test_declaration import review_version
from tests.declaration.test_declaration import url
from tests.test_hostile_forms import PASSWORD
from tests.test_hostile_forms import SEED
from tests.test_hostile_forms import STAFF_INPUTS
from tests.test_hostile_forms import fuzz_app  # noqa: F401 (a fixture)
from tests.test_hostile_forms import fuzz_pages
from tests.test_hostile_forms import staff_client
from tests.results.test_objections import file_objection
from wizard.extensions import db
from wizard.models import Objection
from wizard.models import Round
from wizard.models import Violation


def test_violation_and_objection_forms(fuzz_app, frozen_clock):  # noqa: F811
    rng = random.Random(SEED + 21)
    office = office_id(fuzz_app, "P-1038")
    holder = fuzz_app.test_client()
    assert login(holder, HOLDER, PASSWORD).status_code == 302
    fill_all(holder, fuzz_app, office)
    holder.post(url(office, "submit"), data={"declare": "y", "version": review_version(holder, office)})
    with fuzz_app.app_context():
        after = db.session.get(Round, 1).deadline + timedelta(hours=9)
    frozen_clock(after)
    for client in (holder,):
        with client.session_transaction() as session:
            session["seen"] = session["started"] = int(after.timestamp())
    run(fuzz_app, "results", "compute")
    run(fuzz_app, "results", "publish")
    region = staff_client(fuzz_app, "tehran")
    assert record(region, office, **{"occurred_on-day": "1", "occurred_on-month": "9"}).status_code == 303
    assert file_objection(holder, office).status_code == 303
    with fuzz_app.app_context():
        violation = db.session.scalar(sa.select(Violation.id))
        objection = db.session.scalar(sa.select(Objection.id))
    sent, findings = fuzz_pages(holder, [f"/results/{office}/objections/new", f"/results/{office}/violations/{violation}"],
                                STAFF_INPUTS, rng)
    more, found = fuzz_pages(region, [f"/admin/offices/{office}/violations/new", f"/admin/violations/{violation}/edit",
                                      "/admin/violations", "/admin/objections", f"/admin/objections/{objection}",
                                      f"/admin/violations/{violation}"], STAFF_INPUTS, rng)
    sent.update(more)
    findings += found
    print(f"hostile inputs per form (seed {SEED + 21}): {sent}")
    assert findings == [], "\n".join(findings[:20])
    assert len(sent) >= 6, sorted(sent)
