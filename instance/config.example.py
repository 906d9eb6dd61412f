# Local settings: copy to instance/config.py (git-ignored) and edit.
# The environment (DATABASE_URL, SECRET_KEY, REDIS_URL) overrides what is set here.

# A long random value in production: python -c "import secrets; print(secrets.token_urlsafe(48))"
# SECRET_KEY = "..."

# SQLite in the instance folder is the default; production uses PostgreSQL.
# SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://user@127.0.0.1:5432/wizard"

# Shared storage for the login rate limiter when more than one app process runs.
# REDIS_URL = "redis://127.0.0.1:6379/0"

# Days in a declaration window (the opening day counts as day 1) and the
# entitlement percents for ranks 1, 2 and 3 (clause 5-6 of the licensing principles).
# DECLARATION_WINDOW_DAYS = 20
# SERVICE_PERCENTS = (100, 70, 30)
