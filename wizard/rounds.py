"""Rounds: the queries several areas share, opening and changing one, and the rubric files they take."""

from datetime import datetime
from datetime import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import g
from flask_babel import gettext as _

from .extensions import db
from .models import Round
from .models import audit
from .notify import events as notify_events
from .rules import jalali
from .rules.deadline import TEHRAN
from .rules.rubric import Rubric
from .rules.rubric import RubricError
from .rules.rubric import parse_rubric_toml
from .rules.text import normalize_persian


DEFAULT_RUBRIC_PATH = Path(__file__).resolve().parent / "rubrics" / "default.toml"
SCORING_DAYS = 10  # the scoring phase's default length, in whole Tehran days after the window's deadline day


def scoring_deadline(deadline: datetime, days: int) -> datetime:
    """The end of the scoring phase: 23:59:59 Tehran time, `days` days after the deadline's Tehran day."""
    day = deadline.astimezone(TEHRAN).date() + timedelta(days=days)
    return datetime.combine(day, time(23, 59, 59), tzinfo=TEHRAN)


def load_rubric(path=DEFAULT_RUBRIC_PATH) -> Rubric:
    """The validated rubric of a TOML file; RubricError messages start with the file's path."""
    try:
        toml_text = Path(path).read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise RubricError(f"{path}: not UTF-8 text; save the file as UTF-8") from None
    except OSError as error:
        raise RubricError(f"{path}: cannot read the file ({error.strerror or error})") from None
    return parse_rubric_toml(toml_text, str(path))


def _newest_not_draft(query):
    # The open round first: one closed early may have opened the same day or later (ties go to the newest made).
    return (query.where(Round.status != "draft")
            .order_by((Round.status == "open").desc(), Round.opens_at.desc(), Round.id.desc()).limit(1))


# Built once: every holder page asks for it, and building it costs as much as running it.
CURRENT_ROUND = _newest_not_draft(sa.select(Round))
CURRENT_ROUND_ID = _newest_not_draft(sa.select(Round.id)).scalar_subquery()  # for joins


def open_round() -> Round | None:
    """The round currently taking declarations (the newest open one)."""
    query = sa.select(Round).where(Round.status == "open").order_by(Round.opens_at.desc())
    return db.session.scalars(query.limit(1)).first()


def current_round() -> Round | None:
    """The round holders see now: the open one, else the newest that is not a draft (closed or published).

    A page asks several times (view, countdown): looked up once per app context; create_round forgets it."""
    if "current_round" not in g:
        g.current_round = db.session.scalars(CURRENT_ROUND).first()
    return g.current_round


def remember_current_round(round_: Round | None) -> None:
    """A query that joined CURRENT_ROUND_ID found it: current_round() need not ask again."""
    g.current_round = round_


class RoundError(Exception):
    """A round change that is not allowed; the message is for the user."""


def create_round(title: str, opens_at, deadline, rubric: dict, percents, scoring_days: int | None = None,
                 **settings) -> Round:
    """Open a new round (one at a time); audited. settings: the round's own carry_forward and objection_days;
    the scoring phase ends scoring_days (SCORING_DAYS if None) after the deadline's day."""
    settings["scoring_deadline"] = scoring_deadline(deadline, scoring_days or SCORING_DAYS)
    if open_round() is not None:
        raise _refused("round-open", None, _("Another round is already open; close it first."))
    if deadline <= opens_at:
        raise _refused("round-open", None, _("The deadline must be after the opening."))
    year, month, _day = jalali.to_jalali(opens_at.astimezone(TEHRAN))
    new_round = Round(title=normalize_persian(title), jalali_year=year, half=1 if month <= 6 else 2, status="open",
                      opens_at=opens_at, deadline=deadline, rubric=rubric, percents=list(percents), **settings)
    db.session.add(new_round)
    db.session.flush()
    g.pop("current_round", None)
    audit("round-open", target=f"round:{new_round.id}", deadline=deadline.isoformat(),
          **{name: value.isoformat() if isinstance(value, datetime) else value for name, value in settings.items()})
    notify_events.round_opened(new_round)  # or, for a round opening later, `flask messages tick` then
    db.session.commit()
    return new_round


def extend_deadline(round_: Round, new_deadline) -> None:
    if round_.status != "open":
        raise _refused("round-extend", round_, _("Only an open round can be extended."))
    if new_deadline <= round_.deadline:
        raise _refused("round-extend", round_, _("The new deadline must be later than the current one."))
    old, round_.deadline = round_.deadline, new_deadline
    audit("round-extend", target=f"round:{round_.id}", old=old.isoformat(),
          new=new_deadline.isoformat())
    notify_events.deadline_extended(round_)
    db.session.commit()


def close_round(round_: Round, now) -> None:
    if round_.status != "open":
        raise _refused("round-close", round_, _("Only an open round can be closed."))
    round_.status = "closed"
    round_.closed_at = min(now, round_.deadline)
    audit("round-close", target=f"round:{round_.id}", at=now.isoformat())
    db.session.commit()


def _refused(action: str, round_: Round | None, message: str) -> RoundError:
    """A refused change is a staff act too: audited (who, where, why) before the error reaches them."""
    audit(action, target=f"round:{round_.id}" if round_ else None, outcome="refused", reason=message)
    db.session.commit()
    return RoundError(message)
