"""Keep a wizard save that could not be checked (expired session or CSRF token) for after re-login."""

from flask import request
from flask import url_for

from ..extensions import db
from ..models import Office
from ..rounds import current_round
from . import drafts
from .steps import BY_SLUG


def keep_unsaved_post(user_id: int | None) -> str | None:
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
    kept = drafts.keep_input(user_id=user_id, office_id=office.id, round_id=round_.id, step=slug,
                             reason="expired", payload=drafts.typed_input(slug, request.form))
    if kept is None:
        return None
    return url_for("declaration.step", office_id=office.id, slug=slug, restore=kept.key)
