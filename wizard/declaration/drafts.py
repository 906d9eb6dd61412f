"""Drafts, kept input and submissions: the declaration's state on the server.

A draft holds, per step, what the user last sent ("raw", exactly as typed, even when invalid)
or answers carried over from the last round ("data"), and the step's state. Saves are
compare-and-set on the draft's version, so two tabs can never silently overwrite each other.
"""

import functools
import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import session
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager
from werkzeug.datastructures import MultiDict
from wtforms import FieldList
from wtforms import FormField

from .. import clock
from .. import rounds
from ..database import end_transaction
from ..extensions import db
from ..fields import JalaliDateField
from ..models import Area
from ..models import Declaration
from ..models import KeptInput
from ..models import Office
from ..models import Round
from ..models import Submission
from ..models import audit
from ..notify import events as notify_events
from ..ownership import owned_or_404
from ..rules import tracking
from .forms import options
from .steps import BY_SLUG
from .steps import STEPS

COMPLETE, ERRORS, IN_PROGRESS, CARRIED = "complete", "errors", "in_progress", "carried"
SAVE_TRIES = 3  # compare-and-set misses before a save is called a conflict (the input is kept, never lost)
# A staff row's controls are named "staff-<row>-<name>", the row one or two ASCII digits.
_STAFF_ROW = re.compile(r"staff-[0-9]{1,2}(-|$)")
# Kept input: at most this much per save (a full staff list is about 30 KB), this many saves an hour per user,
# and the keys of the last few in the session (KEPT_KEYS), which binds a restore link to the browser that sent it.
KEPT_MAX_BYTES = 64 * 1024
KEPT_PER_HOUR = 30
KEPT_IN_SESSION = 5
KEPT_KEYS = "kept"

# Built once: every wizard page and save runs them, and building a statement costs as much as running it.
DRAFT_OF = sa.select(Declaration).where(Declaration.office_id == sa.bindparam("office"),
                                        Declaration.round_id == sa.bindparam("round"))
DRAFT_NOW = sa.select(Declaration.data, Declaration.version).where(Declaration.id == sa.bindparam("draft"))


# A wizard page in one statement: the office with its area, the current round and the office's draft in it.
WIZARD_PAGE = (sa.select(Office, Round, Declaration)
               .join(Office.area).options(contains_eager(Office.area))
               .outerjoin(Round, Round.id == rounds.CURRENT_ROUND_ID)
               .outerjoin(Declaration, sa.and_(Declaration.office_id == Office.id, Declaration.round_id == Round.id))
               .where(Office.id == sa.bindparam("office")))
_drafts = Declaration.__table__
# Compare-and-set: the new data, version and updated_at come as parameters named after their columns.
SAVE_IF_UNCHANGED = _drafts.update().where(_drafts.c.id == sa.bindparam("draft"),
                                           _drafts.c.version == sa.bindparam("based_on"))


def wizard_page(office_id: int) -> tuple[Office, Round | None, Declaration | None]:
    """The signed-in holder's office (else 404), the current round and the office's draft in it, if any
    (draft_for() makes a draft that does not exist yet)."""
    office, round_, draft = db.session.execute(WIZARD_PAGE, {"office": office_id}).one_or_none() or (None, None, None)
    owned_or_404(office)
    rounds.remember_current_round(round_)
    return office, round_, draft


def draft_for(office: Office, round_: Round) -> Declaration:
    """The office's draft in the round, created on first use (starting from its last submission)."""
    found = db.session.execute(DRAFT_OF, {"office": office.id, "round": round_.id}).scalar_one_or_none()
    if found is not None:
        return found
    carried = _carried_over(office, round_)
    end_transaction()  # a page's first visit writes: its write gets a transaction of its own
    draft = Declaration(office_id=office.id, round_id=round_.id, data=carried, version=1)
    db.session.add(draft)
    try:
        db.session.commit()
    except IntegrityError:  # another request created it first
        db.session.rollback()
        return draft_for(office, round_)
    return draft


def _carried_over(office: Office, round_: Round) -> dict:
    """Steps of the office's last submission in an earlier round: confirmed unless changed (SPEC §4)."""
    last = db.session.scalar(sa.select(Submission).join(Round, Round.id == Submission.round_id)
                             .where(Submission.office_id == office.id, Submission.round_id != round_.id)
                             .order_by(Round.opens_at.desc(), Submission.number.desc()).limit(1))
    if last is None:
        return {}
    answers = json.loads(last.snapshot)["steps"]
    return {slug: {"data": answers[slug], "state": CARRIED, "at": 0} for slug in BY_SLUG if slug in answers}


def build_form(slug: str, office: Office, entry: dict | None, formdata=None):
    """The step's form filled from a POST, or from what the draft holds."""
    step = BY_SLUG[slug]
    if formdata is not None:
        formdata = _sendable(formdata)
    if formdata is None and entry:
        if "raw" in entry:
            formdata = MultiDict([(key, value) for key, values in entry["raw"].items() for value in values])
        form = step.form(formdata=formdata, data=entry.get("data"))
    else:
        form = step.form(formdata=formdata)
    if slug == "address":
        form.area.choices = area_choices(office)
        if not form.area.data:
            form.area.data = str(office.area_id)
    return form


def _sendable(formdata) -> MultiDict:
    """Only names a step page can send: ASCII, and staff rows numbered with one or two ASCII digits.
    WTForms takes any str.isdigit() text after "staff-" as a row number: "²" fails int(), 10**30 is a row."""
    return MultiDict([(key, value) for key, value in formdata.items(multi=True)
                      if key.isascii() and (not key.startswith("staff-") or _STAFF_ROW.match(key))])


def area_choices(office: Office) -> list[tuple[str, str]]:
    areas = db.session.scalars(sa.select(Area).where(Area.province == office.province)
                               .order_by(Area.county, Area.name))
    return options(("", ""), *((str(a.id), f"{a.county} — {a.name}") for a in areas))


def typed_input(slug: str, formdata) -> dict[str, list[str]]:
    """What the user typed into the step's own boxes, as typed: any other name sent (the token, the
    buttons, a locked field, an invented one) is dropped, never stored."""
    names = _input_names(slug)
    return {key: formdata.getlist(key) for key in _sendable(formdata) if _STAFF_ROW.sub("staff-0-", key, 1) in names}


@functools.cache
def _input_names(slug: str) -> frozenset[str]:
    """The names of the step's input controls, staff rows as row 0."""
    def names(fields):
        for field in fields:
            if isinstance(field, (FieldList, FormField)):
                yield from names(field)
            elif isinstance(field, JalaliDateField):
                yield from (f"{field.name}-{part}" for part in field.parts)
            elif field.name != "version":
                yield field.name
    return frozenset(names(BY_SLUG[slug].form(formdata=None)))


@dataclass
class SaveResult:
    saved: bool
    conflict: bool = False


def save_step(draft: Declaration, slug: str, based_on: int | None, raw: dict, state: str, user) -> SaveResult:
    """Store the step (compare-and-set on the version); a conflict only when this step changed meanwhile.

    When another save landed since the draft was read (PostgreSQL; SQLite's write lock is held from
    BEGIN), the compare-and-set misses: the draft is read again and the save decided afresh (saves of
    other steps merge; a third save may slip in between, hence a few tries)."""
    data, version = draft.data, draft.version
    for _try in range(SAVE_TRIES):
        current = data.get(slug) or {}
        if based_on != version and (based_on is None or current.get("at", 0) > based_on):
            break
        changed = {**data, slug: {"raw": raw, "state": state, "at": version + 1}}
        updated = db.session.connection().execute(SAVE_IF_UNCHANGED, {
            "draft": draft.id, "based_on": version, "data": changed, "version": version + 1, "updated_at": clock.now()})
        if updated.rowcount == 1:
            audit("save", actor=user, target=f"office:{draft.office_id}", step=slug, state=state,
                  version=version + 1)
            db.session.commit()
            return SaveResult(saved=True)
        data, version = db.session.execute(DRAFT_NOW, {"draft": draft.id}).one()
    db.session.rollback()
    return SaveResult(saved=False, conflict=True)


def step_states(draft: Declaration) -> dict[str, str | None]:
    return {step.slug: (draft.data.get(step.slug) or {}).get("state") for step in STEPS}


def all_complete(draft: Declaration) -> bool:
    return all(state in (COMPLETE, CARRIED) for state in step_states(draft).values())


def store_kept_input(*, user_id: int, office_id, round_id, step, reason, payload) -> KeptInput | None:
    """Keep what the office's holder sent for after the obstacle, bound to this browser's session.

    None when it is too large or this user kept too much in the last hour (nothing is stored)."""
    if len(canonical_json(payload).encode()) > KEPT_MAX_BYTES or _kept_lately(user_id) >= KEPT_PER_HOUR:
        return None
    kept = KeptInput(user_id=user_id, office_id=office_id, round_id=round_id, step=step, reason=reason,
                     payload=payload)
    db.session.add(kept)
    db.session.commit()
    session[KEPT_KEYS] = [*session.get(KEPT_KEYS, ())[1 - KEPT_IN_SESSION:], kept.key]
    return kept


def _kept_lately(user_id: int) -> int:
    since = clock.now() - timedelta(hours=1)
    return db.session.scalar(sa.select(sa.func.count()).select_from(KeptInput)
                             .where(KeptInput.user_id == user_id, KeptInput.created_at > since))


def find_kept_input(key: str | None, office: Office, user_id: int) -> KeptInput | None:
    """Kept input for this office that this user kept in this browser; anything else is not shown."""
    if not key or key not in session.get(KEPT_KEYS, ()):
        return None
    kept = db.session.scalar(sa.select(KeptInput).where(KeptInput.key == key, KeptInput.office_id == office.id))
    if kept is None or kept.user_id != user_id:
        return None
    return kept


def latest_submission(office: Office, round_: Round) -> Submission | None:
    return db.session.scalar(sa.select(Submission)
                             .where(Submission.office_id == office.id, Submission.round_id == round_.id)
                             .order_by(Submission.number.desc()).limit(1))


def canonical_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def snapshot_of(draft: Declaration, office: Office, answers: dict) -> dict:
    return {
        "round_id": draft.round_id,
        "office": {"license_number": office.license_number, "office_code": office.office_code,
                   "office_type": office.office_type, "province": office.province,
                   "license_date": office.license_date.isoformat(), "holder_national_code": office.holder.national_code,
                   "holder_name": office.holder.full_name},
        "steps": answers,
    }


def submit(draft: Declaration, office: Office, based_on: int, answers: dict, user) -> Submission | None:
    """Freeze the draft as a new submission; concurrent submits of one version make exactly one."""
    table = Declaration.__table__
    # Claim this version: of twenty concurrent submits, only one sees rowcount 1.
    claimed = db.session.execute(table.update().where(table.c.id == draft.id, table.c.version == based_on)
                                 .values(version=based_on + 1))
    if claimed.rowcount != 1:
        db.session.rollback()
        return None
    snapshot = canonical_json(snapshot_of(draft, office, answers))
    number = (db.session.scalar(sa.select(sa.func.max(Submission.number))
                                .where(Submission.office_id == office.id, Submission.round_id == draft.round_id)) or 0) + 1
    submission = Submission(office_id=office.id, round_id=draft.round_id, number=number, snapshot=snapshot,
                            sha256=hashlib.sha256(snapshot.encode()).hexdigest(), tracking_code=_new_tracking_code(),
                            submitted_at=clock.now(), draft_version=based_on + 1, submitted_by=user.id)
    db.session.add(submission)
    db.session.flush()
    audit("submit", actor=user, target=f"office:{office.id}", submission=submission.id, number=number,
          sha256=submission.sha256)
    notify_events.receipt(submission, office)
    db.session.commit()
    return submission


def _new_tracking_code() -> str:
    while True:
        code = tracking.make_code("".join(secrets.choice("0123456789") for _ in range(9)))
        if not db.session.scalar(sa.select(Submission.id).where(Submission.tracking_code == code)):
            return code
