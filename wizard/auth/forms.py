"""Forms of the sign-in pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms import PasswordField
from wtforms import StringField
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import Optional
from wtforms.validators import ValidationError

from ..fields import WholeMatch
from ..rules.text import normalize_identifier

USERNAME = r"[a-z][a-z0-9._-]{2,31}"


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(_l("Enter your username."))],
                           render_kw={"autocomplete": "username", "dir": "ltr", "spellcheck": "false"})
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))],
                             render_kw={"autocomplete": "current-password", "dir": "ltr"})
    next = HiddenField()


def _new_username():
    return StringField(_l("New username"), filters=[lambda v: normalize_identifier(v or "").lower()],
                       validators=[Optional(), WholeMatch(USERNAME, message=_l(
                           "A username has 3 to 32 Latin letters, digits, '.', '_' or '-' and starts with a letter."))],
                       render_kw={"autocomplete": "username", "dir": "ltr", "spellcheck": "false"})


def _new_password():
    return PasswordField(_l("New password"), validators=[DataRequired(_l("Enter a new password."))],
                         render_kw={"autocomplete": "new-password", "dir": "ltr"})


def _confirm_password():
    return PasswordField(_l("New password again"), validators=[DataRequired(_l("Enter the new password again."))],
                         render_kw={"autocomplete": "new-password", "dir": "ltr"})


def _same_as_new_password(form, field):
    # Compared only with a new password that has no message of its own (it is validated first).
    if not form.new_password.errors and field.data != form.new_password.data:
        raise ValidationError(_l("The two new passwords are not the same."))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(_l("Enter your current password."))],
                                     render_kw={"autocomplete": "current-password", "dir": "ltr"})
    new_username = _new_username()
    new_password = _new_password()
    confirm_password = _confirm_password()
    validate_confirm_password = _same_as_new_password


class RecoveredPasswordForm(FlaskForm):
    """The new password after a right recovery code: the code stands in for the current password."""

    new_username = _new_username()
    new_password = _new_password()
    confirm_password = _confirm_password()
    validate_confirm_password = _same_as_new_password


class RecoverForm(FlaskForm):
    identifier = StringField(_l("National code or username"),
                             validators=[DataRequired(_l("Enter your national code or username."))],
                             render_kw={"autocomplete": "username", "dir": "ltr", "spellcheck": "false"})


def _six_digits(label):
    return StringField(label, filters=[lambda v: normalize_identifier(v or "").replace(" ", "")],
                       validators=[DataRequired(_l("Enter the code.")),
                                   Length(6, 6, _l("The code has six digits.")),
                                   WholeMatch(r"[0-9]{6}", message=_l("The code has six digits."))],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "dir": "ltr"})


class RecoveryCodeForm(FlaskForm):
    code = _six_digits(_l("Six-digit code from the text message"))


class SecondFactorForm(FlaskForm):
    code = _six_digits(_l("Six-digit code from your authenticator app"))


class PostForm(FlaskForm):
    """A button-only form: the CSRF token is all it carries (sign out)."""
