"""The deadline countdown for the home page and every holder page, and who gets the session-timeout warning."""

from dataclasses import dataclass
from datetime import datetime

from flask import g
from flask import has_request_context
from flask import request
from flask_login import current_user

from . import clock
from .access import _pending_setup
from .filters import round_name
from .access import idle_seconds_left
from .models import Round
from .rounds import current_round
from .rules.countdown import epoch_ms
from .rules.countdown import tone
from .rules.deadline import remaining_parts


@dataclass(frozen=True)
class Countdown:
    """What the countdown component shows, read once per request."""

    title: str
    phase: str  # upcoming, open or closed (a published round is closed for writes too)
    opens_at: datetime
    deadline: datetime  # while upcoming or open; once closed, the moment it closed (early, by an admin, or at the deadline)
    remaining: tuple[int, int, int]
    tone: str
    server_now_ms: int
    deadline_ms: int


def build(round_: Round, now: datetime) -> Countdown:
    """The round's countdown at `now` (the caller reads the clock once)."""
    phase = round_.phase(now)
    if phase not in ("upcoming", "open"):
        # Closed by the clock or by an admin before the deadline: the window is shut either way.
        phase, left, shade = "closed", (0, 0, 0), "closed"
    else:
        left, shade = remaining_parts(now, round_.deadline), tone(now, round_.deadline)
    deadline = round_.window_end if phase == "closed" else round_.deadline
    return Countdown(title=round_name(round_), phase=phase, opens_at=round_.opens_at, deadline=deadline,
                     remaining=left, tone=shade, server_now_ms=epoch_ms(now), deadline_ms=epoch_ms(round_.deadline))


def _wanted() -> bool:
    if not has_request_context():
        return False
    if request.endpoint in ("public.home", "admin.dashboard"):
        return True
    user = current_user._get_current_object()
    return user.is_authenticated and user.role == "holder"


def countdown_context():
    if not _wanted():
        return {"countdown": None}
    if "countdown" not in g:  # built once per request, however many templates render
        found = current_round()
        g.countdown = build(found, clock.now()) if found is not None else None
    return {"countdown": g.countdown}


def session_warning_context():
    # Only a fully signed-in user can reach the keep-alive; one still on a setup step would be redirected.
    user = current_user._get_current_object() if has_request_context() else None
    wanted = user is not None and user.is_authenticated and _pending_setup(user) is None
    return {"session_warning": wanted, "idle_seconds_left": idle_seconds_left() if wanted else None}


def register(app):
    app.context_processor(countdown_context)
    app.context_processor(session_warning_context)
