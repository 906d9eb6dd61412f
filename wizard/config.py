"""Default settings; instance/config.py, the environment and test config override them."""

SECRET_KEY = "dev-only-not-secret"
SQLALCHEMY_DATABASE_URI = "sqlite:///wizard.sqlite"  # relative to the instance folder
SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
REDIS_URL = None

BABEL_DEFAULT_LOCALE = "fa"
BABEL_DEFAULT_TIMEZONE = "Asia/Tehran"
LANGUAGES = ("fa", "en")

DECLARATION_WINDOW_DAYS = 20
SERVICE_PERCENTS = (100, 70, 30)

WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session (nothing typed is lost)
MAX_CONTENT_LENGTH = 2 * 1024 * 1024
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
