"""The results blueprint, on which the holder's results, objections and violations pages register."""

from flask import Blueprint

from ..access import roles
from .attachments import size_text
from .labels import OBJECTION_STATUS_LABELS
from .labels import VIOLATION_KIND_LABELS
from .labels import VIOLATION_STATUS_LABELS

bp = Blueprint("results", __name__)

holder = roles("holder")


@bp.context_processor
def labels():
    """The words for stored states, on every results page."""
    return {"objection_statuses": OBJECTION_STATUS_LABELS, "violation_kinds": VIOLATION_KIND_LABELS,
            "violation_statuses": VIOLATION_STATUS_LABELS}


@bp.app_template_filter("filesize")
def filesize(size: int | None) -> str:
    return "" if size is None else size_text(size)
