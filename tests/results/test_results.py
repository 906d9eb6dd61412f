"""Ranking and results: compute after the deadline, atomic publication, results and verification pages."""

import itertools
import json
from collections import Counter

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from tests.conftest import OTHER_HOLDER
from tests.cycle import decided_violation
from tests.conftest import AFTER
from tests.conftest import login
from tests.conftest import office_id
from wizard import verification
from wizard.extensions import db
from wizard.models import AuditEvent
from wizard.models import Office
from wizard.models import Result
from wizard.models import Score
from wizard.models import Round



pytestmark = pytest.mark.usefixtures("in_the_window")  # the demo round is open


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def results(app, version=None):
    with app.app_context():
        query = sa.select(Result)
        if version:
            query = query.where(Result.version == version)
        found = db.session.scalars(query).all()
        db.session.expunge_all()
        return found


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def test_results_are_computed_only_after_the_deadline(demo_data, frozen_clock):
    result = run(demo_data, "results", "compute")
    assert result.exit_code == 1 and "دوره هنوز باز است" in result.output
    frozen_clock(AFTER)
    result = run(demo_data, "results", "compute")
    assert result.exit_code == 0, result.output
    assert "تهران: رتبهٔ ۱: ۰، رتبهٔ ۲: ۰، رتبهٔ ۳: ۶" in result.output
    assert len(results(demo_data)) == 13


def test_no_submission_means_rank_3_and_30_percent(demo_data, frozen_clock):
    frozen_clock(AFTER)
    run(demo_data, "results", "compute")
    with demo_data.app_context():
        rows = db.session.execute(sa.select(Result.rank, Result.allowed_services, Office.license_number)
                                  .join(Office, Office.id == Result.office_id)).all()
    by_license = {license_: (rank, allowed) for rank, allowed, license_ in rows}
    assert by_license["P-1038"] == (3, 123)  # ⌊30 × 412 / 100⌋
    assert by_license["P-1202"] == (3, 6)  # ⌊30 × 21 / 100⌋


def test_a_submission_is_scored_with_the_round_rubric(submitted, demo_data):
    run(demo_data, "results", "compute")
    mine = next(r for r in results(demo_data) if r.office_id == submitted)
    assert mine.breakdown["submitted"] and len(mine.breakdown["values"]) >= 10
    assert mine.rank in (1, 2)
    assert mine.allowed_services == {1: 412, 2: 288}[mine.rank]


def test_confirmed_scores_and_decided_violations_feed_the_score(submitted, demo_data):
    run(demo_data, "results", "compute")
    before = next(r for r in results(demo_data, 1) if r.office_id == submitted).score
    with demo_data.app_context():
        db.session.add(Score(round_id=1, office_id=submitted, name="inspection", value=90, status="confirmed"))
        db.session.add(Score(round_id=1, office_id=submitted, name="satisfaction", value=10, status="confirmed"))
        db.session.commit()
    run(demo_data, "results", "compute")
    after = next(r for r in results(demo_data, 2) if r.office_id == submitted)
    assert after.score == before + 5 and after.breakdown["values"]["inspection"] == 90  # 90: the top band, 5
    decided_violation(demo_data, submitted, 3)
    run(demo_data, "results", "compute")
    assert next(r for r in results(demo_data, 3) if r.office_id == submitted).score == after.score - 10


def test_results_stay_hidden_until_published(submitted, demo_data, holder_client):
    run(demo_data, "results", "compute")
    shown = page(holder_client.get(f"/results/{submitted}"))
    assert shown.select_one(".rank-value") is None
    assert "هنوز منتشر نشده است" in shown.get_text()
    code = results(demo_data)[0].verification_code
    assert "هیچ نتیجهٔ منتشرشده‌ای با این کد نیست" in demo_data.test_client().get(f"/verify/{code}").get_data(as_text=True)
    assert run(demo_data, "results", "publish").exit_code == 0
    assert page(holder_client.get(f"/results/{submitted}")).select_one(".rank-value") is not None


def test_every_results_and_verify_route_hides_unpublished_results(submitted, demo_data, holder_client):
    run(demo_data, "results", "compute")
    codes = [r.verification_code for r in results(demo_data)]
    for mine in (submitted, office_id(demo_data, "P-1073")):
        assert page(holder_client.get(f"/results/{mine}")).select_one(".rank-value") is None
    for code in codes:
        assert "این نتیجه معتبر است" not in demo_data.test_client().get(f"/verify/{code}").get_data(as_text=True)


def test_publication_is_atomic_and_a_recompute_is_a_new_version(submitted, demo_data, holder_client):
    run(demo_data, "results", "compute")
    run(demo_data, "results", "publish")
    first = next(r for r in results(demo_data, 1) if r.office_id == submitted)
    decided_violation(demo_data, submitted, 5)
    run(demo_data, "results", "compute")  # version 2: provisional, holders still see version 1
    shown = page(holder_client.get(f"/results/{submitted}"))
    assert shown.select_one(".verification-code").get_text() == first.verification_code
    run(demo_data, "results", "publish")
    second = next(r for r in results(demo_data, 2) if r.office_id == submitted)
    shown = page(holder_client.get(f"/results/{submitted}"))
    assert shown.select_one(".verification-code").get_text() == second.verification_code
    with demo_data.app_context():
        round_ = db.session.get(Round, 1)
        assert (round_.status, round_.published_version, round_.results_version) == ("published", 2, 2)
        visible = db.session.scalar(sa.select(sa.func.count()).select_from(Result)
                                    .where(Result.version == round_.published_version))
        assert visible == 13
        actions = [a for a in db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id))
                   if a.startswith("results-")]
    assert actions == ["results-compute", "results-publish", "results-compute", "results-publish"]


def test_publishing_before_computing_is_refused(demo_data, frozen_clock):
    frozen_clock(AFTER)
    assert run(demo_data, "results", "publish").exit_code == 1


def test_the_results_page(submitted, demo_data, holder_client):
    run(demo_data, "results", "compute")
    run(demo_data, "results", "publish")
    shown = page(holder_client.get(f"/results/{submitted}"))
    mine = next(r for r in results(demo_data) if r.office_id == submitted)
    assert shown.select_one(".rank-value").get_text() == "۰۱۲۳"[mine.rank]
    text = shown.get_text()
    assert "۴۱۲" in text  # the area's available services
    assert "۲۷ آذر ۱۴۰۵" in text  # Jalali publication date
    assert len(shown.select("table.breakdown tbody tr")) == len(mine.breakdown["values"])
    assert shown.select_one("svg.qr[role=img]") is not None
    assert f"/verify/{mine.verification_code}" in text
    assert shown.select_one("[data-print]") is not None
    if mine.rank == 2:
        assert "برای رسیدن به رتبهٔ ۱" in text


def test_the_verify_link_and_qr_use_the_public_address_whatever_the_host(submitted, demo_data, holder_client):
    demo_data.config.update(PUBLIC_BASE_URL="https://pishkhan.example.ir")
    run(demo_data, "results", "compute")
    run(demo_data, "results", "publish")
    cookie = f"session={holder_client.get_cookie('session').value}"  # the test client's jar is for localhost
    browser = demo_data.test_client(use_cookies=False)
    shown = page(browser.get(f"/results/{submitted}", headers={"Host": "evil.example", "Cookie": cookie}))
    assert shown.select_one("svg.qr") is not None
    code = next(r for r in results(demo_data) if r.office_id == submitted).verification_code
    assert f"https://pishkhan.example.ir/verify/{code}" in shown.get_text()
    assert "evil.example" not in str(shown)


def test_another_holders_results_are_404(submitted, demo_data, holder_client):
    assert holder_client.get(f"/results/{office_id(demo_data, 'P-1153')}").status_code == 404


def test_verification_shows_the_result_and_nothing_personal(submitted, demo_data):
    run(demo_data, "results", "compute")
    run(demo_data, "results", "publish")
    mine = next(r for r in results(demo_data) if r.office_id == submitted)
    body = demo_data.test_client().get(f"/verify/{mine.verification_code.lower()}").get_data(as_text=True)
    assert "این نتیجه معتبر است" in body
    assert '<bdi class="code" dir="ltr">TEH21059</bdi>' in body  # the office code, one script, marked as a code
    for personal in ("0012345679", "۰۰۱۲۳۴۵۶۷۹", "مریم احمدی", "09480606454", "۰۹۴۸۰۶۰۶۴۵۴"):
        assert personal not in body


@pytest.mark.parametrize(("code", "message"), [
    ("ABC", "کد تأیید دوازده حرف و رقم دارد"),
    ("<script>x</script>", "کد تأیید دوازده حرف و رقم دارد"),
    ("AAAAAAAAAAAA", "هیچ نتیجهٔ منتشرشده‌ای با این کد نیست"),
])
def test_unknown_or_malformed_codes_say_so(demo_data, code, message):
    body = demo_data.test_client().get("/verify", query_string={"code": code}).get_data(as_text=True)
    assert message in body and "<script>x" not in body


def test_verification_is_rate_limited(demo_data):
    client = demo_data.test_client()
    answers = [client.get("/verify/AAAAAAAAAAAA") for _ in range(31)]
    assert [a.status_code for a in answers[:30]] == [200] * 30 and answers[30].status_code == 429
    assert answers[30].headers["Retry-After"].endswith("GMT")
    assert "(به وقت تهران)" in answers[30].get_data(as_text=True)


def test_the_rubric_is_stored_with_the_round(demo_data):
    with demo_data.app_context():
        stored = db.session.get(Round, 1).rubric
    assert stored["thresholds"]["rank1_min"] > stored["thresholds"]["rank2_min"]
    assert json.dumps(stored)  # plain JSON: a later edit of the file cannot change it


def test_a_bad_rubric_file_is_refused_with_a_precise_message(app, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('version = "x"\ntitle_fa = "x"\ntitle_en = "x"\n[thresholds]\nrank1_min = 10\nrank2_min = 20\n'
                   '[[criteria]]\nkey = "area"\nlabel_fa = "م"\nlabel_en = "a"\nmeasure = "value"\n'
                   'source = "premises.floor_area"\nweight = 1\nbands = [{min = 0, points = 5}]\n', encoding="utf-8")
    result = run(app, "round", "open", "--title", "T", "--opens", "1405/09/07", "--rubric", str(bad))
    assert result.exit_code == 1 and "rank1_min" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Round)) == 0


def test_holders_see_their_offices_to_choose_from(holder_client):
    links = page(holder_client.get("/results/")).select(".office-list a")
    assert len(links) == 2


def test_a_holder_with_one_office_goes_straight_to_it(demo_data):
    client = demo_data.test_client()
    login(client, OTHER_HOLDER, OTHER_HOLDER)
    client.post("/account/password", data={"current_password": OTHER_HOLDER, "new_password": "باغ انار ۱۴۰۵",
                                           "confirm_password": "باغ انار ۱۴۰۵", "new_username": "fatemeh"})
    assert client.get("/results/").headers["Location"].startswith("/results/")


def test_verification_codes_are_twelve_evenly_drawn_symbols_and_never_repeat():
    codes = list(itertools.islice(verification.verification_codes(), 20_000))  # spans several draws from the OS
    assert all(len(code) == 12 and set(code) <= set(verification.CODE_ALPHABET) for code in codes)
    assert len(set(codes)) == len(codes)
    counts = Counter("".join(codes))
    expected = 12 * len(codes) / len(verification.CODE_ALPHABET)
    # Chi-square, 30 degrees of freedom: above 80 by chance about once in a million runs; a modulo
    # bias (bytes 248–255 kept) would put it in the thousands.
    assert sum((counts[symbol] - expected) ** 2 / expected for symbol in verification.CODE_ALPHABET) < 80


@pytest.mark.parametrize("render", [
    lambda code: f"\u200f{code}\u200e", lambda code: code.lower(), lambda code: f"{code[:4]}-{code[4:8]}-{code[8:]}",
    lambda code: f"{code[:4]}\u00a0{code[4:8]}\u00a0{code[8:]} ", lambda code: code.translate(str.maketrans("23456789",
                                                                                                   "۲۳۴۵۶۷۸۹")),
])
def test_a_verification_code_is_read_as_printed_or_pasted(demo_data, frozen_clock, render):
    """Issue 20, item 9: any digit script, invisible marks, spaces or dashes between groups, any case."""
    frozen_clock(AFTER)
    assert run(demo_data, "results", "compute").exit_code == 0
    assert run(demo_data, "results", "publish").exit_code == 0
    code = results(demo_data)[0].verification_code
    shown = page(demo_data.test_client().get("/verify", query_string={"code": render(code)}))
    assert shown.select_one("#verified-title") is not None
