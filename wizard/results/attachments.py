"""An objection's attachment: read from the upload and checked by its content, and handed back only as a download.

The type is what the first bytes say (rules.attachments.sniff), never the name or the browser's claim; the file
is kept under a random key by wizard.storage, outside the web root, and served with Content-Disposition:
attachment and its checked type, so a browser never shows it as a page of this site."""

import io
from dataclasses import dataclass

from flask import abort
from flask import current_app
from flask import send_file
from flask_babel import gettext as _

from ..rules import attachments
from ..storage import StorageError
from ..storage import storage

MEGABYTE = 1024 * 1024


class AttachmentProblem(ValueError):
    """Why a file is refused, in the user's words."""


@dataclass(frozen=True)
class Upload:
    data: bytes
    content_type: str
    name: str


def max_bytes() -> int:
    return current_app.config["ATTACHMENT_MAX_BYTES"]


def size_text(size: int) -> str:
    """2 MB, 300 KB: how big a file may be or is, in the page's language (digits follow the page)."""
    if size >= MEGABYTE:
        whole, part = divmod(size * 10 // MEGABYTE, 10)
        return _("%(size)s MB", size=f"{whole}.{part}" if part else str(whole))
    return _("%(size)s KB", size=max(1, (size + 1023) // 1024))


def read_upload(upload) -> Upload:
    """The checked file of a form's file field (a werkzeug FileStorage); AttachmentProblem says why not."""
    limit = max_bytes()
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise AttachmentProblem(_("The file is larger than %(size)s; choose a smaller one.", size=size_text(limit)))
    if not data:
        raise AttachmentProblem(_("The file is empty; choose the document again."))
    content_type = attachments.sniff(data[:attachments.SNIFF_BYTES])
    if content_type is None:
        raise AttachmentProblem(_("Only a PDF, JPEG or PNG file can be attached, and this file is none of them "
                                  "(whatever its name says)."))
    return Upload(data, content_type, attachments.safe_name(upload.filename, content_type))


def keep(upload: Upload) -> str:
    """Store the file; its key."""
    return storage().put(upload.data, upload.content_type)


def forget(key: str | None) -> None:
    """Remove a file whose record was not saved after all (best effort: an orphan file harms nobody)."""
    if key:
        try:
            storage().delete(key)
        except (StorageError, KeyError):
            current_app.logger.warning("could not delete the unsaved attachment %s", key)


def download(key: str | None, name: str | None, content_type: str | None):
    """The file as a download; 404 if there is none. The type was checked when it came in; one not in the list
    (a record changed by hand) goes out as bytes."""
    if not key:
        abort(404)
    try:
        data = storage().get(key)
    except KeyError:
        abort(404)
    except StorageError:
        current_app.logger.exception("the file store did not give back %s", key)
        abort(503)
    mimetype = content_type if content_type in attachments.KINDS else "application/octet-stream"
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True,
                         download_name=name or "attachment" + attachments.KINDS.get(mimetype, ("",))[0])
    # Even opened directly, the file runs no script and loads nothing (the site-wide policy still applies too).
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
