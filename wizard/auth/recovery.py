"""Forgotten password: a one-time code to the holder's registered mobile, then a new password (issue 22).

Every answer is the same whether or not the account exists, is a holder's or has a mobile: the mask shown is a
decoy then (rules.recovery.decoy_mobile). Staff keep their second factor and are never recovered this way."""

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from limits import parse

from .. import clock
from .. import notify
from ..access import public
from ..access import start_session
from ..database import end_transaction
from ..extensions import db
from ..extensions import limiter
from ..models import RecoveryCode
from ..models import User
from ..models import audit
from ..rules import recovery
from . import credentials
from .forms import RecoverForm
from .forms import RecoveredPasswordForm
from .forms import RecoveryCodeForm
from .views import HOLDER_LANDING
from .views import bp
from .views import new_credentials_problems

STATE = "recovery"  # the session key of a recovery in progress
UNUSABLE = {
    "expired": _l("This code has expired. Ask for a new one."),
    "used": _l("This code has been used already. Ask for a new one."),
    "exhausted": _l("This code was typed wrongly too many times. Ask for a new one."),
}


def _key() -> bytes:
    secret = current_app.config["SECRET_KEY"]
    return secret if isinstance(secret, bytes) else secret.encode()


def _recoverable(user: User | None) -> bool:
    return user is not None and user.role == "holder" and bool(user.mobile)


def _find_account(username: str) -> User | None:
    return db.session.scalar(sa.select(User).where(sa.or_(User.username == username,
                                                          User.national_code == username)))


def _within_limits(account_key: str, mobile: str) -> bool:
    """Codes per account and per mobile number (the address has its own limit on the view), whether or not the
    account exists: a limit that only real accounts reach would tell them apart."""
    config = current_app.config
    return all(limiter.limiter.hit(parse(config[setting]), "recovery", kind, key)
               for setting, kind, key in (("RECOVERY_ACCOUNT_LIMIT", "account", account_key),
                                          ("RECOVERY_MOBILE_LIMIT", "mobile", mobile)))


@bp.route("/account/recover", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["RECOVERY_ADDRESS_LIMIT"], methods=["POST"])
def recover():
    form = RecoverForm()
    if not form.validate_on_submit():
        return render_template("auth/recover.html", form=form)
    username = credentials.normalize_username(form.identifier.data)
    typed_key = credentials.typed_username_key(username)
    user = _find_account(username)
    real = _recoverable(user)
    mobile = user.mobile if real else recovery.decoy_mobile(_key(), typed_key)
    state = {"user": user.id if real else None, "mask": recovery.mask_mobile(mobile), "attempts": 0}
    if not _within_limits(str(user.id) if real else typed_key, mobile):
        flash(_("A new code cannot be sent yet. Use the code sent last, or try again in an hour."), "error")
        audit("recovery-request", actor=user, target=f"typed:{typed_key}", outcome="limited")
        previous = session.get(STATE) or {}
        state = previous if previous.get("mask") == state["mask"] else state  # the code sent last still works
    elif real:
        state["code"] = _send_code(user)
    else:
        audit("recovery-request", actor=user, target=f"typed:{typed_key}",
              outcome="unknown" if user is None else "staff" if user.is_staff else "no-mobile")
    db.session.commit()
    session[STATE] = state
    return redirect(url_for("auth.recover_code"))


def _send_code(user: User) -> int:
    """A new code replaces every earlier one of the account; returns the new row's id."""
    now = clock.now()
    db.session.execute(sa.update(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                                     RecoveryCode.used_at.is_(None)).values(used_at=now))
    code = recovery.new_code(secrets.randbelow)
    row = RecoveryCode(user_id=user.id, code_hash=recovery.code_digest(_key(), code),
                       expires_at=now + recovery.CODE_LIFETIME, address=request.remote_addr)
    db.session.add(row)
    db.session.flush()
    province = next((office.province for office in user.offices), None)  # whose staff see it in the outbox
    notify.send("recovery", mobile=user.mobile, template="recovery_code", user=user, key=f"recovery:{row.id}",
                province=province, context={"code": code, "minutes": recovery.CODE_MINUTES})
    audit("recovery-request", actor=user, target=f"user:{user.id}")
    return row.id


@bp.route("/account/recover/code", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["RECOVERY_ADDRESS_LIMIT"], methods=["POST"])
def recover_code():
    state = session.get(STATE)
    if not state:
        return redirect(url_for("auth.recover"))
    form = RecoveryCodeForm()
    if form.validate_on_submit():
        problem = _check_code(state, form.code.data)
        db.session.commit()
        session[STATE] = state  # changed in place: attempts, or the moment the code was found right
        if problem is None:
            return redirect(url_for("auth.recover_password"))
        form.code.errors.append(str(problem))
    return render_template("auth/recover_code.html", form=form, mask=state["mask"],
                           minutes=recovery.CODE_MINUTES)


def _check_code(state: dict, typed: str):
    """None when the code is right (the state is then verified), else the message to show."""
    row = db.session.get(RecoveryCode, state["code"]) if state.get("code") else None
    if row is None:  # no account behind this recovery: the same answers a real one gives
        state["attempts"] += 1
        return UNUSABLE["exhausted"] if state["attempts"] > recovery.CODE_ATTEMPTS else _("The code is not right.")
    now = clock.now()
    usable = recovery.code_state(now, row.expires_at, row.attempts, row.used_at is not None)
    if not usable.usable:
        audit("recovery-code", actor=None, target=f"user:{row.user_id}", outcome=usable.reason)
        return UNUSABLE[usable.reason]
    if not recovery.code_matches(_key(), row.code_hash, typed):
        row.attempts += 1
        audit("recovery-code", actor=None, target=f"user:{row.user_id}", outcome="failed")
        return _("The code is not right.")
    row.used_at = now
    state["verified_at"] = now.isoformat()
    audit("recovery-code", actor=None, target=f"user:{row.user_id}")
    return None


def _verified_user() -> User | None:
    state = session.get(STATE) or {}
    if not state.get("verified_at") or not state.get("user"):
        return None
    if not recovery.verified_still(clock.now(), datetime.fromisoformat(state["verified_at"])):
        return None
    return db.session.get(User, state["user"])


@bp.route("/account/recover/password", methods=["GET", "POST"])
@public
def recover_password():
    user = _verified_user()
    if user is None:
        session.pop(STATE, None)
        flash(_("Your recovery has ended or expired. Ask for a new code."), "error")
        return redirect(url_for("auth.recover"))
    form = RecoveredPasswordForm()
    if form.validate_on_submit() and not new_credentials_problems(form, user):
        end_transaction()  # hashing the new password takes ~0.1 s
        if form.new_username.data:
            user.username = form.new_username.data
        credentials.set_password(user, form.new_password.data)  # ends every other session
        audit("recovery-password", actor=user, target=f"user:{user.id}",
              username_changed=bool(form.new_username.data))
        db.session.commit()
        session.pop(STATE, None)
        start_session(user)
        flash(_("Your new password is set, and every other session of your account has ended."), "success")
        return redirect(url_for(HOLDER_LANDING))
    return render_template("auth/recover_password.html", form=form,
                           username_required=user.username == user.national_code)
