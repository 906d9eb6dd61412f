"""The scoring phase (issue 21 item 3): regions and associations enter scores per office after the window, a region
confirms each one, entries stop at the scoring deadline, and compute waits for what is missing or unconfirmed."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from tests.conftest import AFTER
from tests.conftest import STAFF_PASSWORD
from tests.conftest import login
from tests.conftest import office_id
from tests.conftest import staff_client
from tests.conftest import totp_code
from tests.conftest import enroll_staff
from wizard.extensions import db
from wizard.models import AuditEvent
from wizard.models import Round
from wizard.models import Score
from wizard.models import User

pytestmark = pytest.mark.usefixtures("in_the_window")  # the demo round opens on the demo day

REGION_VALUES = {"value_inspection": "۸۵", "value_agency_opinion": "٤", "value_satisfaction": " 70 "}


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def text(response) -> str:
    return " ".join(page(response).get_text().split())


@pytest.fixture
def closed(frozen_clock, demo_data):
    """The window has closed and the scoring phase is open (staff sign in afterwards, so sessions are fresh)."""
    return frozen_clock(AFTER)


@pytest.fixture
def region(closed, demo_data):
    return staff_client(demo_data, "tehran")


@pytest.fixture
def association(closed, demo_data):
    return staff_client(demo_data, "tehran-association")


def stored(app, office=None) -> dict[tuple[int, str], tuple[int, str, str | None]]:
    with app.app_context():
        query = (sa.select(Score.office_id, Score.name, Score.value, Score.status, User.username)
                 .outerjoin(User, User.id == Score.entered_by))
        if office is not None:
            query = query.where(Score.office_id == office)
        return {(o, n): (v, s, u) for o, n, v, s, u in db.session.execute(query)}


def actions(app, prefix="scores-") -> list[AuditEvent]:
    with app.app_context():
        found = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action.startswith(prefix))
                                   .order_by(AuditEvent.id)).all()
        db.session.expunge_all()
        return found


def score_id(app, office, name) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Score.id).where(Score.office_id == office, Score.name == name))


# ---------------------------------------------------------------- entering


def test_scores_are_entered_only_after_the_window(demo_data, office):
    tehran = staff_client(demo_data, "tehran")
    shown = tehran.get(f"/admin/offices/{office}/scores")
    assert shown.status_code == 200
    assert "پس از پایان مهلت" in text(shown) and page(shown).select_one("input[name^=value_]") is None
    response = tehran.post(f"/admin/offices/{office}/scores", data=REGION_VALUES)
    assert response.status_code == 303
    assert "پس از پایان مهلت" in text(tehran.get(response.headers["Location"]))
    assert stored(demo_data) == {} and actions(demo_data) == []


def test_a_region_enters_its_scores_in_any_digits(demo_data, office, region):
    form = page(region.get(f"/admin/offices/{office}/scores"))
    assert {i["name"] for i in form.select("input[name^=value_]")} == set(REGION_VALUES)  # not the association's
    assert "نظر دستگاه‌های خدمت‌گیرنده" in form.get_text() and form.select_one("input[name=csrf_token]")
    assert "وزن‌های موقت" in form.get_text()  # the rubric's placeholder weights are said plainly
    response = region.post(f"/admin/offices/{office}/scores", data=REGION_VALUES)
    assert response.status_code == 303 and response.headers["Location"] == f"/admin/offices/{office}/scores"
    assert stored(demo_data, office) == {(office, "inspection"): (85, "entered", "tehran"),
                                         (office, "agency_opinion"): (4, "entered", "tehran"),
                                         (office, "satisfaction"): (70, "entered", "tehran")}
    [event] = actions(demo_data)
    assert (event.action, event.target, event.details["values"]) == (
        "scores-enter", f"office:{office}", {"inspection": 85, "agency_opinion": 4, "satisfaction": 70})
    again = page(region.get(f"/admin/offices/{office}/scores"))
    assert again.select_one("input[name=value_inspection]")["value"] == "۸۵"
    card = again.select_one("[data-countdown]")  # the scoring phase's; its script locks the form at the deadline
    assert card["data-phase"] == "open" and "مرحلهٔ امتیازدهی" in card.get_text()
    assert again.select_one("form[data-window-write] input[name=value_inspection]") is not None
    assert len(again.select("[data-countdown]")) == 1  # not the declaration's too
    assert "در انتظار تأیید" in again.get_text()
    region.post(f"/admin/offices/{office}/scores", data=REGION_VALUES)
    assert len(actions(demo_data)) == 1  # the same values again: nothing changed, nothing audited


@pytest.mark.parametrize(("name", "typed"), [("value_agency_opinion", "۶"), ("value_inspection", "-1"),
                                             ("value_satisfaction", "هفتاد"), ("value_inspection", "12.5"),
                                             ("value_satisfaction", "101")])
def test_a_bad_value_is_refused_with_its_reason(demo_data, office, region, name, typed):
    response = region.post(f"/admin/offices/{office}/scores", data={**REGION_VALUES, name: typed})
    assert response.status_code == 400
    shown = page(response)
    assert shown.select_one(".error-summary") is not None
    assert shown.select_one(f"input[name={name}]")["aria-invalid"] == "true"
    assert stored(demo_data) == {} and actions(demo_data) == []


def test_confirming_one_then_changing_it_returns_it_to_entered(demo_data, office, region):
    region.post(f"/admin/offices/{office}/scores", data=REGION_VALUES)
    inspection = score_id(demo_data, office, "inspection")
    response = region.post("/admin/scores/confirm", data={"score": str(inspection),
                                                           "back": f"/admin/offices/{office}/scores"})
    assert response.status_code == 303 and response.headers["Location"] == f"/admin/offices/{office}/scores"
    assert stored(demo_data, office)[(office, "inspection")] == (85, "confirmed", "tehran")
    assert stored(demo_data, office)[(office, "satisfaction")][1] == "entered"
    assert actions(demo_data)[-1].action == "scores-confirm"
    region.post(f"/admin/offices/{office}/scores", data={**REGION_VALUES, "value_inspection": "90"})
    assert stored(demo_data, office)[(office, "inspection")] == (90, "entered", "tehran")
    with demo_data.app_context():
        assert db.session.get(Score, inspection).confirmed_by is None
    region.post(f"/admin/offices/{office}/scores", data={**REGION_VALUES, "value_satisfaction": ""})
    assert (office, "satisfaction") not in stored(demo_data, office)  # emptied: withdrawn


def test_entries_stop_at_the_scoring_deadline_but_confirming_goes_on(demo_data, office, frozen_clock):
    with demo_data.app_context():
        ends = db.session.get(Round, 1).scoring_deadline
    frozen_clock(ends)
    region = staff_client(demo_data, "tehran")
    assert region.post(f"/admin/offices/{office}/scores", data=REGION_VALUES).status_code == 303
    assert len(stored(demo_data)) == 3  # the deadline's last second is inside
    frozen_clock(ends + timedelta(seconds=1))
    region = staff_client(demo_data, "tehran")
    response = region.post(f"/admin/offices/{office}/scores", data={**REGION_VALUES, "value_inspection": "10"})
    assert response.status_code == 303
    shown = text(region.get(response.headers["Location"]))
    assert "مرحلهٔ امتیازدهی" in shown and "به پایان رسید" in shown
    assert stored(demo_data, office)[(office, "inspection")][0] == 85
    region.post("/admin/scores/confirm", data={"score": str(score_id(demo_data, office, "inspection"))})
    assert stored(demo_data, office)[(office, "inspection")][1] == "confirmed"


# ---------------------------------------------------------------- the association


def test_an_association_lands_on_its_scores_and_sees_only_its_own(demo_data, closed):
    enroll_staff(demo_data, "tehran-association")
    client = demo_data.test_client()
    assert login(client, "tehran-association", STAFF_PASSWORD).status_code == 302
    response = client.post("/account/two-factor", data={"code": totp_code()})
    assert response.headers["Location"] == "/admin/scores"
    listed = page(client.get("/admin/scores"))
    names = {row.select("td")[1].get_text(strip=True) for row in listed.select("#scores tbody tr") if row.select("td")[1:]}
    assert names == {"امتیاز انجمن صنفی استان"}
    codes = {row.select_one("td").get_text(strip=True) for row in listed.select("#scores tbody tr")}
    assert codes and all(code.startswith("TEH") for code in codes)
    assert listed.select_one("button[name=score]") is None  # an association does not confirm
    nav = {a["href"] for a in listed.select("nav.admin-nav a")}
    assert "/admin/scores" in nav and "/admin/" not in nav and "/admin/offices" not in nav
    for address in ("/admin/", "/admin/offices", "/admin/violations"):
        assert client.get(address).status_code == 403
    header = page(client.get("/")).select_one("nav.account")
    assert header.select_one("a[href='/admin/scores']") and not header.select_one("a[href='/admin/']")


def test_an_association_enters_only_the_association_score(demo_data, office, association):
    form = page(association.get(f"/admin/offices/{office}/scores"))
    assert [i["name"] for i in form.select("input[name^=value_]")] == ["value_association"]
    response = association.post(f"/admin/offices/{office}/scores",
                                data={"value_association": "۹۲", "value_inspection": "5"})
    assert response.status_code == 303
    assert stored(demo_data, office) == {(office, "association"): (92, "entered", "tehran-association")}
    assert "کارشناس استان آن‌ها را تأیید می‌کند" in text(association.get(f"/admin/offices/{office}/scores"))
    inspection = association.post("/admin/scores/confirm", data={"score": str(score_id(demo_data, office,
                                                                                      "association"))})
    assert inspection.status_code == 403
    assert stored(demo_data, office)[(office, "association")][1] == "entered"


def test_a_rural_office_asks_the_association_for_nothing(demo_data, association):
    rural = office_id(demo_data, "P-1106")
    shown = association.get(f"/admin/offices/{rural}/scores")
    assert shown.status_code == 200 and page(shown).select_one("input[name^=value_]") is None
    association.post(f"/admin/offices/{rural}/scores", data={"value_association": "80"})
    assert stored(demo_data) == {}


def test_another_province_gets_404_and_holders_403(demo_data, office, closed, holder_client):
    others = {username: staff_client(demo_data, username) for username in ("isfahan", "isfahan-association")}
    for other in others.values():
        assert other.get(f"/admin/offices/{office}/scores").status_code == 404
        assert other.post(f"/admin/offices/{office}/scores", data={"value_association": "80"}).status_code == 404
        assert other.get("/admin/offices/99999/scores").status_code == 404
        assert "TEH21059" not in text(other.get("/admin/scores"))
    region = staff_client(demo_data, "tehran")
    region.post(f"/admin/offices/{office}/scores", data=REGION_VALUES)
    others["isfahan"].post("/admin/scores/confirm", data={"score": str(score_id(demo_data, office, "inspection"))})
    assert stored(demo_data, office)[(office, "inspection")][1] == "entered"  # not its province: untouched
    with holder_client.session_transaction() as session:
        session["seen"] = session["started"] = int(AFTER.timestamp())
    for address in (f"/admin/offices/{office}/scores", "/admin/scores", "/admin/scores/import"):
        assert holder_client.get(address).status_code == 403
    assert holder_client.post("/admin/scores/confirm", data={"score": "1"}).status_code == 403


# ---------------------------------------------------------------- the list


def test_the_list_filters_searches_and_confirms_all_shown(demo_data, office, region):
    totals = text(region.get("/admin/scores"))
    assert "ناموجود: ۲۲" in totals  # Tehran: 6 offices × 3 region scores + 4 pishkhan offices × 1
    region.post(f"/admin/offices/{office}/scores", data=REGION_VALUES)
    other = office_id(demo_data, "P-1073")
    region.post(f"/admin/offices/{other}/scores", data={"value_inspection": "60"})
    entered = page(region.get("/admin/scores?state=entered"))
    assert len(entered.select("#scores tbody button[name=score]")) == 4
    assert len(page(region.get("/admin/scores?state=missing")).select("#scores tbody tr")) == 22 - 4
    searched = page(region.get("/admin/scores?q=teh52461"))
    assert {row.select_one("td").get_text(strip=True) for row in searched.select("#scores tbody tr")} == {"TEH52461"}
    confirm_all = next(f for f in entered.select("form[action='/admin/scores/confirm']")
                       if f.select("input[type=hidden][name=score]"))
    ids = [i["value"] for i in confirm_all.select("input[name=score]")]
    response = region.post("/admin/scores/confirm", data={"score": ids, "back": "/admin/scores?state=entered"})
    assert response.headers["Location"] == "/admin/scores?state=entered"
    assert {status for _v, status, _u in stored(demo_data).values()} == {"confirmed"}
    assert "تأیید شد: ۴" in text(region.get("/admin/scores?state=entered"))
    assert page(region.get("/admin/scores?state=confirmed")).select("#scores tbody tr").__len__() == 4


def test_the_list_pages_with_the_windowed_macro(demo_data, closed, monkeypatch):
    from wizard.admin import paging

    monkeypatch.setattr(paging, "PAGE_SIZE", 5)
    admin = staff_client(demo_data, "admin")
    first = page(admin.get("/admin/scores"))
    assert len(first.select("#scores tbody tr")) == 5
    links = [a.get_text(strip=True) for a in first.select("nav.pagination a")]
    assert "۱" in links and "صفحهٔ بعد" in " ".join(links)
    last = page(admin.get("/admin/scores?page=999"))
    assert last.select_one("nav.pagination [aria-current=page]") is not None


# ---------------------------------------------------------------- compute waits


def require_association(app):
    with app.app_context():
        round_ = db.session.get(Round, 1)
        stored_rubric = dict(round_.rubric)
        stored_rubric["criteria"] = [dict(c, required=True) if c["key"] == "association" else c
                                     for c in stored_rubric["criteria"]]
        round_.rubric = stored_rubric
        db.session.commit()


def test_compute_refuses_while_scores_are_missing_or_unconfirmed_and_says_which(demo_data, office, closed):
    require_association(demo_data)
    runner = demo_data.test_cli_runner()
    refused = runner.invoke(args=["results", "compute"])
    assert refused.exit_code != 0
    assert "۹" in refused.output and "TEH21059: امتیاز انجمن صنفی استان" in refused.output.replace("۲۱۰۵۹", "21059")
    admin = staff_client(demo_data, "admin")
    confirm_page = page(admin.get("/admin/rounds/1/compute"))
    link = confirm_page.select_one("a[href='/admin/scores?state=missing']")
    assert link is not None and "۹" in confirm_page.get_text()
    response = admin.post("/admin/rounds/1/compute")
    assert "ناموجود یا تأییدنشده" in text(admin.get(response.headers["Location"]))
    # Entered but not confirmed still blocks, even a score that is not required.
    region = staff_client(demo_data, "tehran")
    region.post(f"/admin/offices/{office}/scores", data={"value_inspection": "70"})
    with demo_data.app_context():
        offices = db.session.execute(sa.text("SELECT id FROM offices WHERE office_type != 'rural_ict'")).scalars()
        for each in offices:
            db.session.add(Score(round_id=1, office_id=each, name="association", value=80, status="confirmed"))
        db.session.commit()
    still = runner.invoke(args=["results", "compute"])
    assert still.exit_code != 0 and "نمرهٔ بازرسی" in still.output and "inspection" not in still.output
    region.post("/admin/scores/confirm", data={"score": str(score_id(demo_data, office, "inspection"))})
    assert runner.invoke(args=["results", "compute"]).exit_code == 0
    assert [e.outcome for e in actions(demo_data, "results-compute")] == ["refused", "refused", "refused", "ok"]


# ---------------------------------------------------------------- Persian first


def test_the_scoring_pages_are_in_persian_digits_and_english_ones_in_latin(demo_data, office, region, association):
    from tests.test_persian_pages import PERSIAN_DIGIT
    from tests.test_persian_pages import assert_persian
    from tests.test_persian_pages import visible_text

    region.post(f"/admin/offices/{office}/scores", data=REGION_VALUES)
    association.post(f"/admin/offices/{office}/scores", data={"value_association": "77"})
    response = region.post("/admin/scores/import", data={"upload": (__import__("io").BytesIO(
        b"office_code,score,value\nTEH21059,inspection,500\n"), "s.csv")}, content_type="multipart/form-data")
    preview = response.headers["Location"]
    pages = ["/admin/scores", "/admin/scores?state=entered", "/admin/scores?state=missing&q=TEH2",
             f"/admin/offices/{office}/scores", "/admin/scores/import", preview]
    for address in pages:
        assert_persian(region, address)
    for address in ("/admin/scores", f"/admin/offices/{office}/scores", "/admin/scores/import"):
        assert_persian(association, address)
    region.post("/language", data={"lang": "en", "next": "/"})
    for address in pages:
        shown = page(region.get(address))
        assert shown.html["lang"] == "en"
        for data in shown.select("bdi:not(.code)"):
            data.decompose()  # user data (the round's Persian title) keeps its own script
        assert not [t for t in visible_text(str(shown).encode()) if PERSIAN_DIGIT.search(t)], address
    assert "Placeholder weights" in text(region.get("/admin/scores"))


def test_the_search_box_keeps_what_was_searched(demo_data, region):
    shown = page(region.get("/admin/scores?q=teh5&state=bogus"))
    assert shown.select_one("input#q")["value"] == "TEH5"
    assert shown.select_one("select#state option[selected]") is None  # an unknown state filters nothing
    assert {row.select_one("td").get_text(strip=True) for row in shown.select("#scores tbody tr")} == {"TEH52461"}
    assert "تأییدشده: ۰" in text(region.get("/admin/scores"))
