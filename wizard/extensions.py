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


class ViewLimiter(Limiter):
    """Flask-Limiter for an app whose only limits sit on a few views, each marked by rate_limit() below.

    Flask-Limiter checks every request before its view, and finding no limit to apply costs some 25 µs
    (about 3 % of a step page or save): a request to a view without the mark skips that check."""

    def _check_request_limit(self, callable_name=None, in_middleware=True):
        if in_middleware and not getattr(current_app.view_functions.get(request.endpoint), "rate_limited", False):
            return
        super()._check_request_limit(callable_name, in_middleware)


# Storage comes from RATELIMIT_STORAGE_URI: Redis when REDIS_URL is set, so limits hold across processes.
limiter = ViewLimiter(key_func=get_remote_address, default_limits=[])


def rate_limit(*args, **kwargs):
    """limiter.limit, with the mark that makes ViewLimiter check the view's requests before the view.

    Use this, never limiter.limit directly (tests/test_limits.py looks for such a use)."""
    def decorate(view):
        limited = limiter.limit(*args, **kwargs)(view)
        limited.rate_limited = True
        return limited
    return decorate
