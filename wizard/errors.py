"""Error pages in the user's language; a failed request never leaves a half-done transaction."""

import math
import time
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

from flask import current_app
from flask import g
from flask import render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import SecurityError
from werkzeug.exceptions import TooManyRequests
from werkzeug.http import http_date

from . import clock
from .extensions import db
from .extensions import limiter
from .extensions import login_manager
from .api import errors as api_errors
from .rules import jalali

# Pages for when no template can be drawn (the template failed, or the Host is not ours): static files,
# read once here, so they are there whatever fails later.
STATIC_PAGES = Path(__file__).parent / "static" / "errors"
LAST_RESORT = (STATIC_PAGES / "last-resort.html").read_text(encoding="utf-8")
LAST_RESORT_UNAVAILABLE = (STATIC_PAGES / "unavailable.html").read_text(encoding="utf-8")
UNTRUSTED_HOST = (STATIC_PAGES / "untrusted-host.html").read_text(encoding="utf-8")

MESSAGES = {
    400: (_l("The request could not be understood"),
          _l("Please go back, check what you entered and try again.")),
    403: (_l("You may not see this page"),
          _l("Your account does not have access to this page.")),
    404: (_l("Page not found"),
          _l("Check the address; if you typed it, it may be misspelled.")),
    405: (_l("This action is not allowed here"),
          _l("Please use the buttons on the page instead of changing the address.")),
    413: (_l("What you sent is too large"),
          _l("Please send a smaller file or less text.")),
    429: (_l("Too many attempts"),
          _l("Please wait a few minutes and try again.")),
    500: (_l("Sorry, something went wrong"),
          _l("Nothing was saved from this request. Please try again in a moment.")),
    503: (_l("The service is briefly unavailable"),
          _l("Nothing was saved from this request. Please try again in a moment.")),
}
CSRF_MESSAGE = (_l("Your form had expired"),
                _l("For your security the page had expired. Please go back, reload the page and send it again."))


def register(app):
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(TooManyRequests, _too_many_requests)
    app.register_error_handler(SecurityError, _untrusted_host)
    # The database restarting or unreachable (pool_pre_ping reconnects once it is back).
    app.register_error_handler(sa_exc.OperationalError, _database_unavailable)
    app.register_error_handler(sa_exc.InterfaceError, _database_unavailable)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def render_error(code: int, heading=None, message=None):
    default_heading, default_message = MESSAGES.get(code, MESSAGES[400 if code < 500 else 500])
    page = render_template("errors/error.html", code=code,
                           heading=heading or default_heading, message=message or default_message)
    return page, code


def _http_error(error: HTTPException):
    if (error.code or 500) >= 500:
        db.session.rollback()
    if api_errors.is_api_request():
        return api_errors.from_http(error)
    return render_error(error.code or 500)


def _untrusted_host(_error: SecurityError):
    # A Host outside TRUSTED_HOSTS: no URL can be built for it, so the page has no links (no template).
    return UNTRUSTED_HOST, 400


def _too_many_requests(error: TooManyRequests):
    """429 with Retry-After, and the page says from when (Jalali date, Tehran time) to try again: the same
    moment, rounded up to the minute the page can show, so trying at the minute shown is never too early.
    The API answers in JSON, with Retry-After in seconds."""
    if api_errors.is_api_request():
        limit = limiter.current_limit
        # Flask-Limiter's windows run on the system clock, so the seconds left are counted on it too.
        left = math.ceil(limit.reset_at - time.time()) if limit is not None and limit.reset_at else 60
        return api_errors.too_many(left)
    until = _whole_minute(_retry_at(error))
    moment = jalali.format_datetime(until, locale=str(get_locale() or "fa"))
    page, code = render_error(429, message=_("Please try again from %(moment)s (Tehran time).", moment=moment))
    return page, code, {"Retry-After": http_date(until)}


def _whole_minute(moment: datetime) -> datetime:
    floor = moment.replace(second=0, microsecond=0)
    return floor if floor == moment else floor + timedelta(minutes=1)


def _retry_at(error: TooManyRequests) -> datetime:
    if isinstance(error.retry_after, datetime):
        return error.retry_after
    if isinstance(error.retry_after, int | float):  # seconds from now
        return clock.now() + timedelta(seconds=error.retry_after)
    limit = limiter.current_limit  # the limit Flask-Limiter found exceeded
    if limit is not None and limit.reset_at:
        # Flask-Limiter's windows run on the system clock, so this one does too.
        return datetime.fromtimestamp(math.ceil(limit.reset_at), UTC)
    return clock.now() + timedelta(minutes=15)


def _csrf_error(_error: CSRFError):
    return render_error(400, *CSRF_MESSAGE)


def _database_unavailable(error: sa_exc.DBAPIError):
    current_app.logger.warning("database unavailable: %s", error.orig)
    try:
        db.session.rollback()
    except sa_exc.DBAPIError:
        db.session.invalidate()  # the connection is gone; the pool makes a new one next time
    if api_errors.is_api_request():
        return api_errors.json_error(503, headers={"Retry-After": "10"})
    # The page must not ask the database again: no signed-in user, no countdown.
    g._login_user = login_manager.anonymous_user()
    g.countdown = None
    try:
        page, code = render_error(503)
    except Exception:
        current_app.logger.exception("the error page failed")
        page, code = LAST_RESORT_UNAVAILABLE, 503
    return page, code, {"Retry-After": "10"}


def _unexpected_error(error: Exception):
    db.session.rollback()
    current_app.logger.exception("unhandled error")
    if api_errors.is_api_request():
        return api_errors.json_error(500)
    try:
        return render_error(500)
    except Exception:  # the page itself failed: answer with no template at all
        current_app.logger.exception("the error page failed")
        return LAST_RESORT, 500
