"""One round end to end, as the regulator runs it (issue 21): the window, the scoring phase, compute, publish,
an objection, the new version, final approval, and the agencies' file and API; from the web and the CLI."""

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from tests.conftest import HOLDER
from tests.conftest import login
from tests.conftest import office_id
from tests.conftest import staff_client
from tests.results.test_objections import at
from tests.results.test_objections import file_objection
from tests.results.test_objections import objections
from wizard import clock
from wizard.api import tokens
from wizard.extensions import db
from wizard.models import Result
from wizard.models import Round
from wizard.models import Score

pytestmark = pytest.mark.usefixtures("in_the_window")  # the demo round opens on DEMO_DAY
PASSWORD = "a sturdy passphrase"  # the `submitted` fixture's holder


def cli(app, *args, ok=True):
    result = app.test_cli_runner().invoke(args=list(args))
    assert (result.exit_code == 0) is ok, result.output
    return result.output


def results(app, version) -> dict[int, Result]:
    with app.app_context():
        found = db.session.scalars(sa.select(Result).where(Result.version == version)).all()
        db.session.expunge_all()
        return {r.office_id: r for r in found}


def the_round(app) -> Round:
    with app.app_context():
        found = db.session.scalar(sa.select(Round))
        db.session.expunge(found)
        return found


def entered_scores(app) -> list[str]:
    with app.app_context():
        return [str(i) for i in db.session.scalars(sa.select(Score.id).where(Score.status == "entered"))]


def verify_title(client, code) -> str:
    page = BeautifulSoup(client.get(f"/verify/{code}").data, "html.parser")
    return page.select_one("#verified-title").get_text(strip=True)


def test_a_round_runs_from_the_window_to_the_agencies(submitted, demo_data, frozen_clock, tmp_path):
    app, declared = demo_data, submitted  # the holder submitted P-1038 in the window; it has closed since
    silent = office_id(app, "P-1073")  # her second office declared nothing, and has no earlier data

    # Scoring phase: the association's score, then the region's from a file on the command line.
    association = staff_client(app, "tehran-association")
    assert association.post(f"/admin/offices/{declared}/scores", data={"value_association": "۹۲"}).status_code == 303
    refusal = cli(app, "results", "compute", ok=False)
    assert "TEH21059" in refusal  # compute names the office whose score waits for confirmation
    scores = tmp_path / "scores.csv"
    scores.write_text("office_code,score,value\nTEH21059,inspection,۸۵\nTEH21059,satisfaction,70\n", encoding="utf-8")
    cli(app, "scores", "import", str(scores))
    assert "چیزی تغییر نکرد" in cli(app, "scores", "import", str(scores))  # idempotent
    assert len(entered_scores(app)) == 3
    region = staff_client(app, "tehran")
    confirmed = region.post("/admin/scores/confirm", data={"score": entered_scores(app)})
    assert confirmed.status_code == 303 and entered_scores(app) == []

    # Compute and publish version 1.
    cli(app, "results", "compute")
    cli(app, "results", "publish")
    first = results(app, 1)
    assert first[silent].rank == 3 and first[declared].rank in (1, 2, 3)
    assert first[declared].score > 0

    # The holder objects to one criterion; the region accepts it with the right value.
    holder = app.test_client()
    assert login(holder, HOLDER, PASSWORD).status_code == 302
    assert file_objection(holder, declared, "floor_area").status_code in (302, 303)
    [objection] = objections(app)
    assert objection.tracking_code and objection.status == "open"
    at(frozen_clock, clock.now() + timedelta(minutes=5), region)
    accepted = region.post(f"/admin/objections/{objection.id}/accept",
                           data={"accept-corrected_value": "۱۶۰", "accept-answer": "سند اجاره ۱۶۰ متر مربع را نشان می‌دهد."})
    assert accepted.status_code == 303, accepted.data[:400]
    assert "مهلت اعتراض هنوز باز است" in cli(app, "results", "approve", ok=False)
    assert the_round(app).approved_version is None

    # Version 2, published as a whole: the corrected office scores more; the unchanged one keeps its code.
    cli(app, "results", "compute")
    cli(app, "results", "publish")
    second = results(app, 2)
    assert second[declared].score > first[declared].score
    assert second[silent].verification_code == first[silent].verification_code
    assert second[declared].verification_code != first[declared].verification_code
    visitor = app.test_client()
    assert verify_title(visitor, first[silent].verification_code) == "این نتیجه معتبر است"
    assert "جای آن را گرفته" in verify_title(visitor, first[declared].verification_code)
    shown = holder.get(f"/results/{declared}").get_data(as_text=True)
    assert "پذیرفته" in shown  # the holder sees the objection's answer

    # The objection window closes; an admin approves version 2 as final on the command line.
    closes = the_round(app).objections_close_at
    frozen_clock(closes + timedelta(seconds=1))
    cli(app, "results", "approve")
    assert the_round(app).approved_version == 2
    cli(app, "results", "compute", ok=False)  # final: nothing is recomputed

    # The agencies: the file and the API give the approved ranks and allowed services, nothing personal.
    admin = staff_client(app, "admin")
    exported = admin.get("/admin/exports/agencies.csv")
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    by_code = {row[0]: row for row in rows[1:]}
    row = dict(zip(rows[0], by_code["TEH21059"], strict=True))
    assert (row["رتبه"], row["کد تأیید"]) == (str(second[declared].rank), second[declared].verification_code)
    assert row["خدمات مجاز"] == str(second[declared].allowed_services)
    assert HOLDER not in exported.get_data(as_text=True)
    with app.app_context():
        _row, token = tokens.issue("سازمان ثبت احوال")
        db.session.commit()
    api = app.test_client()
    answer = api.get(f"/api/v1/rounds/{the_round(app).id}/offices/TEH21059", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.data[:300]
    body = answer.get_json()
    assert body["rank"] == second[declared].rank and body["verification_code"] == second[declared].verification_code
