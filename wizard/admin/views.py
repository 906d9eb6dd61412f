"""The admin area's modules, imported so their routes register on the blueprint, and its menu."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from . import agencies  # noqa: F401
from . import agency_export  # noqa: F401
from . import audit  # noqa: F401
from .blueprint import bp
from . import corrections  # noqa: F401
from . import dashboard  # noqa: F401
from . import exports  # noqa: F401
from . import non_submitters  # noqa: F401
from . import holders  # noqa: F401
from . import imports  # noqa: F401
from . import messages  # noqa: F401
from . import objections  # noqa: F401
from . import offices  # noqa: F401
from . import rounds  # noqa: F401
from . import scores  # noqa: F401
from . import score_imports  # noqa: F401
from . import violations  # noqa: F401
from ..models import CONSOLE_ROLES

# Menu entries of the task modules: (endpoint, label, roles).
MENU = (
    ("admin.non_submitters", _l("Non-submitters"), CONSOLE_ROLES),
    ("admin.scores", _l("Scores"), (*CONSOLE_ROLES, "association")),
    ("admin.corrections", _l("Correction requests"), CONSOLE_ROLES),
    ("admin.violations", _l("Violations"), CONSOLE_ROLES),
    ("admin.objections", _l("Objections"), CONSOLE_ROLES),
    ("admin.outbox", _l("Messages"), CONSOLE_ROLES),
    ("admin.exports", _l("Exports"), CONSOLE_ROLES),
    ("admin.imports", _l("Imports"), ("admin",)),
    ("admin.agencies", _l("Agencies' API"), ("admin",)),
    ("admin.audit", _l("Audit log"), ("admin",)),
)
PHASE_LABELS = {"draft": _l("Draft"), "upcoming": _l("Not open yet"), "open": _l("Open"), "closed": _l("Closed"),
                "published": _l("Results published")}
STATUS_LABELS = {"not_started": _l("Not started"), "in_progress": _l("In progress"), "submitted": _l("Has submitted")}


@bp.app_template_global()
def admin_links():
    return [(endpoint, label) for endpoint, label, roles in MENU
            if endpoint in current_app.view_functions and current_user.role in roles]


@bp.app_template_global()
def admin_endpoints():
    return current_app.view_functions


@bp.app_template_global()
def status_label(status):
    return STATUS_LABELS.get(status, status)


@bp.app_template_filter()
def reject_key(mapping: dict, key: str) -> dict:
    return {name: value for name, value in mapping.items() if name != key}


@bp.app_template_global()
def phase_label(phase):
    return PHASE_LABELS.get(phase, phase)
