"""create_app: defaults, then instance/config.py, then the environment, then test config."""

import pytest

from wizard import create_app
from wizard.extensions import db


def test_defaults_are_persian_and_sqlite_in_the_instance_folder(monkeypatch):
    for name in ("DATABASE_URL", "SECRET_KEY", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    app = create_app({"TESTING": True})
    assert app.config["BABEL_DEFAULT_LOCALE"] == "fa"
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["DECLARATION_WINDOW_DAYS"] == 20
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None


def test_instance_config_then_environment_then_test_config(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text("SECRET_KEY = 'from-instance'\nREDIS_URL = 'redis://instance'\n"
                                        "DECLARATION_WINDOW_DAYS = 15\n")
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(tmp_path))
    monkeypatch.setenv("REDIS_URL", "redis://environment")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"DECLARATION_WINDOW_DAYS": 10})
    assert app.config["SECRET_KEY"] == "from-instance"
    assert app.config["REDIS_URL"] == "redis://environment"
    assert app.config["DECLARATION_WINDOW_DAYS"] == 10


@pytest.mark.parametrize(("given", "used"), [
    ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql://u@h:5432/db", "postgresql+psycopg://u@h:5432/db"),
    ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ("sqlite:////tmp/x.sqlite", "sqlite:////tmp/x.sqlite"),
])
def test_database_url_from_the_environment_gets_the_psycopg_driver(monkeypatch, given, used):
    monkeypatch.setenv("DATABASE_URL", given)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == used


@pytest.mark.parametrize(("url", "checked"), [("sqlite:////tmp/x.sqlite", False), ("postgresql://u@h/db", True)])
def test_pooled_connections_are_checked_before_use_only_on_a_database_server(tmp_path, url, checked):
    """A restarted PostgreSQL leaves dead connections in the pool; a SQLite file has none to check."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "MIGRATIONS": False})
    with app.app_context():
        assert db.engine.pool._pre_ping is checked
