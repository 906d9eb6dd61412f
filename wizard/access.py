"""Who may reach which view: every view declares a rule, one before-request guard enforces it.

A view with no rule is refused (fail closed), and a test walks the url_map so none ships without one.
The guard also ends idle (30 min) and old (12 h) sessions and holds a user on the forced
password change or the staff second-factor pages until those are done.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import request
from flask import session
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_user
from flask_login import logout_user

from . import clock
from .extensions import db
from .extensions import login_manager
from .models import ROLES
from .models import STAFF_ROLES
from .models import User
from .rules.text import parse_id

PUBLIC = "public"
TOKEN = "token"  # the agencies' API: each request proves itself with its bearer token; no cookie or session is read
# Reachable besides the pending step itself while a password change or the second factor is pending.
ALWAYS_REACHABLE = {"auth.logout", "public.language", "static"}
# The idle clock is stamped at most once a minute, so a page viewed within a minute of the last stamp
# leaves the session cookie as it was: no re-signing, no Set-Cookie. Pages tell the timeout warning
# how long the stamp still has (idle_seconds_left), so the warning and the server agree to the second.
SEEN_EVERY_SECONDS = 60
KEPT_ACROSS_SIGN_IN = ("lang", "kept")  # "kept": declaration.drafts.KEPT_KEYS


@dataclass(frozen=True, slots=True)
class Account:
    """The signed-in user as Flask-Login's current_user: what pages and checks read about them.

    Read-only and loaded in one Core query on every page (bench/README.md has what the ORM cost).
    A view that changes the user loads the User with signed_in_user()."""

    id: int
    role: str
    full_name: str
    province: str | None
    session_token: str
    must_change_password: bool
    totp_confirmed: bool

    is_active = True
    is_anonymous = False
    is_authenticated = True

    @classmethod
    def of(cls, user: User) -> "Account":
        return cls(*(getattr(user, name) for name in cls.__dataclass_fields__))

    def get_id(self) -> str:
        """The login id carries the session token, so rotating the token logs out everywhere."""
        return f"{self.id}:{self.session_token}"

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES


# Built once: building a statement costs as much as running it, and these run on every page.
_users = User.__table__
ACCOUNT_BY_ID = sa.select(*(_users.c[name] for name in Account.__dataclass_fields__)).where(
    _users.c.id == sa.bindparam("id"))


def public(view):
    """Anyone, signed in or not."""
    view.access = PUBLIC
    return view


def bearer_token(view):
    """The API's views: the guard reads no session (the blueprint checks the Authorization header instead)."""
    view.access = TOKEN
    return view


def roles(*names: str):
    """Only signed-in users with one of these roles."""
    def mark(view):
        view.access = frozenset(names)
        return view
    return mark


def signed_in(view):
    """Any signed-in user."""
    return roles(*ROLES)(view)


@login_manager.user_loader
def load_user(login_id: str) -> Account | None:
    user_id, _sep, token = login_id.partition(":")
    if parse_id(user_id) is None:
        return None
    row = db.session.connection().execute(ACCOUNT_BY_ID, {"id": int(user_id)}).one_or_none()
    # A rotated token (logout, password change, reset) ends this session wherever it is.
    return Account(*row) if row is not None and token and row.session_token == token else None


def register(app):
    app.view_functions["static"].access = PUBLIC
    app.before_request(guard)
    app.register_error_handler(SessionExpired, session_ended)


def guard():
    view = current_app.view_functions.get(request.endpoint)
    if view is None:
        return None  # no such route: the 404/405 handler answers
    rule = getattr(view, "access", None)
    if rule is None:
        current_app.logger.error("view %s has no access rule", request.endpoint)
        abort(403)
    if rule == TOKEN:
        return None
    user = current_user._get_current_object()  # each current_user.x goes through three context lookups
    if user.is_authenticated:
        if _session_expired():
            return _expire_session()
        pending = _pending_setup(user)
        if pending and request.endpoint not in ALWAYS_REACHABLE | {pending}:
            return redirect(url_for(pending))
    if rule == PUBLIC:
        return None
    if not user.is_authenticated:
        return login_manager.unauthorized()
    if user.role not in rule:
        abort(403)
    return None


def signed_in_user() -> User:
    """The signed-in user as an entity, for a view that changes it (current_user is read-only)."""
    return db.session.get(User, current_user.id)


def _pending_setup(user: Account) -> str | None:
    if user.must_change_password:
        return "auth.change_password"
    if user.is_staff and not user.totp_confirmed:
        return "auth.totp_enroll"
    if user.is_staff and not session.get("second_factor"):
        return "auth.totp_verify"
    return None


def _session_expired() -> bool:
    now = clock.now().timestamp()
    config = current_app.config
    started, seen = session.get("started", 0), session.get("seen", 0)
    if now - seen > config["IDLE_TIMEOUT_MINUTES"] * 60 or now - started > config["ABSOLUTE_TIMEOUT_HOURS"] * 3600:
        return True
    if now - seen >= SEEN_EVERY_SECONDS:
        touch_session()
    return False


def touch_session() -> None:
    """Restart the idle clock now."""
    session["seen"] = int(clock.now().timestamp())


def idle_seconds_left() -> int:
    """Seconds until the idle timeout ends this session, unless the user does something first."""
    ends_at = session.get("seen", 0) + current_app.config["IDLE_TIMEOUT_MINUTES"] * 60
    return max(0, int(ends_at - clock.now().timestamp()))


def session_user_id() -> int | None:
    """The user this browser's signed session names, even when that session has ended."""
    return parse_id(str(session.get("_user_id", "")).partition(":")[0])


class SessionExpired(Exception):
    """The browser sent a session that had ended (idle or too old); it is cleared. Blueprints may answer
    it their own way (the wizard keeps a step save in flight): session_ended() is the common answer."""

    def __init__(self, user_id: int):
        super().__init__(user_id)
        self.user_id = user_id


def _expire_session():
    user_id = current_user.id
    logout_user()
    _clear_session()
    raise SessionExpired(user_id)


def session_ended(_error=None, kept_at: str | None = None):
    """Sign in again; after it, the page that shows the kept input, if any."""
    if kept_at:
        return sign_in_to_see_kept_input(kept_at)
    flash(_("Your session ended because it was idle or too old. Please sign in again."), "error")
    return login_manager.unauthorized()


def sign_in_to_see_kept_input(kept_at: str):
    """The sign-in page, saying that what the user sent is kept and shown again after it."""
    flash(_("Your session had ended, so what you sent was not saved yet. It is kept: sign in again and it is "
            "shown for you to check and save."), "error")
    return redirect(url_for("auth.login", next=kept_at), 303)


def start_session(user: User) -> None:
    """A fresh session for a fresh login (ASVS 3.2.1): nothing from before survives."""
    _clear_session()
    login_user(Account.of(user))
    now = int(clock.now().timestamp())
    session["started"] = session["seen"] = now


def _clear_session() -> None:
    """Everything goes but the chosen language and the keys of input kept in this browser."""
    kept = {name: session[name] for name in KEPT_ACROSS_SIGN_IN if name in session}
    session.clear()
    session.update(kept)
