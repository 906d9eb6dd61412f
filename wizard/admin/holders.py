"""Holder accounts for staff: find a holder and reset them to the initial credential."""

import sqlalchemy as sa
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.credentials import normalize_username
from ..auth.credentials import reset_to_initial_credential
from ..extensions import db
from ..models import Office
from ..models import User
from ..models import audit
from .blueprint import bp
from .forms import ConfirmForm
from .forms import HolderSearchForm
from .scope import staff

def _holders_in_scope():
    """Holders the current staff member may manage: a region only those with an office in its province."""
    query = sa.select(User).where(User.role == "holder")
    if current_user.role == "region":
        query = query.where(User.offices.any(Office.province == current_user.province))
    return query


def _holder_or_404(user_id: int) -> User:
    holder = db.session.scalar(_holders_in_scope().where(User.id == user_id))
    if holder is None:
        abort(404)  # another province's holder is as invisible as a missing one
    return holder


@bp.route("/holders", methods=["GET", "POST"])
@staff
def holders():
    """Searched by POST: a national code in a query string would be written to every access log on the way."""
    form = HolderSearchForm()
    found = []
    searched = form.validate_on_submit()
    if searched:
        wanted = normalize_username(form.q.data)
        found = db.session.scalars(_holders_in_scope().where(
            sa.or_(User.national_code == wanted, User.username == wanted)).limit(20)).all()
    return render_template("admin/holders.html", form=form, found=found, searched=searched, confirm=ConfirmForm())


@bp.post("/holders/<int:user_id>/reset-password")
@staff
def reset_password(user_id: int):
    holder = _holder_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    code = reset_to_initial_credential(holder)
    audit("password-reset", target=f"user:{holder.id}")
    db.session.commit()
    flash(_("%(name)s must now sign in with the initial credential and choose a new password.",
            name=holder.full_name), "success")
    if code:
        flash(_("New activation code for %(name)s (shown once): %(code)s", name=holder.full_name, code=code),
              "success")
    return redirect(url_for("admin.holders"))
