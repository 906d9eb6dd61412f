"""Faults a holder meets in the wizard: two tabs, twenty submits at once, an expired session or
form, and the deadline second. Moved here from test_declaration.py; they use its helpers."""

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import HOLDER
from tests.conftest import login
from tests.declaration.test_declaration import DEADLINE
from tests.declaration.test_declaration import LICENSE
from tests.declaration.test_declaration import NOW
from tests.declaration.test_declaration import PREMISES
from tests.declaration.test_declaration import count
from tests.declaration.test_declaration import draft
from tests.declaration.test_declaration import fill_all
from tests.declaration.test_declaration import page
from tests.declaration.test_declaration import review_version
from tests.declaration.test_declaration import save
from tests.declaration.test_declaration import url
from tests.declaration.test_declaration import version_of
from wizard.extensions import db
from wizard.models import KeptInput
from wizard.models import Office
from wizard.models import Submission


pytestmark = pytest.mark.usefixtures("in_the_window")  # the demo round is open


def test_two_tabs_on_one_step_the_second_is_told_and_keeps_its_input(holder_client, demo_data, office):
    version = version_of(holder_client, office, "license")
    assert save(holder_client, office, "license", LICENSE, version=version).status_code == 303
    mine = {**LICENSE, "email": "second.tab@example.ir"}
    response = save(holder_client, office, "license", mine, version=version)
    assert "restore=" in response.headers["Location"]
    shown = page(holder_client.get(response.headers["Location"]))
    assert shown.select_one("input[name=email]")["value"] == "second.tab@example.ir"
    assert "در پنجره یا دستگاه دیگری تغییر کرده است" in shown.get_text()
    assert "office@example.ir" in shown.select_one(".saved-version").get_text()
    assert draft(demo_data, office).data["license"]["raw"]["email"] == ["Office@Example.ir"]
    again = save(holder_client, office, "license", mine, version=shown.select_one("input[name=version]")["value"])
    assert again.status_code == 303 and "restore" not in again.headers["Location"]
    assert draft(demo_data, office).data["license"]["raw"]["email"] == ["second.tab@example.ir"]


def test_two_tabs_on_different_steps_both_save(holder_client, demo_data, office):
    version = version_of(holder_client, office, "license")
    assert save(holder_client, office, "license", LICENSE, version=version).headers["Location"].endswith("address")
    assert save(holder_client, office, "premises", PREMISES, version=version).headers["Location"].endswith("staff")
    states = {slug: entry["state"] for slug, entry in draft(demo_data, office).data.items()}
    assert states == {"license": "complete", "premises": "complete"}


@pytest.mark.parametrize(("other_step", "saved"), [("license", True), ("premises", False)])
def test_a_save_that_lands_between_this_saves_read_and_write(holder_client, demo_data, office, other_step, saved):
    # This request read the draft (outside the write lock); another tab's save landed before its write.
    from wizard.declaration import drafts
    from wizard.models import Declaration
    from wizard.models import User

    version_of(holder_client, office, "premises")  # the draft exists
    answers = {"license": LICENSE, "premises": PREMISES}
    with demo_data.app_context():
        holder = db.session.scalar(sa.select(User).where(User.username == HOLDER))
        stale = db.session.scalar(sa.select(Declaration).where(Declaration.office_id == office))
        read_at = stale.version
        db.session.expunge(stale)
        db.session.rollback()
        other_tab = db.session.get(Declaration, stale.id)
        assert drafts.save_step(other_tab, other_step, read_at, answers[other_step], drafts.COMPLETE, holder).saved
        db.session.expunge(other_tab)
        result = drafts.save_step(stale, "premises", read_at, PREMISES, drafts.COMPLETE, holder)
        assert (result.saved, result.conflict) == (saved, not saved)
    final = draft(demo_data, office)
    assert final.version == read_at + (2 if saved else 1)
    assert set(final.data) == ({"license", "premises"} if saved else {other_step})


def test_a_stale_token_on_a_signed_in_holder_returns_to_the_step_with_the_input(tmp_path):
    from tests.conftest import make_app

    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    client = app.test_client()
    token = page(client.get("/login")).select_one("input[name=csrf_token]")["value"]
    client.post("/login", data={"username": HOLDER, "password": HOLDER, "csrf_token": token})
    token = page(client.get("/account/password")).select_one("input[name=csrf_token]")["value"]
    client.post("/account/password", data={"current_password": HOLDER, "new_password": "باغ انار ۱۴۰۵",
                                           "confirm_password": "باغ انار ۱۴۰۵", "new_username": "maryam",
                                           "csrf_token": token})
    with app.app_context():
        office_id = db.session.scalar(sa.select(Office.id).where(Office.license_number == "P-1038"))
    response = client.post(url(office_id, "premises"), data={**PREMISES, "version": "1", "csrf_token": "stale"})
    assert response.status_code == 303 and "restore=" in response.headers["Location"]
    shown = page(client.get(response.headers["Location"]))
    assert shown.select_one("input[name=floor_area]")["value"] == "۸۰"
    assert "نشست یا فرم شما منقضی شده بود" in shown.get_text()
    assert draft(app, office_id).data == {}


def test_an_expired_session_keeps_the_step_for_after_sign_in(holder_client, demo_data, office, frozen_clock):
    version = version_of(holder_client, office, "premises")
    frozen_clock(NOW + timedelta(minutes=31))
    response = holder_client.post(url(office, "premises"), data={**PREMISES, "version": version})
    assert response.headers["Location"].startswith("/login?next=")
    signed_in = login(holder_client, HOLDER, "a sturdy passphrase",
                      next=response.headers["Location"].split("next=", 1)[1].replace("%2F", "/").replace("%3F", "?")
                      .replace("%3D", "="))
    shown = page(holder_client.get(signed_in.headers["Location"]))
    assert shown.select_one("input[name=floor_area]")["value"] == "۸۰"
    assert "نشست یا فرم شما منقضی شده بود" in shown.get_text()


def test_twenty_concurrent_submits_make_one_submission(holder_client, demo_data, office):
    fill_all(holder_client, demo_data, office)
    version = review_version(holder_client, office)
    cookie = holder_client.get_cookie("session").value
    results, start = [], threading.Barrier(20)

    def submit_once():
        client = demo_data.test_client()
        client.set_cookie("session", cookie)
        start.wait()
        results.append(client.post(url(office, "submit"), data={"declare": "y", "version": version}))

    threads = [threading.Thread(target=submit_once) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {r.status_code for r in results} == {303}
    assert {r.headers["Location"] for r in results} == {url(office, "receipt/1")}
    assert count(demo_data, Submission) == 1


@pytest.mark.parametrize(("offset", "saved"), [(-1, True), (0, True), (1, False)])
def test_the_write_guard_at_the_deadline(holder_client, demo_data, office, frozen_clock, offset, saved):
    version = version_of(holder_client, office, "premises")
    holder_client.get("/")  # keep the session fresh across the jump
    frozen_clock(DEADLINE + timedelta(seconds=offset))
    with holder_client.session_transaction() as session:
        session["seen"] = session["started"] = int((DEADLINE + timedelta(seconds=offset)).timestamp())
    response = holder_client.post(url(office, "premises"), data={**PREMISES, "version": version})
    assert response.status_code == 303
    stored = draft(demo_data, office).data.get("premises")
    assert (stored is not None) is saved
    if not saved:
        shown = page(holder_client.get(response.headers["Location"]))
        assert shown.select_one("input[name=floor_area]")["value"] == "۸۰"  # kept, not lost
        assert shown.select_one("fieldset[disabled]") is not None
        assert shown.select_one("button[value=save].primary") is None
        with demo_data.app_context():
            assert db.session.scalar(sa.select(KeptInput.reason)) == "late"


def test_a_save_that_arrives_in_time_counts_even_if_it_commits_late(holder_client, demo_data, office,
                                                                    frozen_clock, monkeypatch):
    from wizard.declaration import drafts

    version = version_of(holder_client, office, "premises")
    arrival = DEADLINE - timedelta(milliseconds=500)
    frozen_clock(arrival)
    with holder_client.session_transaction() as session:
        session["seen"] = session["started"] = int(arrival.timestamp())
    original = drafts.save_step

    def slow_save(*args, **kwargs):
        frozen_clock(DEADLINE + timedelta(seconds=2))  # the commit happens after the deadline
        return original(*args, **kwargs)

    monkeypatch.setattr(drafts, "save_step", slow_save)
    holder_client.post(url(office, "premises"), data={**PREMISES, "version": version})
    assert draft(demo_data, office).data["premises"]["state"] == "complete"


def test_after_the_deadline_the_last_submission_stands(holder_client, demo_data, office, frozen_clock):
    fill_all(holder_client, demo_data, office)
    holder_client.post(url(office, "submit"), data={"declare": "y", "version": review_version(holder_client, office)})
    version = review_version(holder_client, office)
    frozen_clock(DEADLINE + timedelta(seconds=1))
    with holder_client.session_transaction() as session:
        session["seen"] = session["started"] = int(DEADLINE.timestamp())
    response = holder_client.post(url(office, "submit"), data={"declare": "y", "version": version})
    assert response.headers["Location"] == url(office)
    assert count(demo_data, Submission) == 1
