"""The administration commands of SPEC §6, run as an operator would."""

from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.security import check_password_hash

from wizard.extensions import db
from wizard.models import AuditEvent
from wizard.models import Office
from wizard.models import Round
from wizard.models import User
from wizard.rules.deadline import TEHRAN

DEMO = Path(__file__).resolve().parents[1] / "wizard" / "demo"


def invoke(runner, *args):
    return runner.invoke(args=list(args))


def only_round(app) -> Round:
    with app.app_context():
        rounds = db.session.scalars(sa.select(Round)).all()
        assert len(rounds) == 1
        db.session.expunge_all()
        return rounds[0]


def test_import_commands_report_counts_and_are_idempotent(runner):
    first = invoke(runner, "import-areas", str(DEMO / "areas.csv"))
    assert first.exit_code == 0, first.output
    assert "ایجادشده ۹" in first.output and not any(c in "0123456789" for c in first.output)  # Persian digits
    assert invoke(runner, "import-offices", str(DEMO / "offices.csv")).exit_code == 0
    again = invoke(runner, "import-offices", str(DEMO / "offices.csv"))
    assert again.exit_code == 0
    assert "بدون تغییر ۱۳" in again.output


def test_a_bad_file_exits_non_zero_and_lists_every_row(runner, app, tmp_path):
    assert invoke(runner, "import-areas", str(DEMO / "areas.csv")).exit_code == 0
    bad = tmp_path / "offices.csv"
    bad.write_text(
        "national_code,full_name,mobile,license_number,office_code,office_type,province,area_code,license_date\n"
        "0012345679,مریم احمدی,09121234567,P-1,A1,pishkhan,تهران,TEH-001,1393/10/28\n"
        "0012345670,علی رضایی,09121234567,P-2,A2,pishkhan,تهران,TEH-001,1393/10/28\n"
        "1234567891,سارا,09121234567,P-3,A3,pishkhan,تهران,TEH-001,1404/12/30\n", encoding="utf-8")
    result = invoke(runner, "import-offices", str(bad))
    assert result.exit_code == 1
    assert "سطر ۳، ستون national_code: کد ملی معتبر نیست." in result.output
    assert "سطر ۴، ستون license_date" in result.output
    assert "هیچ چیز وارد نشد" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Office)) == 0


@pytest.mark.parametrize("codec", ["utf-16", "cp1256"])
def test_the_import_commands_read_excel_unicode_text_and_windows_1256(runner, app, tmp_path, codec):
    """The command line decodes files as the web import does (wizard/import_files.py)."""
    areas = (DEMO / "areas.csv").read_text(encoding="utf-8-sig")
    offices = (DEMO / "offices.csv").read_text(encoding="utf-8-sig")
    for name, text in (("areas.csv", areas), ("offices.csv", offices)):
        if codec == "utf-16":
            text = text.replace(",", "\t")  # Excel's "Unicode Text": tab-separated UTF-16
        else:
            text = text.replace("ی", "ي")  # Windows-1256 has only the Arabic yeh
        (tmp_path / name).write_bytes(text.encode(codec))
    assert invoke(runner, "import-areas", str(tmp_path / "areas.csv")).exit_code == 0
    result = invoke(runner, "import-offices", str(tmp_path / "offices.csv"))
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Office)) == 13
        assert db.session.scalar(sa.select(User.full_name).where(User.username == "0012345679")) == "مریم احمدی"


def test_an_import_file_in_no_known_encoding_is_named(runner, tmp_path):
    workbook = tmp_path / "offices.xlsx"
    workbook.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    result = invoke(runner, "import-offices", str(workbook))
    assert result.exit_code == 1
    assert "کارپوشهٔ اکسل (.xlsx)" in result.output and "CSV UTF-8 (Comma delimited) (*.csv)" in result.output


def test_round_open_uses_the_default_20_day_deadline_in_tehran(runner, app):
    result = invoke(runner, "round", "open", "--title", "مرحله دوم — نیمسال دوم ۱۳۹۹", "--opens", "۱۳۹۹/۰۷/۰۱")
    assert result.exit_code == 0, result.output
    opened = only_round(app)
    assert opened.opens_at == datetime(2020, 9, 22, 0, 0, tzinfo=TEHRAN)
    assert opened.deadline == datetime(2020, 10, 11, 23, 59, 59, tzinfo=TEHRAN)
    assert (opened.jalali_year, opened.half, opened.status) == (1399, 2, "open")
    assert opened.percents == [100, 70, 30]
    assert "۲۰ مهر ۱۳۹۹" in result.output


@pytest.mark.parametrize(("args", "deadline"), [
    (["--days", "10"], datetime(2020, 10, 1, 23, 59, 59, tzinfo=TEHRAN)),
    (["--deadline", "1399/07/25"], datetime(2020, 10, 16, 23, 59, 59, tzinfo=TEHRAN)),
    (["--deadline", "1399/07/25 14:30"], datetime(2020, 10, 16, 14, 30, tzinfo=TEHRAN)),
])
def test_round_open_with_explicit_window(runner, app, args, deadline):
    result = invoke(runner, "round", "open", "--title", "T", "--opens", "1399/07/01", *args)
    assert result.exit_code == 0, result.output
    assert only_round(app).deadline == deadline


@pytest.mark.parametrize("args", [
    ["--opens", "1399/13/01"],
    ["--opens", "1399/07/01", "--deadline", "1399/06/30"],
    ["--opens", "1399/07/01", "--days", "3", "--deadline", "1399/08/01"],
    ["--opens", "1399/07/01", "--deadline", "1399/07/20 25:00"],
])
def test_round_open_refuses_bad_input(runner, app, args):
    result = invoke(runner, "round", "open", "--title", "T", *args)
    assert result.exit_code != 0
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Round)) == 0


def test_only_one_round_is_open_at_a_time(runner):
    assert invoke(runner, "round", "open", "--title", "A", "--opens", "1399/07/01").exit_code == 0
    second = invoke(runner, "round", "open", "--title", "B", "--opens", "1399/08/01")
    assert second.exit_code == 1 and "باز است" in second.output


def test_round_extend_and_close_are_audited(runner, app):
    invoke(runner, "round", "open", "--title", "A", "--opens", "1399/07/01")
    assert invoke(runner, "round", "extend", "--deadline", "1399/07/10").exit_code == 1  # earlier: refused
    assert invoke(runner, "round", "extend", "--days", "5").exit_code == 0
    assert only_round(app).deadline == datetime(2020, 10, 16, 23, 59, 59, tzinfo=TEHRAN)
    assert invoke(runner, "round", "close").exit_code == 0
    assert only_round(app).status == "closed"
    assert invoke(runner, "round", "close").exit_code == 1
    with app.app_context():
        events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.outcome) for e in events] == [
        ("round-open", "ok"), ("round-extend", "refused"), ("round-extend", "ok"), ("round-close", "ok")]
    # The command line is "who" and "where": the address says CLI, the details the operating-system user.
    assert {e.address for e in events} == {"CLI"} and all(e.details["os_user"] for e in events)


def test_results_commands_are_audited_as_the_cli_and_its_user(runner, app, frozen_clock):
    invoke(runner, "round", "open", "--title", "A", "--opens", "1399/07/01")
    frozen_clock(datetime(2020, 9, 25, tzinfo=TEHRAN))
    assert invoke(runner, "results", "compute").exit_code == 1  # still open: refused, and audited
    frozen_clock(datetime(2020, 11, 1, tzinfo=TEHRAN))
    assert invoke(runner, "results", "compute").exit_code == 0
    assert invoke(runner, "results", "publish").exit_code == 0
    with app.app_context():
        events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action.like("results-%"))
                                    .order_by(AuditEvent.id)).all()
    assert [(e.action, e.outcome) for e in events] == [
        ("results-compute", "refused"), ("results-compute", "ok"), ("results-publish", "ok")]
    assert all(e.address == "CLI" and e.details["os_user"] and e.actor_id is None for e in events)


def test_create_user_prints_a_one_time_password(runner, app):
    result = invoke(runner, "create-user", "--role", "region", "--username", "gilan",
                    "--name", "کارشناس گيلان", "--province", "گيلان")
    assert result.exit_code == 0, result.output
    password = result.output.strip().rsplit(" ", 1)[-1]
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "gilan"))
        assert (user.role, user.province, user.full_name) == ("region", "گیلان", "کارشناس گیلان")
        assert user.must_change_password
        assert check_password_hash(user.password_hash, password)
        assert user.password_hash.startswith("scrypt:")


@pytest.mark.parametrize("args", [
    ["--role", "region", "--username", "x", "--name", "x"],
    ["--role", "region", "--username", "x", "--name", "x", "--province", "Atlantis"],
    ["--role", "admin", "--username", "x", "--name", "x", "--province", "تهران"],
    ["--role", "holder", "--username", "x", "--name", "x"],
])
def test_create_user_refuses_inconsistent_roles(runner, args):
    assert invoke(runner, "create-user", *args).exit_code != 0


def test_create_user_refuses_a_taken_username(runner):
    args = ["create-user", "--role", "admin", "--username", "boss", "--name", "x"]
    assert invoke(runner, *args).exit_code == 0
    assert invoke(runner, *args).exit_code == 1


def test_demo_loads_everything_and_can_run_twice(runner, app, frozen_clock):
    frozen_clock(datetime(2026, 11, 28, 12, 0, tzinfo=TEHRAN))
    assert invoke(runner, "demo").exit_code == 0
    assert invoke(runner, "demo").exit_code == 0
    with app.app_context():
        count = lambda model: db.session.scalar(sa.select(sa.func.count()).select_from(model))  # noqa: E731
        assert count(Office) == 13
        assert count(Round) == 1
        staff = set(db.session.scalars(sa.select(User.username).where(User.role != "holder")))
    assert staff == {"admin", "tehran", "isfahan", "tehran-association", "isfahan-association"}
    opened = only_round(app)
    assert opened.title == "دورهٔ ارزیابی نیمسال دوم ۱۴۰۵"
    assert opened.deadline == datetime(2026, 12, 17, 23, 59, 59, tzinfo=TEHRAN)


def test_round_open_takes_the_cycles_settings(runner, app):
    result = invoke(runner, "round", "open", "--title", "A", "--opens", "1399/07/01", "--no-carry-forward",
                    "--objection-days", "10")
    assert result.exit_code == 0, result.output
    round_ = only_round(app)
    assert (round_.carry_forward, round_.objection_days) == (False, 10)
    assert invoke(runner, "round", "open", "--title", "B", "--opens", "1400/01/01",
                  "--objection-days", "61").exit_code == 2  # refused before anything happens
