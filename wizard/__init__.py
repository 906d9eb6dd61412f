"""پیشخوان: self-declaration, evaluation and ranking of government service counter offices."""

import os
from urllib.parse import urlsplit

from flask import current_app
from flask import Flask
from flask import has_request_context
from flask import session
from flask_babel import lazy_gettext as _l
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from .extensions import babel
from .extensions import csrf
from .extensions import db
from .extensions import limiter
from .extensions import login_manager
from .rules.text import MAX_ID

ENVIRONMENT_KEYS = {
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "SECRET_KEY": "SECRET_KEY",
    "REDIS_URL": "REDIS_URL",
    "PUBLIC_BASE_URL": "PUBLIC_BASE_URL",
    "TRUSTED_HOSTS": "TRUSTED_HOSTS",
    "MESSAGES_QUEUE": "MESSAGES_QUEUE",
    "SMS_PROVIDER": "SMS_PROVIDER",
    "SMS_FILE_PATH": "SMS_FILE_PATH",
    "SMS_API_URL": "SMS_API_URL",
    "SMS_API_KEY": "SMS_API_KEY",
    "SMS_API_KEY_HEADER": "SMS_API_KEY_HEADER",
    "SMS_SENDER": "SMS_SENDER",
    "SMS_TIMEOUT": "SMS_TIMEOUT",
}


def create_app(test_config=None):
    """Build the app: defaults, then instance/config.py, then the environment, then test_config."""
    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters["int"] = DatabaseId
    app.config.from_object("wizard.config")
    app.config.from_pyfile("config.py", silent=True)
    for env_name, key in ENVIRONMENT_KEYS.items():
        if os.environ.get(env_name):
            app.config[key] = os.environ[env_name]
    if os.environ.get("WIZARD_ENV") == "production":
        app.config["PRODUCTION"] = True
    if test_config is not None:
        app.config.update(test_config)
    _check_production(app.config)
    app.config["TRUSTED_HOSTS"] = _trusted_hosts(app.config)
    app.config["SQLALCHEMY_DATABASE_URI"] = _with_driver(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", _engine_options(app.config["SQLALCHEMY_DATABASE_URI"]))
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"] or "memory://")
    os.makedirs(app.instance_path, exist_ok=True)
    if app.config["PROXY_HOPS"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_HOPS"], x_proto=app.config["PROXY_HOPS"])

    register_extensions(app)
    register_blueprints(app)
    from . import access, cli, demo, errors, filters, score_cli, security, timers, window
    from .declaration import display

    security.register(app)
    window.register(app)
    access.register(app)
    display.register(app)
    errors.register(app)
    filters.register(app)
    timers.register(app)
    cli.register(app)
    demo.register(app)
    score_cli.register(app)
    return app


def _check_production(config) -> None:
    from .security import startup_problems

    problems = startup_problems(config) if config["PRODUCTION"] else []
    if problems:
        raise RuntimeError("Refusing to start in production: " + " ".join(problems))


def _trusted_hosts(config) -> list[str] | None:
    hosts = config["TRUSTED_HOSTS"]
    if isinstance(hosts, str):
        return [host.strip() for host in hosts.split(",") if host.strip()]
    if hosts is None and config["PUBLIC_BASE_URL"]:
        return [urlsplit(config["PUBLIC_BASE_URL"]).hostname]
    return hosts


class DatabaseId(IntegerConverter):
    """<int:...> in every route takes ASCII digits up to MAX_ID (PostgreSQL's integer): a larger id is a 404,
    not an overflow in the database."""

    regex = r"[0-9]{1,10}"

    def __init__(self, url_map, **options):
        super().__init__(url_map, **{"max": MAX_ID, **options})


def _with_driver(url: str) -> str:
    """postgres:// and postgresql:// URLs (as hosts hand them out) use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _engine_options(url: str) -> dict:
    """A database server can restart under the app: each pooled connection is checked before use.
    A SQLite file cannot go away, and the check would cost every request a SELECT 1."""
    return {} if url.startswith("sqlite") else {"pool_pre_ping": True}


def select_locale():
    """The language the user picked with the switch, else Persian (never the browser's guess)."""
    chosen = session.get("lang") if has_request_context() else None
    return chosen if chosen in current_app.config["LANGUAGES"] else "fa"


def register_extensions(app):
    from . import database, security

    db.init_app(app)
    database.configure(app)
    if app.config["MIGRATIONS"]:
        # Alembic costs each process 12 MiB; wsgi.py's web workers never migrate, so they skip it.
        from flask_migrate import Migrate

        Migrate(app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"),
                render_as_batch=True)  # SQLite needs batch mode to alter tables
    app.before_request(security.refuse_nameless_form_parts)  # before CSRFProtect's check, which trips on them
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: "Asia/Tehran")
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # the per-user session token and timeouts do this job
    limiter.init_app(app)


def register_blueprints(app):
    from .admin import bp as admin_bp
    from .api.views import bp as api_bp
    from .auth import bp as auth_bp
    from .declaration import bp as declaration_bp
    from .public import bp as public_bp
    from .results import bp as results_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(declaration_bp, url_prefix="/declaration")
    app.register_blueprint(results_bp, url_prefix="/results")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    csrf.exempt(api_bp)  # read-only, and authenticated by a header a browser never sends by itself
