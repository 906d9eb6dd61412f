"""Imports on the web for admins: upload a CSV, preview it with the CLI's own validation, then confirm it."""

import json
import secrets
import time
from contextlib import contextmanager
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
from sqlalchemy.orm import Session

from ..extensions import db
from ..filters import digits
from ..importing import ImportReport
from ..importing import import_areas
from ..importing import import_offices
from ..import_files import UnreadableFile
from ..import_files import CODES
from ..import_files import HOW_TO_SAVE
from ..import_files import DELIMITER_NAMES
from ..import_files import ENCODING_CODES
from ..import_files import read_import
from ..models import audit
from .blueprint import bp
from .forms import ImportForm
from .forms import ConfirmForm
from .scope import admin_only

IMPORTERS = {"areas": import_areas, "offices": import_offices}
PENDING = "pending_import"  # session key: the token of the admin's previewed upload
KEEP_SECONDS = 3600  # an abandoned preview's files are removed after this long


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # national codes and mobiles: readable by the app only
    return folder


def _paths(token: str) -> tuple[Path, Path]:
    """The uploaded file and its preview report."""
    folder = _folder()
    return folder / f"{token}.csv", folder / f"{token}.json"


def _sweep() -> None:
    """Remove what abandoned previews left behind."""
    limit = time.time() - KEEP_SECONDS
    for path in _folder().iterdir():
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


@contextmanager
def _rolled_back():
    """db.session for the block writes into a transaction that is always rolled back.

    The importers commit on success; bound with join_transaction_mode="create_savepoint", their
    commit() only releases a savepoint of our outer transaction, so a dry run never reaches the database.
    """
    db.session.rollback()  # end the request's transaction first: on SQLite it may hold the write lock
    request_session = db.session.registry()
    connection = db.engine.connect()
    outer = connection.begin()
    # A plain Session: Flask-SQLAlchemy's would pick the engine for every table and ignore this bind.
    db.session.registry.set(Session(bind=connection, join_transaction_mode="create_savepoint"))
    try:
        yield
    finally:
        db.session.close()
        db.session.registry.set(request_session)
        outer.rollback()
        connection.close()


def _run(kind: str, path: Path, delimiter: str) -> ImportReport:
    """Import the upload, kept as UTF-8 whatever encoding it came in."""
    with path.open(encoding="utf-8", newline="") as stream:
        return IMPORTERS[kind](stream, delimiter)


def _dry_run(kind: str, path: Path, delimiter: str) -> ImportReport:
    with _rolled_back():
        return _run(kind, path, delimiter)


def _save_report(token: str, pending: dict, report: ImportReport) -> None:
    summary = {**pending, "ok": report.ok, "created": report.created,
               "updated": report.updated, "unchanged": report.unchanged, "new_holders": len(report.new_holders),
               "errors": [[error.line, error.column, error.message] for error in report.errors]}
    path = _paths(token)[1]
    path.write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
    path.chmod(0o600)


def _pending(token: str) -> dict | None:
    """This admin's preview report for the token, or None if it is not theirs, used or expired."""
    if token != session.get(PENDING):
        return None
    report = _paths(token)[1]
    return json.loads(report.read_text(encoding="utf-8")) if report.exists() else None


def _discard(token: str) -> None:
    for path in _paths(token):
        path.unlink(missing_ok=True)
    session.pop(PENDING, None)


def _gone():
    flash(_("This preview has expired or was already imported. Upload the file again."), "error")
    return redirect(url_for("admin.imports"))


@bp.get("/imports")
@admin_only
def imports():
    return render_template("admin/imports.html", form=ImportForm(), codes=CODES)


@bp.post("/imports")
@admin_only
def upload_import():
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("admin/imports.html", form=form, codes=CODES), 400
    try:
        text, decoded = read_import(form.upload.data.read())
    except UnreadableFile as problem:
        form.upload.errors.append(_("The file cannot be read as text: what it seems to be, and how to save it "
                                    "right, is explained above the form."))
        return render_template("admin/imports.html", form=form, codes=CODES, unreadable=problem,
                               how_to_save=HOW_TO_SAVE), 400
    _sweep()
    if session.get(PENDING):
        _discard(session[PENDING])  # one preview at a time per admin
    token = secrets.token_urlsafe(24)
    upload = _paths(token)[0]
    upload.write_text(text.getvalue(), encoding="utf-8", newline="")
    upload.chmod(0o600)
    pending = {"kind": form.kind.data, "filename": form.upload.data.filename or "", "encoding": decoded.encoding,
               "delimiter": decoded.delimiter}
    _save_report(token, pending, _dry_run(form.kind.data, upload, decoded.delimiter))
    session[PENDING] = token
    return redirect(url_for("admin.import_preview", token=token), 303)


@bp.get("/imports/<token>")
@admin_only
def import_preview(token: str):
    report = _pending(token)
    if report is None:
        return _gone()
    return render_template("admin/import_preview.html", report=report, token=token, confirm=ConfirmForm(),
                           encoding=ENCODING_CODES.get(report.get("encoding"), "UTF-8"),
                           delimiter=DELIMITER_NAMES.get(report.get("delimiter"), DELIMITER_NAMES[","]),
                           can_confirm=report["ok"] and _paths(token)[0].exists())


def _claim(token: str) -> Path | None:
    """Take the upload for this request alone: of two concurrent confirms only one renames it."""
    upload = _paths(token)[0]
    claimed = upload.with_suffix(".importing")
    try:
        upload.rename(claimed)
    except FileNotFoundError:
        return None
    return claimed


@bp.post("/imports/<token>/confirm")
@admin_only
def confirm_import(token: str):
    pending = _pending(token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if pending is not None and not pending["ok"]:
        return redirect(url_for("admin.import_preview", token=token), 303)  # its problems are listed there
    claimed = _claim(token) if pending is not None else None
    if claimed is None:
        return _gone()
    try:
        report = _run(pending["kind"], claimed, pending["delimiter"])
    finally:
        claimed.unlink(missing_ok=True)
    return _imported(token, pending, report) if report.ok else _refused(token, pending, report)


def _imported(token: str, pending: dict, report: ImportReport):
    audit("import", actor=current_user, target=pending["kind"], address=request.remote_addr,
          file=pending["filename"], created=report.created, updated=report.updated, unchanged=report.unchanged,
          new_holders=len(report.new_holders))
    db.session.commit()
    _discard(token)
    flash(_("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.",
            created=digits(report.created), updated=digits(report.updated), unchanged=digits(report.unchanged)),
          "success")
    if report.new_holders and current_app.config["INITIAL_CREDENTIAL"] == "activation_code":
        flash(_("%(count)s new holders need activation codes: run “flask activation-codes” to issue them.",
                count=digits(len(report.new_holders))), "success")
    return redirect(url_for("admin.imports"), 303)


def _refused(token: str, pending: dict, report: ImportReport):
    """The data changed since the preview and the file no longer passes: show why; nothing was written."""
    db.session.rollback()
    audit("import", actor=current_user, target=pending["kind"], address=request.remote_addr, outcome="refused",
          file=pending["filename"], problems=len(report.errors))
    db.session.commit()
    _save_report(token, pending, report)
    flash(_("The file no longer passes the checks, so nothing was imported."), "error")
    return redirect(url_for("admin.import_preview", token=token), 303)


@bp.post("/imports/<token>/cancel")
@admin_only
def cancel_import(token: str):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if token == session.get(PENDING):
        _discard(token)
    flash(_("The upload was discarded; nothing was imported."), "success")
    return redirect(url_for("admin.imports"), 303)
