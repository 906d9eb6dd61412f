"""The agencies' API tokens (admin only): issue one per agency (shown exactly once), see when each was last used,
revoke it. Every issue and revocation is audited (api.tokens)."""

import sqlalchemy as sa
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask_babel import gettext as _

from ..api import tokens
from ..extensions import db
from ..models import AgencyToken
from .blueprint import bp
from .forms import AgencyTokenForm
from .forms import ConfirmForm
from .scope import admin_only


def _page(form: AgencyTokenForm, issued: tuple[AgencyToken, str] | None = None, status: int = 200):
    found = db.session.scalars(sa.select(AgencyToken).order_by(AgencyToken.revoked_at.is_not(None),
                                                               AgencyToken.created_at.desc(), AgencyToken.id.desc()))
    return render_template("admin/agencies.html", tokens=found.all(), form=form, issued=issued,
                           confirm=ConfirmForm()), status


@bp.get("/agencies")
@admin_only
def agencies():
    return _page(AgencyTokenForm())


@bp.post("/agencies")
@admin_only
def issue_agency_token():
    """The new token is on this answer only (no redirect): it must not travel in a cookie or an address, and it is
    never stored, so it cannot be shown again; the page is not cached (Cache-Control: no-store)."""
    form = AgencyTokenForm()
    if not form.validate():
        return _page(form, status=400)
    issued = tokens.issue(form.agency.data)
    return _page(AgencyTokenForm(formdata=None), issued=issued, status=201)


@bp.post("/agencies/<int:token_id>/revoke")
@admin_only
def revoke_agency_token(token_id: int):
    found = db.session.get(AgencyToken, token_id)
    if found is None:
        abort(404)
    if tokens.revoke(found):
        flash(_("The token of %(agency)s is revoked: it no longer opens the API.", agency=found.agency), "success")
    else:
        flash(_("This token was already revoked."), "info")
    return redirect(url_for("admin.agencies"), 303)
