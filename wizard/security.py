"""Security headers on every response, production cookie defaults and the check-deploy command (SPEC §2)."""

import functools
import gzip
from importlib import resources
from urllib.parse import urlsplit

import click
from flask import abort
from flask import current_app
from flask import request
from flask.cli import with_appcontext
from flask.sessions import SecureCookieSessionInterface

from .rules.passwords import estimated_entropy_bits
from .rules.passwords import password_problems

DEV_SECRET_KEY = "dev-only-not-secret"  # wizard/config.py's default
MIN_KEY_LENGTH = 50
MIN_KEY_BITS = 192  # secrets.token_urlsafe(50) estimates about 330, "abcde" x 10 about 10
# No 'unsafe-inline' for script or style: templates keep scripts and styles in static files.
CSP = ("default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       "form-action 'self'; img-src 'self' data:")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    # Not no-referrer: Flask-WTF's CSRF check over HTTPS refuses a POST without a Referer.
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
HSTS = "max-age=31536000; includeSubDomains"
PRODUCTION_DEFAULTS = {
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # __Host- makes the browser insist on Secure, Path=/ and no Domain.
    "SESSION_COOKIE_NAME": "__Host-session",
    "PREFERRED_URL_SCHEME": "https",
}


def register(app):
    """Install the headers, production defaults and `flask check-deploy`; calling it twice is harmless."""
    if "wizard-security" in app.extensions:
        return
    app.extensions["wizard-security"] = True
    app.session_interface = CookieSessions()
    apply_production_defaults(app)
    headers = list(HEADERS.items()) + ([("Strict-Transport-Security", HSTS)] if app.config.get("PRODUCTION") else [])
    app.wsgi_app = ConstantHeaders(app.wsgi_app, headers)
    app.after_request(forbid_caching)
    app.cli.add_command(check_deploy_command)


class ConstantHeaders:
    """WSGI middleware: the same headers on every response (pages, redirects, errors, static files).

    Added to the plain header list as the response starts: set one by one on werkzeug's Headers, each
    value is checked and the list scanned for its name (bench/README.md)."""

    def __init__(self, wsgi_app, headers: list[tuple[str, str]]):
        self.wsgi_app = wsgi_app
        self.headers = headers

    def __call__(self, environ, start_response):
        def start_with_headers(status, headers, exc_info=None):
            return start_response(status, headers + self.headers, exc_info)
        return self.wsgi_app(environ, start_with_headers)


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signing serializer built once per set of keys.

    Flask builds one when it reads the cookie and again when it writes it, and each build serialises
    a test value (bench/README.md). The serializer keeps no request state, so one per key set serves all."""

    def __init__(self):
        self._serializers = {}

    def get_signing_serializer(self, app):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if keys not in self._serializers:
            self._serializers[keys] = super().get_signing_serializer(app)
        return self._serializers[keys]


def refuse_nameless_form_parts():
    """A multipart part without a name becomes a form key None, which Flask-WTF's CSRF check cannot read (a 500):
    no browser sends one, so the request is refused before that check. Registered before CSRFProtect."""
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and (None in request.form or None in request.files):
        abort(400)


def apply_production_defaults(app):
    if app.config.get("PRODUCTION"):
        app.config.update(PRODUCTION_DEFAULTS)


def forbid_caching(response):
    # after_request also runs for error pages (the handlers in errors.py) and static files.
    endpoint = request.endpoint or ""
    if endpoint != "static" and not endpoint.endswith(".static"):
        # Pages, redirects and downloads may carry personal data: never keep them in any cache.
        # Static files keep send_file's revalidation headers.
        response.headers["Cache-Control"] = "no-store"
    return response


def production_problems(config) -> list[str]:
    """Why this configuration is unsafe to run in production (Django's check --deploy, W009 etc.); [] if safe."""
    problems = startup_problems(config)
    if not config.get("PRODUCTION"):
        problems.append("PRODUCTION is not true, so HSTS and secure cookie defaults are off.")
    if config.get("DEBUG"):
        problems.append("DEBUG is on: it shows tracebacks and allows running code in the browser.")
    if config.get("TESTING"):
        problems.append("TESTING is on.")
    if not config.get("WTF_CSRF_ENABLED", True):
        problems.append("WTF_CSRF_ENABLED is off: forms are open to cross-site request forgery.")
    if config.get("SESSION_COOKIE_SECURE") is not True:
        problems.append("SESSION_COOKIE_SECURE is not true: the session cookie would travel over plain HTTP.")
    if config.get("SESSION_COOKIE_HTTPONLY") is not True:
        problems.append("SESSION_COOKIE_HTTPONLY is not true: scripts could read the session cookie.")
    if config.get("SESSION_COOKIE_SAMESITE") not in ("Lax", "Strict"):
        problems.append("SESSION_COOKIE_SAMESITE is not Lax or Strict.")
    if str(config.get("SQLALCHEMY_DATABASE_URI") or "").startswith("sqlite"):
        problems.append("SQLALCHEMY_DATABASE_URI is SQLite: production uses PostgreSQL (set DATABASE_URL).")
    if not config.get("REDIS_URL"):
        problems.append("REDIS_URL is not set: login rate limits would not hold across worker processes.")
    return problems


def startup_problems(config) -> list[str]:
    """What a production app refuses to start with: a guessable SECRET_KEY (anyone could sign a session)
    and no PUBLIC_BASE_URL (printed verification links would follow whatever Host a request names)."""
    problems = []
    key = config.get("SECRET_KEY")
    if isinstance(key, bytes):
        key = key.decode("latin-1")
    if not key:
        problems.append("SECRET_KEY is not set.")
    elif key == DEV_SECRET_KEY:
        problems.append("SECRET_KEY is the development default.")
    elif len(key) < MIN_KEY_LENGTH or estimated_entropy_bits(key) < MIN_KEY_BITS:
        problems.append(f"SECRET_KEY is weak: use at least {MIN_KEY_LENGTH} random characters "
                        "(python -c 'import secrets; print(secrets.token_urlsafe(50))').")
    base = urlsplit(config.get("PUBLIC_BASE_URL") or "")
    if base.scheme != "https" or not base.hostname or base.path not in ("", "/") or base.query:
        problems.append("PUBLIC_BASE_URL is not an https:// address with no path (e.g. https://pishkhan.example.ir): "
                        "verification links and QR codes are built from it.")
    return problems


@click.command("check-deploy")
@with_appcontext
def check_deploy_command():
    """Refuse an unsafe production configuration (exit 1) or print OK."""
    problems = production_problems(current_app.config)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise click.exceptions.Exit(1)
    click.echo("OK")


@functools.cache
def load_common_passwords() -> frozenset[str]:
    """The bundled common-password list (wizard/data/README.md), lower case."""
    data = resources.files("wizard").joinpath("data/common-passwords.txt.gz").read_bytes()
    lines = gzip.decompress(data).decode("utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip())


def check_password(password: str, *, forbidden=()) -> list[str]:
    """password_problems() against the bundled list."""
    return password_problems(password, common=load_common_passwords(), forbidden=forbidden)
