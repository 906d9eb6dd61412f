"""Sign in, sign out, the forced password change and the staff second factor (SPEC §2)."""

import hmac

import pyotp
import sqlalchemy as sa
from flask import Blueprint
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_login import logout_user
from flask_wtf.csrf import generate_csrf

from .. import clock
from ..access import public
from ..access import roles
from ..access import signed_in
from ..access import signed_in_user
from ..access import start_session
from ..access import touch_session
from ..database import end_transaction
from ..extensions import db
from ..extensions import limiter
from ..models import STAFF_ROLES
from ..models import User
from ..models import audit
from ..redirects import is_same_site_path
from ..redirects import safe_next
from ..rules import jalali
from ..rules.passwords import password_problems
from ..security import load_common_passwords
from . import credentials
from .forms import ChangePasswordForm
from .forms import LoginForm
from .forms import PostForm
from .forms import SecondFactorForm

bp = Blueprint("auth", __name__)
HOLDER_LANDING = "declaration.offices"  # a holder signs in to declare: their office (or the choice of offices)

PASSWORD_PROBLEMS = {
    "too_short": _l("The password must have at least 8 characters."),
    "too_long": _l("The password may have at most 128 characters."),
    "common": _l("This password is too common; choose one that is hard to guess."),
    "personal": _l("The password must not be your national code, username or mobile number."),
}


def _failed_login_counts(response) -> bool:
    # Only a refused sign-in (the form shown again) counts against the address.
    return response.status_code == 200


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_ADDRESS_LIMIT"], methods=["POST"],
            deduct_when=_failed_login_counts)
def login():
    form = LoginForm(next=request.args.get("next"))
    lock_message = None
    if form.validate_on_submit():
        username = credentials.normalize_username(form.username.data)
        user = _authenticate(username, form.password.data)
        if user is not None:
            return _signed_in(user, form.next.data)
        lock_message = _lock_message(username)
        if lock_message is None:
            form.password.errors.append(_("The username or password is not right."))
    form.password.data = ""
    return render_template("auth/login.html", form=form, lock_message=lock_message,
                           activation_mode=_activation_mode())


def _activation_mode() -> bool:
    return current_app.config["INITIAL_CREDENTIAL"] == "activation_code"


def _authenticate(username: str, secret: str):
    """The user when the credential is right and the username is not locked; counts failures."""
    now = clock.now()
    user = credentials.find_user(username)
    typed = f"typed:{credentials.typed_username_key(username)}"  # never what was typed (admin/audit.py looks it up)
    if credentials.locked_until(username, now) is not None:
        audit("login", actor=user, target=typed, outcome="locked")
        db.session.commit()
        return None
    end_transaction()
    if credentials.credential_matches(user, secret):
        credentials.clear_failures(username)
        return user
    lock = credentials.record_failure(username, now)
    audit("login", actor=user, target=typed, outcome="failed")
    if lock is not None:
        audit("lockout", actor=user, target=typed, until=lock.isoformat())
    db.session.commit()
    return None


def _lock_message(username: str) -> str | None:
    until = credentials.locked_until(username, clock.now())
    if until is None:
        return None
    return _("Too many wrong attempts. You can try again from %(moment)s (Tehran time).",
             moment=jalali.format_datetime(until, locale=str(get_locale() or "fa")))


def staff_landing(user) -> str:
    """Where staff land after the second factor: an association on its scores, the others on the dashboard."""
    return "admin.scores" if user.role == "association" else "admin.dashboard"


def _signed_in(user, next_url):
    # An activation code stays valid until the new password is set (set_password consumes it): the forced
    # change asks for it again, and a browser closed before the change can sign in with it once more.
    start_session(user)
    audit("login", actor=user, target=f"user:{user.id}")
    db.session.commit()
    if user.must_change_password:
        return redirect(url_for("auth.change_password", next=next_url if is_same_site_path(next_url) else None))
    if user.is_staff:
        return redirect(url_for("auth.totp_verify" if user.totp_confirmed else "auth.totp_enroll", next=next_url))
    return redirect(safe_next(next_url, HOLDER_LANDING))


@bp.post("/logout")
@signed_in
def logout():
    if PostForm().validate_on_submit():
        signed_in_user().end_all_sessions()  # every device, not only this cookie
        audit("logout", actor=current_user, target=f"user:{current_user.id}")
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("You have signed out."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
def change_password():
    form = ChangePasswordForm()
    user = signed_in_user()
    if form.validate_on_submit() and _new_credentials_acceptable(form, user):
        end_transaction()  # hashing the new password takes ~0.1 s
        if form.new_username.data:
            user.username = form.new_username.data
        credentials.set_password(user, form.new_password.data)
        audit("password-change", actor=user, target=f"user:{user.id}",
              username_changed=bool(form.new_username.data))
        db.session.commit()
        start_session(user)  # the token changed: keep this session, end all others
        flash(_("Your password has been changed."), "success")
        if user.is_staff:
            return redirect(url_for("auth.totp_enroll") if not user.totp_confirmed else url_for(staff_landing(user)))
        return redirect(safe_next(_next_path(), HOLDER_LANDING))
    return render_template("auth/change_password.html", form=form, forced=user.must_change_password,
                           activation=user.password_hash is None and _activation_mode(),
                           username_required=_signs_in_with_national_code(user), next_url=_next_path())


def _next_path() -> str | None:
    target = request.args.get("next")
    return target if is_same_site_path(target) else None


def _signs_in_with_national_code(user) -> bool:
    """The default credential (SPEC §2): once the password changes, the national code must stop signing in
    too, so a holder whose username is still the national code chooses a new one with the new password."""
    return user.national_code is not None and user.username == user.national_code


def _new_credentials_acceptable(form: ChangePasswordForm, user) -> bool:
    end_transaction()  # checking the current password may take a hash
    if not credentials.credential_matches(user, form.current_password.data):
        form.current_password.errors.append(_("The current password is not right."))
        return False
    return not new_credentials_problems(form, user)


def new_credentials_problems(form, user) -> bool:
    """Checks the new username and password of a change or a recovery; True (and the messages on the form)
    when they cannot be used."""
    new_username = form.new_username.data
    if not new_username and _signs_in_with_national_code(user):
        form.new_username.errors.append(_("Choose a username: after this change your national code no longer "
                                          "signs you in."))
    elif new_username and new_username != user.username and credentials.find_user(new_username):
        form.new_username.errors.append(_("This username is taken; choose another."))
    forbidden = [v for v in (user.national_code, user.username, new_username, user.mobile) if v]
    problems = password_problems(form.new_password.data, common=load_common_passwords(), forbidden=forbidden)
    form.new_password.errors.extend(str(PASSWORD_PROBLEMS[p]) for p in problems)
    return bool(problems or form.new_username.errors)


@bp.route("/account/two-factor/enroll", methods=["GET", "POST"])
@roles(*STAFF_ROLES)
def totp_enroll():
    user = signed_in_user()
    if user.totp_confirmed:
        return redirect(url_for("auth.totp_verify"))
    if user.totp_secret is None:
        end_transaction()  # a GET that writes: its write gets a transaction of its own
        user.totp_secret = pyotp.random_base32()
        db.session.commit()
    form = SecondFactorForm()
    if form.validate_on_submit() and _code_accepted(user, form):
        user.totp_confirmed = True
        session["second_factor"] = True
        audit("totp-enroll", actor=user, target=f"user:{user.id}")
        db.session.commit()
        return redirect(url_for(staff_landing(current_user)))
    uri = pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.username, issuer_name="Pishkhan")
    return render_template("auth/totp_enroll.html", form=form, secret=user.totp_secret,
                           qr_data=uri, qr_label=_("QR code for your authenticator app"))


@bp.route("/account/two-factor", methods=["GET", "POST"])
@roles(*STAFF_ROLES)
@limiter.limit("10 per 15 minutes", methods=["POST"], key_func=lambda: f"totp:{current_user.get_id()}",
            deduct_when=_failed_login_counts)
def totp_verify():
    user = signed_in_user()
    if not user.totp_confirmed:
        return redirect(url_for("auth.totp_enroll"))
    form = SecondFactorForm()
    if form.validate_on_submit() and _code_accepted(user, form):
        session["second_factor"] = True
        db.session.commit()
        return redirect(safe_next(request.args.get("next"), staff_landing(current_user)))
    return render_template("auth/totp_verify.html", form=form)


def _code_accepted(user, form: SecondFactorForm) -> bool:
    """A current code (±30 s for clock drift), each accepted once: only a step newer than the last one used
    counts (ASVS 2.8.4), claimed in one statement so two requests cannot both use the same code."""
    totp = pyotp.TOTP(user.totp_secret)
    now_step = int(clock.now().timestamp()) // totp.interval
    for step in (now_step + 1, now_step, now_step - 1):  # the newest first: accepting it retires the older ones
        if hmac.compare_digest(totp.at(step * totp.interval), form.code.data or "") and _claim_step(user, step):
            return True
    audit("totp", actor=user, target=f"user:{user.id}", outcome="failed")
    db.session.commit()
    form.code.errors.append(_("The code is not right or was already used; wait for the next one."))
    return False


def _claim_step(user, step: int) -> bool:
    users = User.__table__
    claimed = db.session.execute(users.update().where(
        users.c.id == user.id, sa.or_(users.c.totp_last_step.is_(None), users.c.totp_last_step < step))
        .values(totp_last_step=step))
    db.session.expire(user, ["totp_last_step"])
    return claimed.rowcount == 1


@bp.post("/account/keep-alive")
@signed_in
def keep_alive():
    """The timeout warning's "stay signed in": restart the idle clock now and hand back a fresh token.

    CSRFProtect checks the X-CSRFToken header before this runs. The raw token is kept, so other
    open tabs' forms stay valid; only the signed copy is new.
    """
    touch_session()  # the guard stamps at most once a minute; the script counts a full timeout from here
    return {"csrf_token": generate_csrf()}
