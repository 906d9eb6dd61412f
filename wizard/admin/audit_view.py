"""Audit events as staff read them: every action, outcome and detail in the page's language, dates in the Jalali
calendar, and targets as the office, person or round they name, linked where staff can open them."""

import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l

from ..declaration.labels import LOCKED_LABELS
from ..declaration.steps import BY_SLUG
from ..extensions import db
from ..filters import digits
from ..filters import jalali_date
from ..filters import jalali_datetime
from ..filters import round_name
from ..models import CLI_ADDRESS
from ..models import Office
from ..models import Round
from ..models import User
from ..results.labels import VIOLATION_KIND_LABELS
from ..results.labels import VIOLATION_STAFF_LABELS
from ..rules.deadline import TEHRAN

ACTION_LABELS = {
    "login": _l("Sign-in"), "logout": _l("Sign-out"), "lockout": _l("Account locked"),
    "password-change": _l("Password change"), "password-reset": _l("Password reset by staff"),
    "totp-enroll": _l("Two-step sign-in set up"), "totp": _l("Two-step sign-in code"),
    "activation-code": _l("Activation code issued"), "user-create": _l("Account created"),
    "save": _l("Declaration saved"), "submit": _l("Declaration submitted"),
    "correction-request": _l("Correction requested"), "correction-accept": _l("Correction accepted"),
    "correction-reject": _l("Correction rejected"), "indicators": _l("Reviewer indicators entered"),
    "scores-enter": _l("Scores entered"), "scores-confirm": _l("Scores confirmed"),
    "scores-import": _l("Scores imported"),
    "round-open": _l("Round opened"), "round-extend": _l("Deadline extended"), "round-close": _l("Round closed"),
    "results-compute": _l("Results computed"), "results-publish": _l("Results published"),
    "results-approve": _l("Results approved as final"),
    "import-areas": _l("Areas imported"), "import-offices": _l("Offices imported"),
    "import": _l("File imported on the web"), "export": _l("Data exported"),
    "violation-record": _l("Violation recorded"), "violation-edit": _l("Violation changed"),
    "violation-defend": _l("Defence written"), "violation-decide": _l("Violation confirmed by the committee"),
    "violation-dismiss": _l("Violation dismissed by the committee"), "objection-file": _l("Objection filed"),
    "objection-accept": _l("Objection accepted"), "objection-reject": _l("Objection rejected"),
    "objection-attachment": _l("Objection's attachment downloaded by staff"),
    "agency-token-issue": _l("API token issued to an agency"), "agency-token-revoke": _l("Agency's API token revoked"),
    "recovery-request": _l("Password recovery code asked for"), "recovery-code": _l("Password recovery code typed"),
    "recovery-password": _l("Password set by recovery"),
    "reminder-plan": _l("Reminder plan set"), "bulk-message": _l("Reminder SMS sent to non-submitters"),
    "message-retry": _l("Failed SMS sent again"),
}
OUTCOME_LABELS = {"ok": _l("Succeeded"), "failed": _l("Failed"), "locked": _l("Refused: locked"),
                  "refused": _l("Refused"), "limited": _l("Refused: too many requests"),
                  "unknown": _l("Refused: no such account"), "staff": _l("Refused: a staff account"),
                  "no-mobile": _l("Refused: no mobile number"), "expired": _l("Refused: expired"),
                  "used": _l("Refused: used already"), "exhausted": _l("Refused: too many wrong codes")}
DETAIL_LABELS = {
    "created": _l("created"), "updated": _l("updated"), "unchanged": _l("unchanged"), "kind": _l("what"),
    "province": _l("province"), "file": _l("file"), "new_holders": _l("new holders"), "problems": _l("problems"),
    "step": _l("step"), "state": _l("state"), "version": _l("version"), "submission": _l("submission"),
    "number": _l("number"), "sha256": _l("fingerprint"), "role": _l("role"), "field": _l("field"),
    "old": _l("before"), "new": _l("after"), "request": _l("request"), "deadline": _l("deadline"),
    "at": _l("at"), "until": _l("until"), "reason": _l("reason"),
    "offices": _l("offices"), "username_changed": _l("username changed"), "round": _l("round"),
    "values": _l("values"), "changed": _l("changed"), "answer": _l("answer"),
    "violation": _l("violation"), "violation_kind": _l("kind of violation"), "occurred_on": _l("date"),
    "points": _l("points"), "description": _l("description"), "note": _l("note"), "status": _l("status"),
    "defence": _l("defence"), "decision_ref": _l("decision number"), "objection": _l("objection"),
    "criterion": _l("criterion"), "tracking_code": _l("tracking code"), "attachment": _l("attachment"),
    "corrected_value": _l("right value"), "agency": _l("agency"), "hint": _l("token starts with"),
    "days": _l("days before the deadline"), "max_per_holder": _l("most reminders per holder"),
    "min_gap_hours": _l("hours between reminders"), "quiet": _l("quiet hours"), "recipients": _l("recipients"),
    "event": _l("event"), "attempts": _l("attempts"), "last_error": _l("last error"),
}
# No password is ever audited; a details key that looks like a secret is still masked, in case one slips in.
SECRET_KEY = re.compile(r"password|secret|token|otp", re.IGNORECASE)
_ISO_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def outcome_label(outcome: str) -> str:
    return str(OUTCOME_LABELS.get(outcome, outcome))


@dataclass(frozen=True)
class Target:
    label: str
    url: str | None = None
    code: str | None = None  # shown after the label as a code (an office's license number)


@dataclass(frozen=True)
class EventView:
    when: str  # Jalali day and Tehran time to the second
    who: str | None  # a username; None for the command line or nobody signed in
    action: str
    outcome: str
    target: Target | None
    address: str | None
    details: list[tuple[str, str]]
    os_user: str | None  # who ran a command-line act


def describe(rows) -> list[EventView]:
    """(AuditEvent, username) rows as staff read them; the targets of a page are looked up in three queries."""
    targets = _targets({event.target for event, _username in rows if event.target})
    return [EventView(when=_when(event.at), who=username, action=action_label(event.action),
                      outcome=outcome_label(event.outcome), target=targets.get(event.target), address=event.address,
                      details=detail_rows({k: v for k, v in event.details.items() if k != "os_user"}),
                      os_user=event.details.get("os_user") if event.address == CLI_ADDRESS else None)
            for event, username in rows]


def _when(moment: datetime) -> str:
    return digits(f"{jalali_date(moment, 'short')} {moment.astimezone(TEHRAN):%H:%M:%S}")


def detail_rows(details: dict | None) -> list[tuple[str, str]]:
    """(label, text) for each detail: dates Jalali in Tehran time, numbers in the page's digits."""
    return [(str(DETAIL_LABELS.get(key, key)), "***" if SECRET_KEY.search(key) else _detail_text(key, value))
            for key, value in sorted((details or {}).items())]


def _detail_text(key: str, value) -> str:
    if isinstance(value, bool):
        return str(_l("yes") if value else _l("no"))
    if isinstance(value, dict):
        return "، ".join(f"{name}: {_detail_text(name, item)}" for name, item in value.items())
    if isinstance(value, list):
        return "، ".join(_detail_text(key, item) for item in value)
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        try:
            return jalali_datetime(datetime.fromisoformat(value))
        except ValueError:
            return value
    if key == "field" and value in LOCKED_LABELS:
        return str(LOCKED_LABELS[value])
    if key == "step" and value in BY_SLUG:
        return str(BY_SLUG[value].title)
    if key == "violation_kind" and value in VIOLATION_KIND_LABELS:
        return str(VIOLATION_KIND_LABELS[value])
    if key == "status" and value in VIOLATION_STAFF_LABELS:
        return str(VIOLATION_STAFF_LABELS[value])
    return digits(value)


def _targets(names: set[str]) -> dict[str, Target]:
    ids = {kind: {int(rest) for name in names for k, _sep, rest in [name.partition(":")]
                  if k == kind and rest.isdigit()} for kind in ("office", "user", "round")}
    found: dict[str, Target] = {}
    if ids["office"]:
        for office_id, number in db.session.execute(sa.select(Office.id, Office.license_number)
                                                    .where(Office.id.in_(ids["office"]))):
            found[f"office:{office_id}"] = Target(str(_l("office")), url_for("admin.office", office_id=office_id),
                                                  code=number)
    if ids["user"]:
        for user_id, name in db.session.execute(sa.select(User.id, User.full_name).where(User.id.in_(ids["user"]))):
            found[f"user:{user_id}"] = Target(name)
    if ids["round"]:
        for round_ in db.session.scalars(sa.select(Round).where(Round.id.in_(ids["round"]))):
            found[f"round:{round_.id}"] = Target(round_name(round_), url_for("admin.rounds"))
    for name in names - found.keys():
        found[name] = _other_target(name)
    return found


def _other_target(name: str) -> Target:
    kind, _sep, rest = name.partition(":")
    if kind == "typed":  # a username typed at sign-in, kept only as its keyed hash
        return Target(str(_l("a username typed at sign-in")))
    if kind in ("areas", "offices"):
        return Target(str(_l("the areas file") if kind == "areas" else _l("the offices file")))
    return Target(name)
