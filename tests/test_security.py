"""Security headers on every response, production cookies and the check-deploy command (SPEC §2)."""

import pytest
from werkzeug.http import parse_cookie

from tests.conftest import make_app
from wizard import security
from wizard.access import public
from wizard.extensions import db

STRONG_KEY = "k3J9-xQ2vL7pZ0aR5tY8uW1eB4nM6cD_fG0hJ2kL4zX6vB8nM0qW2eR4tY6uI8o"
SAFE = {
    "PRODUCTION": True, "SECRET_KEY": STRONG_KEY, "DEBUG": False, "TESTING": False, "WTF_CSRF_ENABLED": True,
    "SQLALCHEMY_DATABASE_URI": "postgresql://wizard:secret@db.invalid/wizard", "REDIS_URL": "redis://localhost:6379/0",
    "SESSION_COOKIE_SECURE": True, "SESSION_COOKIE_HTTPONLY": True, "SESSION_COOKIE_SAMESITE": "Lax",
    "PUBLIC_BASE_URL": "https://pishkhan.example.ir",
}
PRODUCTION = {"PRODUCTION": True, "SECRET_KEY": STRONG_KEY, "PUBLIC_BASE_URL": "https://pishkhan.example.ir",
              "TRUSTED_HOSTS": ["localhost"]}
EXPECTED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


@pytest.fixture
def app(app):
    security.register(app)  # a no-op once create_app does it
    return app


@pytest.fixture
def build(tmp_path):
    """make_app with overrides and security registered; engines disposed afterwards."""
    apps = []

    def build(schema=True, **overrides):
        app = make_app(tmp_path, schema=schema, **overrides)
        security.register(app)
        apps.append(app)
        return app
    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def assert_secure_headers(response):
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers.getlist(name) == [value], name
    assert len(response.headers.getlist("Content-Security-Policy")) == 1
    csp = response.headers["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "Strict-Transport-Security" not in response.headers  # not production
    assert "Server" not in response.headers


def test_headers_on_a_page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert_secure_headers(response)
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "method, url, status",
    [
        ("GET", "/no-such-page", 404),
        ("GET", "/language", 405),
        ("TRACE", "/", 405),
        ("PUT", "/", 405),
        ("DELETE", "/", 405),
    ],
)
def test_headers_on_error_pages(client, method, url, status):
    response = client.open(url, method=method)
    assert response.status_code == status
    assert_secure_headers(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_headers_on_a_too_large_request(app, client):
    response = client.post("/language", data={"lang": "x" * app.config["MAX_CONTENT_LENGTH"], "next": "/"})
    assert response.status_code == 413
    assert_secure_headers(response)


def test_headers_on_a_server_error(app, client):
    @app.get("/boom")
    @public
    def boom():
        raise RuntimeError("secret detail 4711")

    response = client.get("/boom")
    assert response.status_code == 500
    assert b"Traceback" not in response.data and b"secret detail 4711" not in response.data
    assert_secure_headers(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_headers_on_a_redirect(client):
    response = client.post("/language", data={"lang": "en", "next": "/"})
    assert response.status_code in (302, 303)
    assert_secure_headers(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_have_headers_but_stay_cacheable(client):
    with client.get("/static/css/app.css") as response:
        assert response.status_code == 200
        assert_secure_headers(response)
        assert "no-store" not in response.headers.get("Cache-Control", "")


def test_hsts_only_in_production(build):
    with build(**PRODUCTION).test_client().get("/static/css/app.css") as response:
        hsts = response.headers["Strict-Transport-Security"]
    directives = [d.strip() for d in hsts.split(";")]
    max_age = next(int(d.split("=")[1]) for d in directives if d.startswith("max-age="))
    assert max_age >= 31536000
    assert "includeSubDomains" in directives
    assert "Strict-Transport-Security" not in build().test_client().get("/").headers


def test_production_session_cookie(build):
    app = build(**PRODUCTION)
    response = app.test_client().post("/language", data={"lang": "en", "next": "/"})
    [cookie] = response.headers.getlist("Set-Cookie")
    name, _ = cookie.split("=", 1)
    attributes = [a.strip() for a in cookie.split(";")[1:]]
    lowered = [a.lower() for a in attributes]
    assert name == "__Host-session"
    assert "secure" in lowered and "httponly" in lowered and "samesite=lax" in lowered
    assert "path=/" in lowered
    assert not any(a.startswith("domain") for a in lowered)
    assert parse_cookie(cookie)["__Host-session"]
    assert app.config["PREFERRED_URL_SCHEME"] == "https"


def test_register_is_idempotent(app):
    security.register(app)
    assert app.after_request_funcs[None].count(security.forbid_caching) == 1
    response = app.test_client().get("/")
    assert_secure_headers(response)
    assert response.headers.getlist("Cache-Control") == ["no-store"]


def test_production_defaults_leave_development_alone(app):
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["SESSION_COOKIE_NAME"] == "session"


def test_a_safe_configuration_has_no_problems():
    assert security.production_problems(SAFE) == []


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"SECRET_KEY": None}, "SECRET_KEY is not set"),
        ({"SECRET_KEY": ""}, "SECRET_KEY is not set"),
        ({"SECRET_KEY": "dev-only-not-secret"}, "development default"),
        ({"SECRET_KEY": STRONG_KEY[:49]}, "SECRET_KEY is weak"),
        ({"SECRET_KEY": "abcd" * 20}, "SECRET_KEY is weak"),  # 80 characters, 4 different
        ({"SECRET_KEY": "abcde" * 10}, "SECRET_KEY is weak"),  # 50 characters, 5 different, a pattern
        ({"SECRET_KEY": "correct horse battery staple correct horse battery"}, "SECRET_KEY is weak"),
        ({"SECRET_KEY": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"}, "SECRET_KEY is weak"),
        ({"SECRET_KEY": "dev-only-not-secret" * 3}, "SECRET_KEY is weak"),
        ({"PUBLIC_BASE_URL": None}, "PUBLIC_BASE_URL"),
        ({"PUBLIC_BASE_URL": "http://pishkhan.example.ir"}, "PUBLIC_BASE_URL"),
        ({"PUBLIC_BASE_URL": "https://pishkhan.example.ir/verify"}, "PUBLIC_BASE_URL"),
        ({"PRODUCTION": False}, "PRODUCTION is not true"),
        ({"DEBUG": True}, "DEBUG is on"),
        ({"TESTING": True}, "TESTING is on"),
        ({"WTF_CSRF_ENABLED": False}, "WTF_CSRF_ENABLED is off"),
        ({"SESSION_COOKIE_SECURE": False}, "SESSION_COOKIE_SECURE"),
        ({"SESSION_COOKIE_HTTPONLY": False}, "SESSION_COOKIE_HTTPONLY"),
        ({"SESSION_COOKIE_SAMESITE": None}, "SESSION_COOKIE_SAMESITE"),
        ({"SESSION_COOKIE_SAMESITE": "None"}, "SESSION_COOKIE_SAMESITE"),
        ({"SQLALCHEMY_DATABASE_URI": "sqlite:///wizard.sqlite"}, "PostgreSQL"),
        ({"REDIS_URL": None}, "REDIS_URL"),
    ],
)
def test_each_unsafe_setting_is_reported(change, reason):
    [problem] = security.production_problems({**SAFE, **change})
    assert reason in problem


def test_strict_samesite_and_bytes_keys_are_fine():
    assert security.production_problems({**SAFE, "SESSION_COOKIE_SAMESITE": "Strict"}) == []
    assert security.production_problems({**SAFE, "SECRET_KEY": STRONG_KEY.encode()}) == []


def test_check_deploy_refuses_the_test_configuration(build):
    app = build(schema=False, SQLALCHEMY_DATABASE_URI="sqlite:///anywhere.sqlite")
    result = app.test_cli_runner().invoke(args=["check-deploy"])
    assert result.exit_code == 1
    for reason in ("SECRET_KEY is weak", "PRODUCTION is not true", "TESTING is on", "WTF_CSRF_ENABLED is off",
                   "SESSION_COOKIE_SECURE", "PostgreSQL", "REDIS_URL"):
        assert reason in result.output
    assert "OK" not in result.stdout


def test_check_deploy_accepts_a_safe_configuration(build):
    # The database URL points nowhere: the check must not connect.
    app = build(schema=False, **SAFE)
    result = app.test_cli_runner().invoke(args=["check-deploy"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "OK"


def test_production_defaults_pass_the_cookie_checks(build):
    app = build(schema=False, **{k: v for k, v in SAFE.items() if not k.startswith("SESSION_COOKIE")})
    assert security.production_problems(app.config) == []


def test_common_password_list():
    common = security.load_common_passwords()
    assert len(common) >= 3000
    assert all(entry == entry.strip().lower() and entry for entry in common)
    assert security.check_password("password") == ["common"]
    assert security.check_password("۰۰۷۶۲۲۹۶۴۵", forbidden=["0076229645"]) == ["personal"]
    assert security.check_password("رمز عبور من امن است") == []


@pytest.mark.parametrize("key", [None, "dev-only-not-secret", "abcde" * 10, "short-but-random-Qx7"])
def test_production_refuses_to_start_without_a_strong_key(tmp_path, key):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        make_app(tmp_path, schema=False, **{**PRODUCTION, "SECRET_KEY": key})


def test_production_from_the_environment_refuses_the_default_key(tmp_path, monkeypatch):
    from wizard import create_app

    monkeypatch.setenv("WIZARD_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://pishkhan.example.ir")
    with pytest.raises(RuntimeError, match="development default"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}"})


def test_production_refuses_to_start_without_a_public_address(tmp_path):
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        make_app(tmp_path, schema=False, **{**PRODUCTION, "PUBLIC_BASE_URL": None})


def test_secrets_made_as_the_readme_says_are_strong():
    import secrets

    for _ in range(200):
        assert security.startup_problems({**SAFE, "SECRET_KEY": secrets.token_urlsafe(50)}) == []


def test_the_public_address_is_the_only_trusted_host(build):
    app = build(**{**PRODUCTION, "TRUSTED_HOSTS": None})
    assert app.config["TRUSTED_HOSTS"] == ["pishkhan.example.ir"]
    client = app.test_client()
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"Host": "pishkhan.example.ir"}).status_code == 200


def test_trusted_hosts_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TRUSTED_HOSTS", "pishkhan.example.ir, .internal")
    app = make_app(tmp_path, schema=False)
    assert app.config["TRUSTED_HOSTS"] == ["pishkhan.example.ir", ".internal"]


def test_the_access_log_leaves_out_query_strings_and_referrers():
    """gunicorn.conf.py: %(r)s (request line), %(q)s (query) and %(f)s (referrer) would log searches."""
    import runpy
    from pathlib import Path

    settings = runpy.run_path(str(Path(__file__).resolve().parents[1] / "gunicorn.conf.py"))
    log_format = settings["access_log_format"]
    assert "%(U)s" in log_format
    assert not any(part in log_format for part in ("%(r)s", "%(q)s", "%(f)s", "%({"))
