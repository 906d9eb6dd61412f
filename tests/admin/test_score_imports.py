"""Score imports (issue 21 item 3): CSV (UTF-8, Windows-1256) and .xlsx, a preview listing every bad row, all or
nothing, idempotent and audited, on the web for regions and associations and as `flask scores import`."""

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from openpyxl import Workbook

from tests.admin.test_scores import actions
from tests.admin.test_scores import closed  # noqa: F401
from tests.admin.test_scores import stored
from tests.conftest import AFTER
from tests.conftest import office_id
from tests.conftest import staff_client
from wizard.extensions import db
from wizard.models import Round

pytestmark = pytest.mark.usefixtures("in_the_window")

GOOD = "office_code,score,value\nTEH21059,inspection,85\nteh52461,satisfaction,۷۰\nTEH21059,agency_opinion,4\n"
BAD = ("office_code,score,value\n"
       "TEH21059,inspection,850\n"        # 2: out of range
       "ISF37385,inspection,50\n"         # 3: another province
       "TEH21059,association,80\n"        # 4: the association's, not the region's
       "TEH21059,colour,3\n"              # 5: no such score
       "TEH52461,satisfaction,هفتاد\n"    # 6: not a number
       "TEH21059,inspection,85\n"         # 7: fine
       "TEH21059,inspection,86\n"         # 8: twice
       ",satisfaction,\n"                 # 9: empty code (an empty value alone is skipped)
       "TEH21059,satisfaction,\n")        # 10: skipped


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def upload(client, data: bytes, name="scores.csv"):
    return client.post("/admin/scores/import", data={"upload": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def preview(client, data: bytes, name="scores.csv") -> tuple[BeautifulSoup, str]:
    response = upload(client, data, name)
    assert response.status_code == 303, response.data[:500]
    return page(client.get(response.headers["Location"])), response.headers["Location"]


def problems(shown) -> list[tuple[str, str, str]]:
    rows = shown.select("table tbody tr")
    return [tuple(cell.get_text(strip=True) for cell in row.select("td")) for row in rows]


def workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def test_a_bad_file_lists_every_bad_row_and_writes_nothing(demo_data, closed):  # noqa: F811
    region = staff_client(demo_data, "tehran")
    shown, _where = preview(region, BAD.encode())
    listed = problems(shown)
    assert [(line, column) for line, column, _message in listed] == [
        ("۲", "value"), ("۳", "office_code"), ("۴", "score"), ("۵", "score"), ("۶", "value"), ("۸", "score"),
        ("۹", "office_code")]
    messages = [message for _line, _column, message in listed]
    assert "امتیاز باید از ۰ تا ۱۰۰ باشد." in messages[0]
    assert "ISF37385" in messages[1] and "در استان شما نیست" in messages[1]
    assert "با شما نیست" in messages[2] and "نخستین بار در سطر ۷" in messages[5]
    assert shown.select_one("button[value=apply]") is None and "هیچ‌چیز" not in shown.get_text()
    assert stored(demo_data) == {} and actions(demo_data) == []


def test_a_good_csv_previews_applies_once_and_is_idempotent(demo_data, closed):  # noqa: F811
    region = staff_client(demo_data, "tehran")
    shown, where = preview(region, GOOD.encode("utf-8-sig"))
    assert stored(demo_data) == {}  # a preview writes nothing
    changes = [row for row in problems(shown) if len(row) == 4]
    assert [(code, value) for _line, code, _name, value in changes] == [("TEH21059", "۸۵"), ("TEH52461", "۷۰"),
                                                                        ("TEH21059", "۴")]
    response = region.post(where, data={"action": "apply"})
    assert response.status_code == 303 and response.headers["Location"] == "/admin/scores?state=entered"
    first, other = office_id(demo_data, "P-1038"), office_id(demo_data, "P-1073")
    assert stored(demo_data) == {(first, "inspection"): (85, "entered", "tehran"),
                                 (other, "satisfaction"): (70, "entered", "tehran"),
                                 (first, "agency_opinion"): (4, "entered", "tehran")}
    [event] = actions(demo_data)
    assert (event.action, event.details["changed"], event.details["unchanged"]) == ("scores-import", 3, 0)
    assert region.post(where, data={"action": "apply"}).headers["Location"] == "/admin/scores/import"  # used
    again, where = preview(region, GOOD.encode())
    assert "تغییر نمی‌دهد" in again.get_text()
    region.post(where, data={"action": "apply"})
    assert "چیزی تغییر نکرد" in page(region.get("/admin/scores")).get_text()
    assert len(stored(demo_data)) == 3 and actions(demo_data)[-1].details["changed"] == 0


def test_windows_1256_csv_and_xlsx_are_read(demo_data, closed):  # noqa: F811
    region = staff_client(demo_data, "tehran")
    persian = ("نام دفتر;office_code;score;value\r\nدفتر تهران;TEH21059;inspection;90\r\n"
               "دفتر شمال;TEH90566;satisfaction;65\r\n")  # an extra column is ignored
    shown, where = preview(region, persian.encode("cp1256"))
    assert shown.select_one("button[value=apply]") is not None
    region.post(where, data={"action": "apply"})
    book = workbook([("office_code", "score", "value"), ("TEH21059", "inspection", 91),
                     ("TEH77997", "agency_opinion", 3.0)])
    shown, where = preview(region, book, "scores.xlsx")
    assert [row[1:] for row in problems(shown) if len(row) == 4] == [("TEH21059", "نمرهٔ بازرسی", "۹۱"),
                                                                       ("TEH77997", "نظر دستگاه‌های خدمت‌گیرنده", "۳")]
    region.post(where, data={"action": "apply"})
    first = office_id(demo_data, "P-1038")
    assert stored(demo_data)[(first, "inspection")][0] == 91
    assert len(stored(demo_data)) == 3
    damaged, _where = preview(region, book[:200], "broken.xlsx")
    assert "خوانده نمی‌شود" in damaged.get_text()


def test_a_changed_confirmed_score_returns_to_entered_on_import(demo_data, closed):  # noqa: F811
    region = staff_client(demo_data, "tehran")
    _shown, where = preview(region, GOOD.encode())
    region.post(where, data={"action": "apply"})
    with demo_data.app_context():
        ids = db.session.execute(sa.text("SELECT id FROM scores")).scalars().all()
    region.post("/admin/scores/confirm", data={"score": [str(i) for i in ids]})
    _shown, where = preview(region, GOOD.replace("85", "60").encode())
    region.post(where, data={"action": "apply"})
    states = {name: status for (_office, name), (_v, status, _u) in stored(demo_data).items()}
    assert states == {"inspection": "entered", "satisfaction": "confirmed", "agency_opinion": "confirmed"}


def test_an_association_imports_only_its_own_score(demo_data, closed):  # noqa: F811
    association = staff_client(demo_data, "tehran-association")
    text = "office_code,score,value\nTEH21059,association,88\nTEH42920,association,70\nTEH21059,inspection,5\n"
    shown, _where = preview(association, text.encode())
    assert [(line, column) for line, column, _m in problems(shown)] == [("۳", "score"), ("۴", "score")]
    assert "این نوع دفتر" in problems(shown)[0][2]  # a rural ICT office has no association score
    shown, where = preview(association, text.rsplit("TEH42920", 1)[0].encode())
    association.post(where, data={"action": "apply"})
    assert stored(demo_data) == {(office_id(demo_data, "P-1038"), "association"): (88, "entered",
                                                                                     "tehran-association")}


def test_imports_are_refused_before_the_window_ends_and_after_the_scoring_deadline(demo_data, frozen_clock):
    region = staff_client(demo_data, "tehran")
    response = upload(region, GOOD.encode())
    assert response.status_code == 303 and "پس از پایان مهلت" in page(region.get("/admin/scores/import")).get_text()
    with demo_data.app_context():
        ends = db.session.get(Round, 1).scoring_deadline
    frozen_clock(ends - timedelta(minutes=1))
    region = staff_client(demo_data, "tehran")
    _shown, where = preview(region, GOOD.encode())
    frozen_clock(ends + timedelta(seconds=1))
    response = region.post(where, data={"action": "apply"})
    assert "به پایان رسید" in page(region.get(response.headers["Location"])).get_text()
    assert stored(demo_data) == {}


def test_a_preview_is_its_uploaders_alone(demo_data, closed):  # noqa: F811
    region = staff_client(demo_data, "tehran")
    _shown, where = preview(region, GOOD.encode())
    admin = staff_client(demo_data, "admin")
    assert admin.get(where).headers["Location"] == "/admin/scores/import"
    assert admin.post(where, data={"action": "apply"}).headers["Location"] == "/admin/scores/import"
    assert region.post(where, data={"action": "cancel"}).headers["Location"] == "/admin/scores/import"
    assert region.post(where, data={"action": "apply"}).headers["Location"] == "/admin/scores/import"
    assert stored(demo_data) == {}
    assert region.post("/admin/scores/import", data={}, content_type="multipart/form-data").status_code == 400
    empty, _where = preview(region, b"")
    assert "فایل خالی است" in empty.get_text()


def test_the_whole_flow_with_csrf_protection_on(tmp_path, frozen_clock):
    from tests.conftest import DEMO_DAY
    from tests.conftest import STAFF_PASSWORD
    from tests.conftest import enroll_staff
    from tests.conftest import make_app
    from tests.conftest import totp_code
    from tests.test_csrf import token_from

    frozen_clock(DEMO_DAY)
    base = tmp_path / "protected"
    base.mkdir()
    app = make_app(base, WTF_CSRF_ENABLED=True)
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    frozen_clock(AFTER)
    enroll_staff(app, "tehran")
    client = app.test_client()
    client.post("/login", data={"username": "tehran", "password": STAFF_PASSWORD, "csrf_token": token_from(client)})
    second = {"code": totp_code(), "csrf_token": token_from(client, "/account/two-factor")}
    assert client.post("/account/two-factor", data=second).status_code == 302
    office = office_id(app, "P-1038")
    assert client.post(f"/admin/offices/{office}/scores", data={"value_inspection": "80"}).status_code == 400
    token = token_from(client, f"/admin/offices/{office}/scores")
    assert client.post(f"/admin/offices/{office}/scores",
                       data={"value_inspection": "80", "csrf_token": token}).status_code == 303
    assert client.post("/admin/scores/confirm", data={"score": "1"}).status_code == 400
    data = {"upload": (io.BytesIO(GOOD.encode()), "scores.csv"), "csrf_token": token_from(client, "/admin/scores/import")}
    response = client.post("/admin/scores/import", data=data, content_type="multipart/form-data")
    shown = page(client.get(response.headers["Location"]))
    form = shown.select_one("form button[value=apply]").find_parent("form")
    assert client.post(form["action"], data={"action": "apply"}).status_code == 400
    token = form.select_one("input[name=csrf_token]")["value"]
    assert client.post(form["action"], data={"action": "apply", "csrf_token": token}).status_code == 303
    listed = page(client.get("/admin/scores?state=entered"))
    ids = [b["value"] for b in listed.select("#scores button[name=score]")]
    token = listed.select_one("input[name=csrf_token]")["value"]
    assert client.post("/admin/scores/confirm", data={"score": ids, "csrf_token": token}).status_code == 303
    assert {status for _v, status, _u in stored(app).values()} == {"confirmed"}


# ---------------------------------------------------------------- the command line


def test_cli_import_dry_run_apply_and_again(demo_data, closed, tmp_path):  # noqa: F811
    path = tmp_path / "scores.csv"
    path.write_text(GOOD.replace("TEH52461", "ISF37385").replace("۷۰", "70"), encoding="cp1256")
    runner = demo_data.test_cli_runner()
    dry = runner.invoke(args=["scores", "import", str(path), "--dry-run"])
    assert dry.exit_code == 0 and "آزمایشی" in dry.output and stored(demo_data) == {}
    done = runner.invoke(args=["scores", "import", str(path), "--round", "1"])
    assert done.exit_code == 0 and "۳" in done.output
    assert len(stored(demo_data)) == 3 and {u for _v, _s, u in stored(demo_data).values()} == {None}
    [event] = actions(demo_data)
    assert event.address == "CLI" and event.details["changed"] == 3
    again = runner.invoke(args=["scores", "import", str(path)])
    assert again.exit_code == 0 and "چیزی تغییر نکرد" in again.output and len(actions(demo_data)) == 1


def test_cli_import_of_a_bad_file_reports_every_row_and_fails(demo_data, closed, tmp_path):  # noqa: F811
    path = tmp_path / "scores.xlsx"
    path.write_bytes(workbook([("office_code", "score", "value"), ("TEH21059", "inspection", 500),
                               ("NOPE1", "inspection", 5)]))
    result = demo_data.test_cli_runner().invoke(args=["scores", "import", str(path)])
    assert result.exit_code != 0
    assert "سطر ۲" in result.output and "سطر ۳" in result.output and "NOPE" in result.output
    assert stored(demo_data) == {}
    header = tmp_path / "header.csv"
    header.write_text("code,score,value\n", encoding="utf-8")
    result = demo_data.test_cli_runner().invoke(args=["scores", "import", str(header)])
    assert result.exit_code != 0 and "office_code" in result.output


def test_cli_import_is_refused_in_the_window(demo_data, tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text(GOOD, encoding="utf-8")
    result = demo_data.test_cli_runner().invoke(args=["scores", "import", str(path)])
    assert result.exit_code != 0 and "پس از پایان مهلت" in result.output and stored(demo_data) == {}


def test_round_open_sets_the_scoring_deadline(app, runner):
    from wizard.rules.deadline import TEHRAN

    result = runner.invoke(args=["round", "open", "--title", "T", "--opens", "1405/09/07", "--scoring-days", "5"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        round_ = db.session.get(Round, 1)
        local = round_.scoring_deadline.astimezone(TEHRAN)
        assert (local.date() - round_.deadline.astimezone(TEHRAN).date()).days == 5
        assert (local.hour, local.minute, local.second) == (23, 59, 59)
    assert runner.invoke(args=["round", "open", "--title", "T", "--opens", "1405/09/07",
                               "--scoring-days", "0"]).exit_code != 0


def test_create_user_association_needs_a_province(app, runner):
    bad = runner.invoke(args=["create-user", "--role", "association", "--username", "assoc", "--name", "انجمن"])
    assert bad.exit_code != 0
    good = runner.invoke(args=["create-user", "--role", "association", "--username", "assoc", "--name", "انجمن",
                               "--province", "گیلان"])
    assert good.exit_code == 0
    with app.app_context():
        from wizard.models import User

        user = db.session.scalar(sa.select(User).where(User.username == "assoc"))
        assert (user.role, user.province, user.must_change_password) == ("association", "گیلان", True)


def test_the_web_form_opens_a_round_with_a_scoring_phase(app, frozen_clock):
    from wizard.cli import add_staff

    with app.app_context():
        add_staff("admin", "boss", "ستاد", None, "demo-password-1404", must_change=False)
    admin = staff_client(app, "boss")
    response = admin.post("/admin/rounds", data={"title": "دوره", "opens": "1405/09/07", "days": "20",
                                                 "carry_forward": "y", "objection_days": "7", "scoring_days": "۳"})
    assert response.status_code == 303
    with app.app_context():
        round_ = db.session.get(Round, 1)
        assert (round_.scoring_deadline - round_.deadline).days == 3


def test_a_file_that_is_not_text_says_what_it_seems_to_be(demo_data, closed):  # noqa: F811
    region = staff_client(demo_data, "tehran")
    shown, _where = preview(region, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))  # an old Excel .xls
    assert ".xls" in shown.get_text() and "CSV UTF-8" in shown.get_text()
    assert shown.select_one("button[value=apply]") is None
    western, _where = preview(region, "office_code,score,value\nTEH21059,inspection,85 café\n".encode("cp1252"))
    assert problems(western) and stored(demo_data) == {}


def test_nothing_changes_once_the_results_are_final(demo_data, closed):  # noqa: F811
    region = staff_client(demo_data, "tehran")
    _shown, where = preview(region, GOOD.encode())
    region.post(where, data={"action": "apply"})
    with demo_data.app_context():
        db.session.get(Round, 1).approved_version = 1
        db.session.commit()
    office = office_id(demo_data, "P-1038")
    response = region.post(f"/admin/offices/{office}/scores", data={"value_inspection": "10"})
    assert "قطعی شده" in page(region.get(response.headers["Location"])).get_text()
    with demo_data.app_context():
        ids = db.session.execute(sa.text("SELECT id FROM scores")).scalars().all()
    response = region.post("/admin/scores/confirm", data={"score": [str(i) for i in ids]})
    assert "قطعی شده" in page(region.get(response.headers["Location"])).get_text()
    assert {(value, status) for value, status, _u in stored(demo_data).values()} == {(85, "entered"), (70, "entered"),
                                                                                    (4, "entered")}
    assert upload(region, GOOD.encode()).headers["Location"] == "/admin/scores/import"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_downloaded_list_of_missing_scores_comes_back_filled_in(demo_data, closed, fmt):  # noqa: F811
    from openpyxl import load_workbook

    association = staff_client(demo_data, "tehran-association")
    response = association.get(f"/admin/scores.{fmt}?state=missing")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    if fmt == "csv":
        lines = response.data.decode("utf-8-sig").splitlines()
        assert lines[0].startswith("office_code,score,value,")
        filled = "\n".join([lines[0], lines[1].replace("association,,", "association,۸۸,"), *lines[2:]]).encode()
    else:
        book = load_workbook(io.BytesIO(response.data))
        rows = [[cell.value for cell in row] for row in book.active.iter_rows()]
        assert rows[0][:3] == ["office_code", "score", "value"]
        rows[1][2] = 88
        filled = workbook(rows)
    codes = response.data.decode("utf-8-sig") if fmt == "csv" else str(rows)
    assert "TEH21059" in codes and "ISF" not in codes and "inspection" not in codes  # its own scores, province
    shown, where = preview(association, filled, f"missing.{fmt}")
    rows_shown = shown.get_text()
    assert "بدون مقدار" in rows_shown and shown.select_one("button[value=apply]") is not None
    association.post(where, data={"action": "apply"})
    assert list(stored(demo_data).values()) == [(88, "entered", "tehran-association")]
    assert [e.details["kind"] for e in actions(demo_data, "export")] == ["scores"]
