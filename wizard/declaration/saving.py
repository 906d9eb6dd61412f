"""Saving a step page's POST: what to store, in which state, and which page comes next."""

import re
from dataclasses import dataclass

from .. import window
from ..models import Declaration
from ..models import KeptInput
from ..models import Office
from ..models import Round
from ..rules.text import parse_id
from . import drafts
from .steps import next_slug

STAFF_KEY = re.compile(r"staff-([0-9]{1,2})-(.+)")
MAX_STAFF_ROWS = 50


@dataclass(frozen=True)
class Saved:
    """Saved: show this step next (None: the check-answers page), at this anchor."""
    slug: str | None
    anchor: str | None = None


@dataclass(frozen=True)
class NotSaved:
    """Too late or changed meanwhile: what was typed is kept (None when too much was kept lately)."""
    kept: KeptInput | None


def save_step_page(office: Office, round_: Round, draft: Declaration, slug: str, form, user) -> Saved | NotSaved:
    """Store what a step page sent, as typed; the step is complete, has errors, or (staff row added or
    removed) is in progress."""
    raw = drafts.typed_input(slug, form)
    if not window.accepts_writes(round_):
        return _kept(user, office, round_, slug, "late", raw)
    based_on = parse_id(form.get("version"))
    action = form.get("action", "save")
    if slug == "staff" and action != "save":
        raw, anchor = change_staff_rows(raw, action)
        state, outcome = drafts.IN_PROGRESS, Saved(slug, anchor)
    elif drafts.build_form(slug, office, None, formdata=form).validate():
        state, outcome = drafts.COMPLETE, Saved(next_slug(slug))
    else:
        state, outcome = drafts.ERRORS, Saved(slug)
    if drafts.save_step(draft, slug, based_on, raw, state, user).conflict:
        return _kept(user, office, round_, slug, "conflict", raw)
    return outcome


def _kept(user, office: Office, round_: Round, slug: str, reason: str, raw: dict) -> NotSaved:
    return NotSaved(drafts.store_kept_input(user_id=user.id, office_id=office.id, round_id=round_.id, step=slug,
                                      reason=reason, payload=raw))


def change_staff_rows(raw: dict, action: str) -> tuple[dict, str]:
    """Add an empty row or remove row N, renumbering the rest: staff rows without JavaScript."""
    rows: dict[int, dict] = {}
    others = {}
    for key, values in raw.items():
        match = STAFF_KEY.fullmatch(key)
        if match:
            rows.setdefault(int(match[1]), {})[match[2]] = values
        else:
            others[key] = values
    ordered = [rows[index] for index in sorted(rows)]
    if action == "add" and len(ordered) < MAX_STAFF_ROWS:
        ordered.append({"full_name": [""]})
        anchor = f"staff-{len(ordered) - 1}"
    else:
        removed = parse_id(action.removeprefix("remove-"))
        if removed is not None and removed < len(ordered) and len(ordered) > 1:
            del ordered[removed]
        anchor = "staff-list"
    renumbered = {f"staff-{index}-{name}": values for index, row in enumerate(ordered) for name, values in row.items()}
    return {**others, **renumbered}, anchor
