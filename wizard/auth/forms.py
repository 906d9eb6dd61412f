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


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(_l("Enter your current password."))],
                                     render_kw={"autocomplete": "current-password", "dir": "ltr"})
    new_username = StringField(_l("New username"), filters=[lambda v: normalize_identifier(v or "").lower()],
                               validators=[Optional(), WholeMatch(USERNAME, message=_l(
                                   "A username has 3 to 32 Latin letters, digits, '.', '_' or '-' and starts with a letter."))],
                               render_kw={"autocomplete": "username", "dir": "ltr", "spellcheck": "false"})
    new_password = PasswordField(_l("New password"), validators=[DataRequired(_l("Enter a new password."))],
                                 render_kw={"autocomplete": "new-password", "dir": "ltr"})
    confirm_password = PasswordField(_l("New password again"), validators=[DataRequired(_l("Enter the new password again."))],
                                     render_kw={"autocomplete": "new-password", "dir": "ltr"})

    def validate_confirm_password(self, field):
        # Compared only with a new password that has no message of its own (it is validated first).
        if not self.new_password.errors and field.data != self.new_password.data:
            raise ValidationError(_l("The two new passwords are not the same."))


class SecondFactorForm(FlaskForm):
    code = StringField(_l("Six-digit code from your authenticator app"),
                       filters=[lambda v: normalize_identifier(v or "").replace(" ", "")],
                       validators=[DataRequired(_l("Enter the code.")),
                                   Length(6, 6, _l("The code has six digits.")),
                                   WholeMatch(r"[0-9]{6}", message=_l("The code has six digits."))],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "dir": "ltr"})


class PostForm(FlaskForm):
    """A button-only form: the CSRF token is all it carries (sign out)."""
