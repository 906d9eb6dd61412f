"""Offices that declare nothing in a round are scored on their latest earlier submission (issue 21, item 1):
only an office with no data at all gets rank 3, and a round setting can restore "no submission, rank 3"."""

from datetime import datetime
from datetime import timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from tests.conftest import HOLDER
from tests.conftest import login
from tests.conftest import office_id
from tests.conftest import staff_client
from tests.declaration.test_declaration import review_version
from tests.declaration.test_declaration import url
from wizard.extensions import db
from wizard.models import Office
from wizard.models import Result
from wizard.models import Round
from wizard.rules.deadline import TEHRAN

pytestmark = pytest.mark.usefixtures("in_the_window")

SECOND_OPENS = datetime(2027, 5, 1, 9, 0, tzinfo=TEHRAN)  # 1406/02/11
THIRD_OPENS = datetime(2027, 11, 1, 9, 0, tzinfo=TEHRAN)  # 1406/08/10


def sign_in_again(client):
    client.get("/")  # the old session has ended by now (idle): this request clears it
    assert login(client, HOLDER, "a sturdy passphrase").status_code == 302


def run(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result


def results_of(app, round_id: int) -> dict[str, tuple]:
    """License number -> (rank, score, basis, basis round) of the round's latest computed version."""
    with app.app_context():
        round_ = db.session.get(Round, round_id)
        rows = db.session.execute(sa.select(Office.license_number, Result.rank, Result.score, Result.basis,
                                            Result.basis_round_id).join(Office, Office.id == Result.office_id)
                                  .where(Result.round_id == round_id, Result.version == round_.results_version))
        return {number: tuple(rest) for number, *rest in rows}


def next_round(app, frozen_clock, opens: datetime, *extra):
    frozen_clock(opens)
    with app.app_context():
        still_open = db.session.scalars(sa.select(Round.id).where(Round.status == "open")).all()
    for round_id in still_open:
        run(app, "round", "close", "--round", str(round_id))
    run(app, "round", "open", "--title", f"دور {opens.year}", "--opens", _jalali(opens), *extra)
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.max(Round.id)))


def _jalali(moment: datetime) -> str:
    from wizard.rules.jalali import format_date

    return format_date(moment, locale="en", style="short")


def close_and_compute(app, frozen_clock, round_id: int, closes: datetime):
    frozen_clock(closes)
    run(app, "round", "close", "--round", str(round_id))
    run(app, "results", "compute", "--round", str(round_id))
    run(app, "results", "publish", "--round", str(round_id))


def test_three_rounds_each_office_on_its_latest_data(submitted, demo_data, holder_client, frozen_clock):
    run(demo_data, "results", "compute")
    run(demo_data, "results", "publish")
    first = results_of(demo_data, 1)
    assert first["P-1038"][2] == "submission" and first["P-1073"] == (3, 0, "none", None)

    second = next_round(demo_data, frozen_clock, SECOND_OPENS)
    close_and_compute(demo_data, frozen_clock, second, SECOND_OPENS + timedelta(days=21))
    carried = results_of(demo_data, second)
    # P-1038 declared nothing in round 2: scored on its round-1 submission, with the same rank and score.
    assert carried["P-1038"] == (*first["P-1038"][:2], "earlier", 1)
    assert carried["P-1073"] == (3, 0, "none", None)  # no data at all, ever: rank 3

    third = next_round(demo_data, frozen_clock, THIRD_OPENS)
    office = office_id(demo_data, "P-1073")
    sign_in_again(holder_client)
    shown = BeautifulSoup(holder_client.get(url(office, "review")).data, "html.parser")
    assert shown.select_one("form[action$=submit]") is None  # P-1073 has nothing to carry: it must fill its steps
    close_and_compute(demo_data, frozen_clock, third, THIRD_OPENS + timedelta(days=21))
    latest = results_of(demo_data, third)
    assert latest["P-1038"][2:] == ("earlier", 1)  # still its round-1 data, two rounds on


def test_a_round_that_does_not_carry_forward_ranks_non_submitters_3(submitted, demo_data, frozen_clock):
    second = next_round(demo_data, frozen_clock, SECOND_OPENS)
    with demo_data.app_context():
        db.session.get(Round, second).carry_forward = False
        db.session.commit()
    close_and_compute(demo_data, frozen_clock, second, SECOND_OPENS + timedelta(days=21))
    assert results_of(demo_data, second)["P-1038"] == (3, 0, "none", None)


def test_a_submission_in_the_round_counts_over_the_earlier_one(submitted, demo_data, holder_client, frozen_clock):
    second = next_round(demo_data, frozen_clock, SECOND_OPENS)
    sign_in_again(holder_client)
    office = office_id(demo_data, "P-1038")
    response = holder_client.post(url(office, "submit"), data={"declare": "y",
                                                                "version": review_version(holder_client, office)})
    assert response.status_code == 303  # the new draft started from round 1's answers: confirmed as they are
    close_and_compute(demo_data, frozen_clock, second, SECOND_OPENS + timedelta(days=21))
    assert results_of(demo_data, second)["P-1038"][2:] == ("submission", second)


def test_the_results_page_and_export_say_what_the_office_was_scored_on(submitted, demo_data, holder_client,
                                                                        frozen_clock):
    run(demo_data, "results", "compute")
    run(demo_data, "results", "publish")
    second = next_round(demo_data, frozen_clock, SECOND_OPENS)
    close_and_compute(demo_data, frozen_clock, second, SECOND_OPENS + timedelta(days=21))
    sign_in_again(holder_client)
    page = BeautifulSoup(holder_client.get(f"/results/{submitted}").data, "html.parser")
    note = " ".join(page.select_one(".basis").get_text().split())
    assert "بر پایهٔ آخرین ارسال آن" in note and "دور ۲۰۲۷" not in note  # names the earlier round
    assert "نیمسال دوم ۱۴۰۵" in note
    export = staff_client(demo_data, "tehran").get("/admin/exports/results.csv").get_data(as_text=True)
    row = next(line for line in export.splitlines() if line.startswith("P-1038"))
    assert row.endswith("ارسال دورهٔ پیشین")

