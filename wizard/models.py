"""The data model: people, offices, areas, rounds, declarations, submissions, results, audit.

Times are stored as UTC; SQLite has no time zones, so UTCDateTime stores naive UTC
and hands back aware datetimes on both SQLite and PostgreSQL.
"""

import getpass
import os
import secrets
from datetime import UTC
from datetime import date
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import has_request_context
from flask import request
from flask_login import current_user
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from . import clock
from .extensions import db
from .rules.deadline import is_open
from .rules.vocabulary import OFFICE_TYPES

ROLES = ("holder", "region", "admin", "association")
STAFF_ROLES = ("region", "admin", "association")  # sign in with a second factor
CONSOLE_ROLES = ("region", "admin")  # the staff console's pages
AREA_KINDS = ("city", "village")
ROUND_STATES = ("draft", "open", "closed", "published")
SCORE_STATES = ("entered", "confirmed")
VIOLATION_STATES = ("notified", "defended", "decided", "dismissed")
OBJECTION_STATES = ("open", "accepted", "rejected")
RESULT_BASES = ("submission", "earlier", "none")  # what a result was scored on
MESSAGE_STATES = ("queued", "sending", "sent", "delivered", "failed")  # sending: a worker holds it (wizard/notify)


class UTCDateTime(sa.types.TypeDecorator):
    """An aware datetime kept as naive UTC in the database."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware one")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


def _now() -> datetime:
    return clock.now()


def new_token() -> str:
    return secrets.token_urlsafe(32)


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    role: Mapped[str] = mapped_column(sa.String(20))  # "association" is 11 characters
    national_code: Mapped[str | None] = mapped_column(sa.String(10), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    mobile: Mapped[str | None] = mapped_column(sa.String(11))
    province: Mapped[str | None] = mapped_column(sa.String(40))
    # None until the holder sets a password: the initial credential is checked instead.
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    must_change_password: Mapped[bool] = mapped_column(default=True)
    # Part of every session's login id: changing it ends every session of this user.
    session_token: Mapped[str] = mapped_column(sa.String(43), default=new_token)
    activation_code_hash: Mapped[str | None] = mapped_column(sa.String(64))
    activation_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_secret: Mapped[str | None] = mapped_column(sa.String(32))
    totp_confirmed: Mapped[bool] = mapped_column(default=False)
    totp_last_step: Mapped[int | None]  # a code is accepted once (no replay within its window)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)

    offices: Mapped[list["Office"]] = relationship(back_populates="holder")

    __table_args__ = (sa.CheckConstraint(f"role IN {ROLES}", name="ck_users_role"),)

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    def end_all_sessions(self) -> None:
        self.session_token = new_token()


class LoginThrottle(db.Model):
    """Consecutive failed logins per typed username, whether or not such an account exists
    (so a lock never tells an attacker that the username is real). The username is stored as its keyed
    hash (auth.credentials.typed_username_key): a password typed into the username box is never kept."""

    __tablename__ = "login_throttles"

    username: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RecoveryCode(db.Model):
    """A one-time code sent to a holder's registered mobile to choose a new password (rules.recovery);
    kept as a keyed hash, single-use, short-lived, void after a few wrong entries."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    address: Mapped[str | None] = mapped_column(sa.String(45))


class Area(db.Model):
    """A city or village area; its service count fixes an office's entitlement."""

    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    province: Mapped[str] = mapped_column(sa.String(40), index=True)
    county: Mapped[str] = mapped_column(sa.String(100))
    name: Mapped[str] = mapped_column(sa.String(100))
    kind: Mapped[str] = mapped_column(sa.String(10))
    available_services: Mapped[int]

    __table_args__ = (
        sa.CheckConstraint(f"kind IN {AREA_KINDS}", name="ck_areas_kind"),
        sa.CheckConstraint("available_services >= 0", name="ck_areas_services"),
    )


class Office(db.Model):
    """A licensed office; the fields here are the locked license record."""

    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    license_number: Mapped[str] = mapped_column(sa.String(30), unique=True)
    office_code: Mapped[str] = mapped_column(sa.String(30), unique=True)
    office_type: Mapped[str] = mapped_column(sa.String(20))
    province: Mapped[str] = mapped_column(sa.String(40), index=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("areas.id"), index=True)
    license_date: Mapped[date]
    holder_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)

    holder: Mapped[User] = relationship(back_populates="offices")
    area: Mapped[Area] = relationship()

    __table_args__ = (
        sa.CheckConstraint(f"office_type IN {OFFICE_TYPES}", name="ck_offices_type"),
    )


class Round(db.Model):
    """An evaluation round (دوره ارزیابی) with its own settings, frozen at opening."""

    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    jalali_year: Mapped[int]
    half: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(10), default="draft", index=True)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when an admin closed it (never after the deadline)
    percents: Mapped[list[int]] = mapped_column(sa.JSON, default=lambda: [100, 70, 30])
    rubric: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON, deferred=True)  # only scoring reads it
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    results_version: Mapped[int] = mapped_column(default=0)  # the latest computed set of results
    published_version: Mapped[int | None]  # the set holders see: one column, so publication is atomic
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    # The cycle after the window (SPEC §5): non-submitters scored on their latest earlier submission (else rank 3);
    # regions and associations enter scores until scoring_deadline; objections for objection_days after the
    # first publication; then an admin approves one version as final.
    carry_forward: Mapped[bool] = mapped_column(default=True)
    scoring_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    objection_days: Mapped[int] = mapped_column(default=7)
    objections_close_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_version: Mapped[int | None]
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        sa.CheckConstraint(f"status IN {ROUND_STATES}", name="ck_rounds_status"),
        sa.CheckConstraint("half IN (1, 2)", name="ck_rounds_half"),
    )

    def accepts_declarations(self, now: datetime) -> bool:
        """Open for writes: status open and now inside the window (rules.deadline.is_open)."""
        return self.status == "open" and is_open(now, self.opens_at, self.deadline)

    @property
    def window_end(self) -> datetime:
        """When the declaration window ends or ended: the deadline, or the moment an admin closed it early."""
        return self.closed_at or self.deadline

    def phase(self, now: datetime) -> str:
        """draft, upcoming, open, closed or published: an open round closes by itself at its deadline."""
        if self.status != "open":
            return self.status
        if now < self.opens_at:
            return "upcoming"
        return "open" if is_open(now, self.opens_at, self.deadline) else "closed"


class Declaration(db.Model):
    """The working draft of one office in one round; version guards against lost updates."""

    __tablename__ = "declarations"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id"))
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now, onupdate=_now)

    office: Mapped[Office] = relationship()

    __table_args__ = (sa.UniqueConstraint("office_id", "round_id", name="uq_declaration_office_round"),)


class Submission(db.Model):
    """An immutable snapshot of a declaration as submitted; the latest one counts."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id"))
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"), index=True)
    number: Mapped[int]  # 1, 2, … per office and round
    snapshot: Mapped[str] = mapped_column(sa.Text)  # canonical JSON
    sha256: Mapped[str] = mapped_column(sa.String(64))
    tracking_code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    draft_version: Mapped[int]  # the draft version it froze: later edits show as "not submitted yet"
    submitted_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    __table_args__ = (
        sa.UniqueConstraint("office_id", "round_id", "number", name="uq_submission_number"),
    )


class KeptInput(db.Model):
    """What a user sent that could not be saved as typed (a conflict, an expired session or token,
    a save after the deadline): kept so nothing typed is ever lost, and shown back to its owner."""

    __tablename__ = "kept_inputs"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(43), unique=True, default=new_token)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id"), index=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"))
    step: Mapped[str] = mapped_column(sa.String(20))
    reason: Mapped[str] = mapped_column(sa.String(10))  # conflict, expired, late
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class Score(db.Model):
    """A score an office gets from outside its declaration (SPEC §5): a reviewer indicator entered by its region, or
    an external score (association, applicant satisfaction, agency opinion) entered by the region or the
    province's association; a region confirms each one before results are computed."""

    __tablename__ = "scores"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"))
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(40))
    value: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(10), default="entered")
    entered_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    confirmed_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        sa.UniqueConstraint("round_id", "office_id", "name", name="uq_score"),
        sa.CheckConstraint(f"status IN {SCORE_STATES}", name="ck_scores_status"),
    )


class Violation(db.Model):
    """A violation before the province's violations committee (SPEC §5): the holder sees it and may write a
    defence before the committee decides; a decided one subtracts its points from the office's score."""

    __tablename__ = "violations"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"), index=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id"), index=True)
    occurred_on: Mapped[date]
    kind: Mapped[str] = mapped_column(sa.String(40))  # rules.vocabulary.VIOLATION_KINDS
    description: Mapped[str] = mapped_column(sa.String(1000))
    points: Mapped[int]  # subtracted once decided
    status: Mapped[str] = mapped_column(sa.String(10), default="notified")
    defence: Mapped[str | None] = mapped_column(sa.String(3000))
    defended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_ref: Mapped[str | None] = mapped_column(sa.String(60))  # the committee's decision number
    decision_note: Mapped[str | None] = mapped_column(sa.String(1000))
    recorded_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    decided_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        sa.CheckConstraint(f"status IN {VIOLATION_STATES}", name="ck_violations_status"),
        sa.CheckConstraint("points >= 0", name="ck_violations_points"),
    )


class Objection(db.Model):
    """A holder's objection to one criterion of a published result (SPEC §5), decided by the region; an accepted
    one corrects that criterion's value in the next version of the results."""

    __tablename__ = "objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"), index=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id"), index=True)
    result_version: Mapped[int]  # the published version objected to
    criterion: Mapped[str] = mapped_column(sa.String(40))  # a rubric criterion's key
    reason: Mapped[str] = mapped_column(sa.String(2000))
    tracking_code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    attachment_key: Mapped[str | None] = mapped_column(sa.String(100))  # where the file store keeps it
    attachment_name: Mapped[str | None] = mapped_column(sa.String(200))
    attachment_type: Mapped[str | None] = mapped_column(sa.String(40))
    attachment_size: Mapped[int | None]
    status: Mapped[str] = mapped_column(sa.String(10), default="open")
    corrected_value: Mapped[int | None]  # the criterion's measured value the region accepted
    answer: Mapped[str | None] = mapped_column(sa.String(2000))
    filed_by: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    answered_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (sa.CheckConstraint(f"status IN {OBJECTION_STATES}", name="ck_objections_status"),)


class AgencyToken(db.Model):
    """A bearer token an admin issues to one service agency for the read-only API; stored as its SHA-256."""

    __tablename__ = "agency_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency: Mapped[str] = mapped_column(sa.String(200))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    hint: Mapped[str] = mapped_column(sa.String(8))  # the token's first characters, to tell tokens apart
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CorrectionRequest(db.Model):
    """A holder's request to correct a locked license field; the region accepts or rejects it."""

    __tablename__ = "correction_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id"), index=True)
    requested_by: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    field: Mapped[str] = mapped_column(sa.String(30))
    current_value: Mapped[str] = mapped_column(sa.String(200))
    requested_value: Mapped[str] = mapped_column(sa.String(200))
    reason: Mapped[str] = mapped_column(sa.String(500))
    status: Mapped[str] = mapped_column(sa.String(10), default="open")  # open, accepted, rejected
    answer: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class Result(db.Model):
    """An office's computed rank in a round; holders see only published versions."""

    __tablename__ = "results"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"))
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("offices.id"), index=True)
    version: Mapped[int] = mapped_column(default=1)
    score: Mapped[int]
    rank: Mapped[int]
    allowed_services: Mapped[int]
    breakdown: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # Kept by the office's next versions while its result is unchanged (ranking.compute), so a printed
    # result verifies as long as it holds; never shared by two offices.
    verification_code: Mapped[str] = mapped_column(sa.String(16))
    basis: Mapped[str] = mapped_column(sa.String(10), default="submission")  # RESULT_BASES
    basis_round_id: Mapped[int | None] = mapped_column(sa.ForeignKey("rounds.id"))  # the round whose submission counted
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        sa.UniqueConstraint("round_id", "office_id", "version", name="uq_result_version"),
        sa.UniqueConstraint("verification_code", "version", name="uq_result_code_version"),
        sa.CheckConstraint("rank IN (1, 2, 3)", name="ck_results_rank"),
        sa.CheckConstraint(f"basis IN {RESULT_BASES}", name="ck_results_basis"),
    )


class Message(db.Model):
    """One SMS in the outbox (wizard/notify, SPEC §5b): written in the transaction of the event it tells about, sent by
    a background job after that commits. Its key is unique: one event never sends twice."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(160), unique=True)  # the idempotency key, e.g. receipt:42
    event: Mapped[str] = mapped_column(sa.String(30), index=True)
    template: Mapped[str] = mapped_column(sa.String(40))
    mobile: Mapped[str] = mapped_column(sa.String(11))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    office_id: Mapped[int | None] = mapped_column(sa.ForeignKey("offices.id"))
    round_id: Mapped[int | None] = mapped_column(sa.ForeignKey("rounds.id"))
    province: Mapped[str | None] = mapped_column(sa.String(40), index=True)  # whose region sees it in the outbox
    text: Mapped[str] = mapped_column(sa.Text)
    parts: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(sa.String(10), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    provider: Mapped[str | None] = mapped_column(sa.String(20))
    provider_id: Mapped[str | None] = mapped_column(sa.String(64))
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # not before (a retry's backoff)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (sa.CheckConstraint(f"status IN {MESSAGE_STATES}", name="ck_messages_status"),)


class ReminderPlan(db.Model):
    """When a round reminds its non-submitters (wizard/rules/reminders.py): days before the deadline, a cap per
    holder, a minimum gap between two reminders and quiet hours (Tehran time) with no sending."""

    __tablename__ = "reminder_plans"

    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"), primary_key=True)
    days: Mapped[list[int]] = mapped_column(sa.JSON, default=list)  # e.g. [7, 3, 1]
    max_per_holder: Mapped[int] = mapped_column(default=3)
    min_gap_hours: Mapped[int] = mapped_column(default=12)
    quiet_start: Mapped[int] = mapped_column(default=22)  # hour of day, Tehran
    quiet_end: Mapped[int] = mapped_column(default=8)
    updated_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now, onupdate=_now)


class AuditEvent(db.Model):
    """Who did what, when and from where; never a password."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(sa.String(40), index=True)
    target: Mapped[str | None] = mapped_column(sa.String(100))
    address: Mapped[str | None] = mapped_column(sa.String(45))
    outcome: Mapped[str] = mapped_column(sa.String(20), default="ok")
    details: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)


AUDIT_INSERT = AuditEvent.__table__.insert()  # built once: building a statement costs about as much as running it
CLI_ADDRESS = "CLI"
_FROM_CONTEXT = object()


def audit(action: str, *, actor: Any = _FROM_CONTEXT, target: str | None = None,
          address: str | None = None, outcome: str = "ok", **details: Any) -> None:
    """Record an audit event in the current transaction (the caller commits); actor: a User or Account.

    Who and where default to the request's signed-in user and client address; outside a request (the
    command line) the address is "CLI" and the details name the operating-system user who ran it.

    A Core insert, not a new ORM object: a save holds SQLite's write lock while it audits, and
    the ORM's flush of one object costs several times the insert itself."""
    if has_request_context():
        if actor is _FROM_CONTEXT:
            actor = current_user if current_user.is_authenticated else None
        address = address or request.remote_addr
    else:
        actor = None if actor is _FROM_CONTEXT else actor
        address = address or CLI_ADDRESS
        details.setdefault("os_user", _os_user())
    db.session.flush()  # rows the caller just added (a new actor, say) go first: foreign keys
    db.session.connection().execute(AUDIT_INSERT, {
        "at": clock.now(), "action": action, "actor_id": actor.id if actor else None, "target": target,
        "address": address, "outcome": outcome, "details": details})


def _os_user() -> str:
    try:
        return getpass.getuser()
    except OSError:  # no user name in the environment or the password database (a bare container)
        return str(os.getuid())
