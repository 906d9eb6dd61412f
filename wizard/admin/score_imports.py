"""Importing scores on the web (issue 21 item 3): upload a CSV or .xlsx, see every bad row or what would change,
then apply it all or nothing (wizard/score_import.py does the work)."""

import secrets
import time
from pathlib import Path

from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from .. import score_import as importer
from .. import scores as service
from ..extensions import db
from ..filters import digits
from ..rounds import current_round
from .blueprint import bp
from .forms import ConfirmForm
from .forms import ScoreImportForm
from .scores import _context
from .scores import _names
from .scores import _province
from .scores import scoring_staff

PENDING = "pending_score_import"  # session key: this user's previewed upload (token and file name)
KEEP_SECONDS = 3600  # an abandoned preview's file is removed after this long

def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _path(token: str) -> Path:
    return _folder() / f"scores-{token}.upload"


def _sweep() -> None:
    limit = time.time() - KEEP_SECONDS
    for path in _folder().glob("scores-*.upload"):
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def _pending(token: str) -> dict | None:
    pending = session.get(PENDING)
    if not pending or pending.get("token") != token or not _path(token).exists():
        return None
    return pending


def _gone():
    flash(_("This preview has expired or was already imported. Upload the file again."), "error")
    return redirect(url_for("admin.score_import"), 303)


@bp.route("/scores/import", methods=["GET", "POST"])
@scoring_staff
def score_import():
    round_ = current_round()
    form = ScoreImportForm()
    context = _context(round_) if round_ is not None else {"round": None, "phase": "none"}
    names = _names(context["rubric"]) if round_ is not None else []
    if request.method == "GET" or not form.validate_on_submit():
        status = 400 if form.errors else 200
        return render_template("admin/score_import.html", form=form, names=names, **context), status
    try:
        service.refuse_unless_open(round_)
    except service.ScoringClosed as problem:
        flash(str(problem), "error")
        return redirect(url_for("admin.score_import"), 303)
    _sweep()
    old = session.get(PENDING)
    if old:
        _path(old["token"]).unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    path = _path(token)
    path.write_bytes(form.upload.data.read())
    path.chmod(0o600)
    session[PENDING] = {"token": token, "filename": (form.upload.data.filename or "")[:200]}
    return redirect(url_for("admin.score_import_preview", token=token), 303)


@bp.get("/scores/import/<token>")
@scoring_staff
def score_import_preview(token: str):
    pending = _pending(token)
    round_ = current_round()
    if pending is None or round_ is None:
        return _gone()
    report = importer.check(round_, _path(token).read_bytes(), current_user.role, _province())
    context = _context(round_)
    return render_template("admin/score_import_preview.html", report=report, token=token, pending=pending,
                           confirm=ConfirmForm(), **context)


@bp.post("/scores/import/<token>")
@scoring_staff
def score_import_apply(token: str):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    pending = _pending(token)
    round_ = current_round()
    if pending is None or round_ is None:
        return _gone()
    if request.form.get("action") == "cancel":
        _path(token).unlink(missing_ok=True)
        session.pop(PENDING, None)
        flash(_("The upload was discarded; nothing was imported."), "success")
        return redirect(url_for("admin.score_import"), 303)
    report = importer.check(round_, _path(token).read_bytes(), current_user.role, _province())
    if not report.ok:
        flash(_("The file no longer passes the checks, so nothing was imported."), "error")
        return redirect(url_for("admin.score_import_preview", token=token), 303)
    try:
        changed = importer.apply(round_, report, current_user, pending["filename"])
        db.session.commit()
    except service.ScoringClosed as problem:
        db.session.rollback()
        flash(str(problem), "error")
        return redirect(url_for("admin.score_import_preview", token=token), 303)
    except IntegrityError:
        db.session.rollback()
        flash(_("Someone else saved some of these scores at the same moment; check the file again."), "error")
        return redirect(url_for("admin.score_import_preview", token=token), 303)
    _path(token).unlink(missing_ok=True)
    session.pop(PENDING, None)
    if changed:
        flash(_("Imported: %(changed)s scores entered or changed, %(unchanged)s unchanged. They await the "
                "region's confirmation.", changed=digits(changed), unchanged=digits(report.unchanged)), "success")
    else:
        flash(_("Nothing changed: every score in the file was already stored with the same value."), "success")
    return redirect(url_for("admin.scores", state="entered"), 303)
