"""Flask extensions, created unbound; create_app binds each one."""

from flask import current_app
from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()
# Storage comes from RATELIMIT_STORAGE_URI: Redis when REDIS_URL is set, so limits hold across processes.
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def rate_limit(*args, **kwargs):
    """limiter.limit, marked so that every request to a view without limits skips the limiter's work.

    Use this, never limiter.limit directly: a view limited without the mark would go unchecked
    (tests/test_limits.py looks for such a use)."""
    def decorate(view):
        limited = limiter.limit(*args, **kwargs)(view)
        limited.rate_limited = True
        return limited
    return decorate


@limiter.request_filter
def _has_no_limits() -> bool:
    return not getattr(current_app.view_functions.get(request.endpoint), "rate_limited", False)
