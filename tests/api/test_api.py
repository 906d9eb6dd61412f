"""The agencies' JSON API (issue 21, item 6): tokens an admin issues (shown once) and revokes, every error path in
one JSON shape, only approved versions served, pagination and filters, and the per-token rate limit."""

import json

import pytest
import sqlalchemy as sa

from tests.agencies import after_objections
from tests.conftest import staff_client
from tests.results.test_objections import page
from tests.results.test_objections import text
from tests.test_persian_pages import assert_persian
from wizard.api import tokens
from wizard.extensions import db
from wizard.models import AgencyToken
from wizard.models import AuditEvent
from wizard.models import Result

pytestmark = pytest.mark.usefixtures("in_the_window")

PERSONAL = ("0012345679", "مریم احمدی", "09480606454", "national_code", "full_name", "mobile", "P-1038")


def issue(app, agency="سازمان تأمین اجتماعی") -> str:
    with app.app_context():
        _row, token = tokens.issue(agency)
        return token


def call(client, address, token=None, **headers):
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return client.get(address, headers=headers)


def error_of(response, status, code):
    assert response.status_code == status, response.data[:300]
    assert response.content_type == "application/json"
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message"}
    assert body["error"]["status"] == status and body["error"]["code"] == code, body
    return body


@pytest.fixture
def api(approved, demo_data):
    """A client with no session, and a token of an agency."""
    return demo_data.test_client(), issue(demo_data)


# Tokens on /admin/agencies ---------------------------------------------------------------------------------------

def test_an_admin_issues_a_token_shown_once_and_revokes_it(approved, demo_data, frozen_clock):
    admin = staff_client(demo_data, "admin")
    listed = page(admin.get("/admin/agencies"))
    assert "هنوز توکنی صادر نشده است" in listed.get_text()
    assert listed.select_one("a[href='/api/v1/openapi.json']") is not None
    assert_persian(admin, "/admin/agencies")

    issued = admin.post("/admin/agencies", data={"agency": "سازمان ثبت احوال"})
    assert issued.status_code == 201
    assert issued.headers["Cache-Control"] == "no-store"
    token = page(issued).select_one("#new-token")["value"]
    assert len(token) == 43 and token not in issued.headers.get("Set-Cookie", "")  # never in a cookie
    with demo_data.app_context():
        row = db.session.scalar(sa.select(AgencyToken))
        assert row.agency == "سازمان ثبت احوال" and row.token_hash == tokens.digest(token) and token.startswith(row.hint)
        assert token not in json.dumps([str(getattr(row, column.name)) for column in AgencyToken.__table__.columns])
        token_id = row.id
    again = page(admin.get("/admin/agencies"))
    assert again.select_one("#new-token") is None and token not in str(again)  # shown exactly once
    assert "سازمان ثبت احوال" in again.get_text() and "هرگز" in again.get_text()

    client = demo_data.test_client()
    assert call(client, "/api/v1/rounds", token).status_code == 200
    assert "هرگز" not in page(admin.get("/admin/agencies")).get_text()  # last used: now

    revoked = admin.post(f"/admin/agencies/{token_id}/revoke")
    assert revoked.status_code == 303 and revoked.headers["Location"] == "/admin/agencies"
    assert "باطل شد" in text(admin.get("/admin/agencies"))
    error_of(call(client, "/api/v1/rounds", token), 401, "revoked_token")
    assert admin.post(f"/admin/agencies/{token_id}/revoke").status_code == 303
    assert "پیش‌تر باطل شده" in text(admin.get("/admin/agencies"))
    assert admin.post("/admin/agencies/999/revoke").status_code == 404
    with demo_data.app_context():
        events = db.session.execute(sa.select(AuditEvent.action, AuditEvent.target, AuditEvent.details)
                                    .where(AuditEvent.action.like("agency-token-%")).order_by(AuditEvent.id)).all()
    assert [(action, target) for action, target, _details in events] == [
        ("agency-token-issue", f"agency-token:{token_id}"), ("agency-token-revoke", f"agency-token:{token_id}")]
    assert all(token not in json.dumps(details, ensure_ascii=False) for _a, _t, details in events)


def test_a_token_needs_an_agency_name(demo_data, admin):
    response = admin.post("/admin/agencies", data={"agency": "  "})
    assert response.status_code == 400
    assert "نام دستگاه را بنویسید" in text(response)
    assert page(response).select_one("#new-token") is None
    with demo_data.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AgencyToken)) == 0


def test_only_admins_manage_tokens(demo_data, tehran, holder_client):
    for client in (tehran, holder_client):
        assert client.get("/admin/agencies").status_code == 403
        assert client.post("/admin/agencies", data={"agency": "دستگاه"}).status_code == 403
    anonymous = demo_data.test_client()
    assert anonymous.get("/admin/agencies").status_code == 302


# Authentication --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("header, code", [
    (None, "missing_token"), ("", "missing_token"), ("Bearer", "invalid_token"), ("Basic YWRtaW46YWRtaW4=", "invalid_token"),
    ("Bearer not-a-token", "invalid_token"), ("Bearer two words", "invalid_token"), ("Bearer " + "x" * 500, "invalid_token")])
def test_requests_without_a_valid_token_are_refused(api, header, code):
    client, _token = api
    headers = {} if header is None else {"Authorization": header}
    for address in ("/api/v1/rounds", "/api/v1/rounds/1", "/api/v1/rounds/1/ranks", "/api/v1/rounds/1/offices/TEH21059"):
        response = client.get(address, headers=headers)
        error_of(response, 401, code)
        challenge = response.headers["WWW-Authenticate"]
        assert challenge.startswith('Bearer realm="pishkhan-agencies"')
        assert ('error="invalid_token"' in challenge) == (code != "missing_token")


def test_the_scheme_is_case_insensitive(api):
    client, token = api
    assert client.get("/api/v1/rounds", headers={"Authorization": f"bearer {token}"}).status_code == 200


def test_a_staff_session_does_not_open_the_api_and_the_api_sets_no_cookie(api, demo_data, frozen_clock):
    _client, token = api
    admin = staff_client(demo_data, "admin")  # signed in: a session cookie in this client
    error_of(admin.get("/api/v1/rounds"), 401, "missing_token")
    response = call(admin, "/api/v1/rounds", token)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_last_use_is_recorded(api, demo_data):
    client, token = api
    with demo_data.app_context():
        assert db.session.scalar(sa.select(AgencyToken.last_used_at)) is None
    call(client, "/api/v1/rounds", token)
    with demo_data.app_context():
        assert db.session.scalar(sa.select(AgencyToken.last_used_at)) is not None


# What is served --------------------------------------------------------------------------------------------------

def test_rounds_lists_only_approved_rounds(published, demo_data, frozen_clock):
    client, token = demo_data.test_client(), issue(demo_data)
    listed = call(client, "/api/v1/rounds", token)
    assert listed.status_code == 200 and listed.content_type == "application/json"
    assert listed.get_json() == {"rounds": []}  # published, not yet final
    error_of(call(client, "/api/v1/rounds/1", token), 404, "round_not_found")
    error_of(call(client, "/api/v1/rounds/1/ranks", token), 404, "round_not_found")
    error_of(call(client, "/api/v1/rounds/1/offices/TEH21059", token), 404, "round_not_found")
    from wizard import ranking
    from wizard.models import Round

    frozen_clock(after_objections(demo_data))
    with demo_data.app_context():
        ranking.approve(db.session.get(Round, 1))
    [round_] = call(client, "/api/v1/rounds", token).get_json()["rounds"]
    assert round_["id"] == 1 and round_["version"] == 1 and round_["percents"] == [100, 70, 30]
    assert round_["approved_at"].endswith("Z")
    assert call(client, "/api/v1/rounds/1", token).get_json() == round_


def test_ranks_page_by_page_and_filtered(api, demo_data):
    client, token = api
    first = call(client, "/api/v1/rounds/1/ranks?per_page=5", token).get_json()
    assert (first["page"], first["per_page"], first["total"], first["pages"]) == (1, 5, 13, 3)
    assert len(first["items"]) == 5 and first["filters"] == {}
    codes = [item["office_code"] for item in first["items"]]
    assert codes == sorted(codes)
    pages = [call(client, f"/api/v1/rounds/1/ranks?per_page=5&page={n}", token).get_json()["items"] for n in (1, 2, 3)]
    every = [item["office_code"] for items in pages for item in items]
    assert len(every) == len(set(every)) == 13  # no office twice, none left out
    assert call(client, "/api/v1/rounds/1/ranks?per_page=5&page=4", token).get_json()["items"] == []
    default = call(client, "/api/v1/rounds/1/ranks", token).get_json()
    assert default["per_page"] == 100 and len(default["items"]) == 13
    raw = call(client, "/api/v1/rounds/1/ranks", token).data.decode()
    for personal in PERSONAL:
        assert personal not in raw, personal
    isfahan = call(client, "/api/v1/rounds/1/ranks?province=اصفهان", token).get_json()
    assert isfahan["filters"] == {"province": "اصفهان"} and isfahan["total"] >= 1
    assert {item["province"] for item in isfahan["items"]} == {"اصفهان"}
    area = call(client, "/api/v1/rounds/1/ranks?area=TEH-001", token).get_json()
    assert area["total"] >= 1 and {item["area_code"] for item in area["items"]} == {"TEH-001"}
    assert call(client, "/api/v1/rounds/1/ranks?province=Mars", token).get_json()["total"] == 0


@pytest.mark.parametrize("query", ["page=0", "page=x", "page=-1", "per_page=0", "per_page=501", "per_page=۵",
                                   "page=1.5", "per_page="])
def test_bad_paging_parameters_are_a_400(api, query):
    client, token = api
    body = error_of(call(client, f"/api/v1/rounds/1/ranks?{query}", token), 400, "invalid_parameter")
    assert "page" in body["error"]["message"]


def test_one_office(api, demo_data):
    client, token = api
    response = call(client, "/api/v1/rounds/1/offices/TEH21059", token)
    assert response.status_code == 200
    body = response.get_json()
    with demo_data.app_context():
        result = db.session.scalar(sa.select(Result).where(Result.office_id == api_office(demo_data), Result.version == 1))
        assert (body["rank"], body["allowed_services"], body["verification_code"]) == (
            result.rank, result.allowed_services, result.verification_code)
    assert body["available_services"] == 412 and body["area_code"] == "TEH-001" and body["round"]["id"] == 1
    assert body["office_type"] == "pishkhan"
    error_of(call(client, "/api/v1/rounds/1/offices/NOPE", token), 404, "office_not_found")
    error_of(call(client, "/api/v1/rounds/2/offices/TEH21059", token), 404, "round_not_found")
    error_of(call(client, "/api/v1/rounds/99999999999/ranks", token), 404, "not_found")  # past any database id


def api_office(app) -> int:
    from tests.conftest import office_id

    return office_id(app, "P-1038")


def test_only_the_approved_version_is_served(api, demo_data):
    """A later version in the table (as a correction would make) changes nothing the agencies see."""
    client, token = api
    before = call(client, "/api/v1/rounds/1/offices/TEH21059", token).get_json()
    with demo_data.app_context():
        result = db.session.scalar(sa.select(Result).where(Result.office_id == api_office(demo_data), Result.version == 1))
        db.session.add(Result(round_id=1, office_id=result.office_id, version=2, score=0, rank=3 if result.rank != 3 else 1,
                              allowed_services=1, breakdown={}, verification_code="ZZZZZZZZZZZZ"))
        db.session.commit()
    assert call(client, "/api/v1/rounds/1/offices/TEH21059", token).get_json() == before
    assert call(client, "/api/v1/rounds/1/ranks", token).get_json()["total"] == 13


def test_unknown_addresses_and_methods_answer_in_json(api):
    client, token = api
    error_of(call(client, "/api/v1/nothing-here", token), 404, "not_found")
    error_of(client.get("/api/v2/rounds"), 404, "not_found")
    response = client.post("/api/v1/rounds", headers={"Authorization": f"Bearer {token}"})
    error_of(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]


def test_the_openapi_document_is_served_without_a_token(demo_data):
    response = demo_data.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.content_type == "application/json"
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {"/rounds", "/rounds/{round_id}", "/rounds/{round_id}/ranks",
                                      "/rounds/{round_id}/offices/{office_code}"}
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


# The rate limit --------------------------------------------------------------------------------------------------

def test_each_token_has_its_own_rate_limit(api, demo_data):
    client, token = api
    other = issue(demo_data, "ادارهٔ کل پست")
    demo_data.config["API_RATE_LIMIT"] = "3 per minute"
    for _n in range(3):
        assert call(client, "/api/v1/rounds", token).status_code == 200
    limited = call(client, "/api/v1/rounds/1/ranks", token)  # one budget across every endpoint
    error_of(limited, 429, "too_many_requests")
    assert 1 <= int(limited.headers["Retry-After"]) <= 61  # seconds, rounded up
    assert call(client, "/api/v1/rounds", other).status_code == 200  # another agency is not held up


def test_guessing_tokens_is_limited_per_address(api, demo_data):
    client, _token = api
    demo_data.config["API_RATE_LIMIT"] = "2 per minute"
    for _n in range(2):
        error_of(call(client, "/api/v1/rounds", "guess"), 401, "invalid_token")
    error_of(call(client, "/api/v1/rounds", "another-guess"), 429, "too_many_requests")
