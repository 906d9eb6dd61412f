"""Kept input (a save that could not be checked) belongs to the office's holder and the browser that
sent it: no one else can plant it, see it, or fill the database with it (issue 23, finding 1)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import HOLDER
from tests.conftest import OTHER_HOLDER
from tests.conftest import login
from tests.conftest import make_app
from tests.conftest import office_id
from tests.declaration.test_declaration import LICENSE
from tests.declaration.test_declaration import NOW
from tests.declaration.test_declaration import PREMISES
from tests.declaration.test_declaration import draft
from tests.declaration.test_declaration import page
from tests.declaration.test_declaration import save
from tests.declaration.test_declaration import url
from tests.declaration.test_declaration import version_of
from tests.conftest import password_hash
from wizard.declaration import drafts
from wizard.extensions import db
from wizard.models import KeptInput
from wizard.models import User

pytestmark = pytest.mark.usefixtures("in_the_window")

PASSWORD = "a sturdy passphrase"


def kept_rows(app) -> list[KeptInput]:
    with app.app_context():
        rows = db.session.scalars(sa.select(KeptInput)).all()
        db.session.expunge_all()
        return rows


def token(client, address="/login") -> str:
    return page(client.get(address)).select_one("input[name=csrf_token]")["value"]


@pytest.fixture
def protected(tmp_path):
    """Demo data with CSRF on, as in production; both demo holders have set a password."""
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        for user in db.session.scalars(sa.select(User).where(User.username.in_([HOLDER, OTHER_HOLDER]))):
            user.password_hash, user.must_change_password = password_hash(PASSWORD), False
        db.session.commit()
    return app


def signed_in(app, username=HOLDER):
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token(client)})
    assert response.status_code == 302
    return client


def test_an_anonymous_post_to_a_step_keeps_nothing(protected):
    office = office_id(protected, "P-1038")
    planted = {**PREMISES, "floor_area": "9999"}
    for client in (protected.test_client(), protected.test_client()):
        client.get("/login")  # the second has a session (and a token) of its own, but no user in it
        response = client.post(url(office, "premises"), data={**planted, "csrf_token": token(client)})
        assert response.status_code in (302, 400)
        response = client.post(url(office, "premises"), data=planted)  # no token at all
        assert response.status_code == 400
    assert kept_rows(protected) == []


def test_another_holders_session_keeps_nothing_in_my_office(protected):
    mine = office_id(protected, "P-1038")
    stranger = signed_in(protected, OTHER_HOLDER)
    response = stranger.post(url(mine, "premises"), data={**PREMISES, "csrf_token": "stale"})
    assert response.status_code == 400
    assert kept_rows(protected) == []


def test_a_stale_token_keeps_input_only_for_the_browser_that_sent_it(protected):
    office = office_id(protected, "P-1038")
    holder = signed_in(protected)
    response = holder.post(url(office, "premises"), data={**PREMISES, "version": "1", "csrf_token": "stale"})
    restore = response.headers["Location"]
    assert "restore=" in restore
    assert page(holder.get(restore)).select_one("input[name=floor_area]")["value"] == "۸۰"
    elsewhere = signed_in(protected)  # the same holder in another browser
    shown = page(elsewhere.get(restore))
    assert shown.select_one("input[name=floor_area]")["value"] == ""
    assert "منقضی شده بود" not in shown.get_text()


def test_kept_input_survives_the_sign_in_it_waits_for(holder_client, demo_data, office, frozen_clock):
    version = version_of(holder_client, office, "premises")
    frozen_clock(NOW + timedelta(minutes=31))
    response = holder_client.post(url(office, "premises"), data={**PREMISES, "version": version})
    restore = response.headers["Location"].split("next=", 1)[1]
    from urllib.parse import unquote

    login(holder_client, HOLDER, PASSWORD)
    assert page(holder_client.get(unquote(restore))).select_one("input[name=floor_area]")["value"] == "۸۰"
    other_browser = demo_data.test_client()
    login(other_browser, HOLDER, PASSWORD)
    assert page(other_browser.get(unquote(restore))).select_one("input[name=floor_area]")["value"] == ""


def test_extra_and_locked_fields_are_dropped_not_stored(holder_client, demo_data, office):
    sent = {**LICENSE, "holder_name": "someone else", "national_code": "1111111111", "invented": "x" * 1000,
            "csrf_token": "t", "action": "save"}
    save(holder_client, office, "license", sent)
    raw = draft(demo_data, office).data["license"]["raw"]
    assert set(raw) == set(LICENSE)


def test_dropped_fields_are_not_kept_either(holder_client, demo_data, office):
    version = version_of(holder_client, office, "license")
    save(holder_client, office, "license", LICENSE, version=version)
    save(holder_client, office, "license", {**LICENSE, "license_number": "P-9999", "padding": "x" * 100_000},
         version=version)  # a conflict: kept
    (kept,) = kept_rows(demo_data)
    assert set(kept.payload) == set(LICENSE)


def test_too_much_input_is_not_kept(holder_client, demo_data, office):
    version = version_of(holder_client, office, "license")
    save(holder_client, office, "license", LICENSE, version=version)
    huge = {**LICENSE, "email": "x" * (drafts.KEPT_MAX_BYTES + 1)}
    response = save(holder_client, office, "license", huge, version=version)
    assert response.status_code == 429
    assert kept_rows(demo_data) == []


def test_keeping_is_limited_per_hour_and_says_when_to_try_again(holder_client, demo_data, office, monkeypatch):
    monkeypatch.setattr(drafts, "KEPT_PER_HOUR", 3)
    version = version_of(holder_client, office, "license")
    save(holder_client, office, "license", LICENSE, version=version)
    answers = [save(holder_client, office, "license", LICENSE, version=version) for _ in range(4)]
    assert [a.status_code for a in answers] == [303, 303, 303, 429]
    assert len(kept_rows(demo_data)) == 3
    assert answers[-1].headers["Retry-After"].endswith("GMT")
    assert "(به وقت تهران)" in answers[-1].get_data(as_text=True)


def test_staff_rows_are_kept_whatever_their_numbers(holder_client, demo_data, office):
    """A browser may send rows 0 and 3 (a row removed by the page's script): both are stored as typed."""
    from tests.declaration.test_declaration import STAFF

    sent = {key.replace("staff-1-", "staff-3-"): value for key, value in STAFF.items()}
    save(holder_client, office, "staff", {**sent, "staff-123-full_name": "x", "staff-²-full_name": "y"})
    raw = draft(demo_data, office).data["staff"]["raw"]
    assert set(raw) == set(sent)
