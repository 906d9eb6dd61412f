"""With CSRF protection on (as in production), every POST route refuses a missing or foreign token
and changes nothing."""

import re

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from tests.conftest import HOLDER
from tests.conftest import make_app
from wizard.extensions import db
from wizard.models import AuditEvent
from wizard.models import User


@pytest.fixture
def protected(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    yield app
    with app.app_context():
        db.engine.dispose()


def token_from(client, url="/login") -> str:
    page = BeautifulSoup(client.get(url).data, "html.parser")
    return page.select_one("input[name=csrf_token]")["value"]


def state(app):
    with app.app_context():
        users = db.session.execute(sa.select(User.username, User.password_hash, User.session_token)).all()
        audits = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
        return sorted(users), audits


def post_routes(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods:
            yield rule.build({name: 1 for name in rule.arguments})[1]


@pytest.mark.parametrize("token", ["missing", "foreign", "garbled"])
def test_every_post_route_refuses_a_bad_token_and_changes_nothing(protected, token):
    foreign = token_from(protected.test_client())
    client = protected.test_client()
    token_from(client)  # this client has a session of its own
    before = state(protected)
    urls = list(post_routes(protected))
    assert len(urls) >= 6
    for url in urls:
        data = {"username": HOLDER, "password": HOLDER, "lang": "en", "next": "/", "code": "123456"}
        if token != "missing":
            data["csrf_token"] = foreign if token == "foreign" else re.sub(r"\w", "x", foreign)
        response = client.post(url, data=data)
        assert response.status_code == 400, url
        assert "منقضی شده بود" in response.get_data(as_text=True)
    assert state(protected) == before


def test_a_real_token_signs_in(protected):
    client = protected.test_client()
    response = client.post("/login", data={"username": HOLDER, "password": HOLDER, "csrf_token": token_from(client)})
    assert response.status_code == 302


def test_the_token_outlives_a_long_pause(protected, monkeypatch):
    import itsdangerous.timed

    client = protected.test_client()
    token = token_from(client)
    later = itsdangerous.timed.time.time() + 3 * 3600  # a long lunch: tokens live as long as the session
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: later)
    assert client.post("/login", data={"username": HOLDER, "password": HOLDER, "csrf_token": token}).status_code == 302
