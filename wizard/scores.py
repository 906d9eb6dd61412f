"""The scoring phase (SPEC §5, issue 21): regions and associations enter or import the scores the round's rubric
asks of them, a region confirms each one, and `results compute` waits for them.

Shared by the staff pages (wizard/admin/scores.py) and the command line (`flask scores import`); the rules are in
wizard/rules/score_entry.py."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import gettext as _

from . import clock
from .extensions import db
from .models import Office
from .models import Round
from .models import Score
from .models import audit
from .rules import score_entry
from .rules.rubric import Rubric
from .rules.rubric import ScoreSpec

# ---------------------------------------------------------------- what the rubric asks of whom


def specs_of(rubric: Rubric) -> dict[str, ScoreSpec]:
    return {spec.name: spec for spec in rubric.scores}


def specs_for(rubric: Rubric, role: str) -> dict[str, ScoreSpec]:
    """The scores this role enters (score_entry.may_enter), by name, in rubric order."""
    return {name: spec for name, spec in specs_of(rubric).items() if score_entry.may_enter(role, spec)}


def label(spec: ScoreSpec) -> str:
    english = str(get_locale() or "fa") == "en"
    return (spec.label_en if english else spec.label_fa) or spec.name


def unit(spec: ScoreSpec) -> str:
    english = str(get_locale() or "fa") == "en"
    return spec.unit_en if english else spec.unit_fa


def phase(round_: Round | None, now: datetime | None = None) -> str:
    """before, open or closed (score_entry.phase); "none" without a round."""
    if round_ is None or round_.status == "draft":
        return "none"
    ended = round_.window_end if round_.status != "open" else round_.deadline
    return score_entry.phase(now or clock.now(), ended, round_.scoring_deadline, round_.approved_version is not None)


class ScoringClosed(Exception):
    """Scores cannot be entered now; the message says why."""


def refuse_unless_open(round_: Round | None) -> None:
    state = phase(round_)
    if state == "none":
        raise ScoringClosed(_("No evaluation round yet."))
    if state == "before":
        raise ScoringClosed(_("Scores are entered after the declaration window closes."))
    if state == "closed":
        if round_.approved_version is not None:
            raise ScoringClosed(_("The results of this round are final; scores can no longer change."))
        raise ScoringClosed(_("The scoring phase ended on %(deadline)s (Tehran time); scores can no longer be "
                              "entered or changed.", deadline=_moment(round_.scoring_deadline)))


def _moment(moment) -> str:
    from .filters import digits
    from .rules import jalali

    return digits(jalali.format_datetime(moment, locale=str(get_locale() or "fa")))


# ---------------------------------------------------------------- entering and confirming


def stored_for(round_: Round, office_id: int) -> dict[str, Score]:
    rows = db.session.scalars(sa.select(Score).where(Score.round_id == round_.id, Score.office_id == office_id))
    return {row.name: row for row in rows}


def enter(round_: Round, office: Office, values: dict[str, int | None], actor) -> list[str]:
    """Store the values typed for one office (None: withdraw the score); a new or changed value is "entered"
    again, waiting for the region's confirmation. Returns the names that changed; audited; the caller commits."""
    refuse_unless_open(round_)
    stored = stored_for(round_, office.id)
    now, changed = clock.now(), []
    for name, value in values.items():
        row = stored.get(name)
        if value is None:
            if row is not None:
                db.session.delete(row)
                changed.append(name)
            continue
        if score_entry.after_entry(row.value if row else None, row.status if row else None, value) is None:
            continue
        if row is None:
            db.session.add(Score(round_id=round_.id, office_id=office.id, name=name, value=value, status="entered",
                                 entered_by=getattr(actor, "id", None), entered_at=now))
        else:
            row.value, row.status, row.entered_by, row.entered_at = value, "entered", getattr(actor, "id", None), now
            row.confirmed_by = row.confirmed_at = None
        changed.append(name)
    if changed:
        audit("scores-enter", target=f"office:{office.id}", round=round_.id,
              values={name: values[name] for name in changed})
    return changed


def confirm(round_: Round, score_ids: list[int], office_ids_in_scope, actor) -> int:
    """Confirm the entered scores among score_ids that belong to offices in scope; audited; the caller commits.
    Confirming is allowed after the scoring deadline too: the region confirms what was entered in time."""
    if round_.approved_version is not None:
        raise ScoringClosed(_("The results of this round are final; scores can no longer change."))
    if not score_ids:
        return 0
    rows = db.session.scalars(sa.select(Score).where(
        Score.round_id == round_.id, Score.id.in_(score_ids), Score.status == "entered",
        Score.office_id.in_(office_ids_in_scope))).all()
    now = clock.now()
    for row in rows:
        row.status, row.confirmed_by, row.confirmed_at = "confirmed", actor.id, now
    if rows:
        audit("scores-confirm", target=f"round:{round_.id}", count=len(rows), scores=sorted(row.id for row in rows))
    return len(rows)


# ---------------------------------------------------------------- the list of every score asked for


def offices_in(province: str | None):
    """The offices of a province (None: every province), as a select of id, office_code, office_type."""
    query = sa.select(Office.id, Office.office_code, Office.office_type)
    return query if province is None else query.where(Office.province == province)


def cells(round_: Round, rubric: Rubric, province: str | None, names: list[str], wanted_state: str | None = None,
          code: str | None = None):
    """One row per (office in scope, score asked of it): office id, code, type, score name, the stored score's
    id, value and status (None: missing), ordered by office code and rubric order; filtered by state and code."""
    specs = specs_of(rubric)
    offices = offices_in(province).subquery()
    parts = []
    for order, name in enumerate(names):
        spec = specs[name]
        part = (sa.select(offices.c.id.label("office_id"), offices.c.office_code.label("office_code"),
                          offices.c.office_type.label("office_type"), sa.literal(name).label("name"),
                          sa.literal(order).label("position"), Score.id.label("score_id"),
                          Score.value.label("value"), Score.status.label("status"))
                .select_from(offices)
                .outerjoin(Score, sa.and_(Score.office_id == offices.c.id, Score.round_id == round_.id,
                                          Score.name == name)))
        if spec.office_types:
            part = part.where(offices.c.office_type.in_(spec.office_types))
        if wanted_state == "missing":
            part = part.where(Score.id.is_(None))
        elif wanted_state in ("entered", "confirmed"):
            part = part.where(Score.status == wanted_state)
        if code:
            part = part.where(offices.c.office_code.contains(code, autoescape=True))
        parts.append(part)
    if not parts:
        return None
    union = sa.union_all(*parts).subquery()
    return sa.select(union).order_by(union.c.office_code, union.c.position)


def counts(round_: Round, rubric: Rubric, province: str | None, names: list[str]) -> dict[str, int]:
    """How many scores asked for are missing, entered and confirmed."""
    query = cells(round_, rubric, province, names)
    if query is None:
        return dict.fromkeys(score_entry.STATES, 0)
    rows = query.subquery()
    found = {score_entry.state(status): count for status, count in db.session.execute(
        sa.select(rows.c.status, sa.func.count()).group_by(rows.c.status)).all()}
    return {state: found.get(state, 0) for state in score_entry.STATES}
