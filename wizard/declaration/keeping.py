"""A wizard save that could not be checked (session ended, form token expired) is kept for after
sign-in: the declaration blueprint's answer to those errors, wherever in the request they were raised."""

from flask import redirect
from flask import request
from flask import url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from ..access import SessionExpired
from ..access import session_ended
from ..access import session_user_id
from ..access import sign_in_to_see_kept_input
from ..errors import CSRF_MESSAGE
from ..errors import render_error
from ..extensions import db
from ..models import Office
from ..rounds import current_round
from . import drafts
from .steps import BY_SLUG


def register(bp):
    bp.register_error_handler(SessionExpired, _session_expired)
    bp.register_error_handler(CSRFError, _form_expired)


def _session_expired(error: SessionExpired):
    return session_ended(kept_at=keep_expired_save(error.user_id))


def _form_expired(_error: CSRFError):
    kept_at = keep_expired_save(current_user.id if current_user.is_authenticated else session_user_id())
    if kept_at is None:
        return render_error(400, *CSRF_MESSAGE)
    if current_user.is_authenticated:
        return redirect(kept_at, 303)
    return sign_in_to_see_kept_input(kept_at)


def keep_expired_save(user_id: int | None) -> str | None:
    """For a wizard step POST by the office's own holder, keep what was sent and return the URL that
    shows it again; else None. user_id comes from a genuinely signed session: a request without one
    (anonymous, another holder) keeps nothing, so no one can plant input in someone else's draft."""
    if user_id is None or request.method != "POST" or request.endpoint != "declaration.step":
        return None
    office_id, slug = request.view_args.get("office_id"), request.view_args.get("slug")
    office = db.session.get(Office, office_id) if isinstance(office_id, int) else None
    round_ = current_round()
    if office is None or slug not in BY_SLUG or round_ is None or office.holder_id != user_id:
        return None
    kept = drafts.store_kept_input(user_id=user_id, office_id=office.id, round_id=round_.id, step=slug,
                             reason="expired", payload=drafts.typed_input(slug, request.form))
    if kept is None:
        return None
    return url_for("declaration.step", office_id=office.id, slug=slug, restore=kept.key)
